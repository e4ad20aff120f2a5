// The charts of run_charts.h (the first latency and throughput chart tests
// are with the SVG chart, in svg_chart_test.cc).
#include "reports/run_charts.h"

#include <algorithm>
#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/reports/sample_result.h"

namespace faultdrill::reports {
namespace {

ProbeSeries Series(std::string unit, std::vector<std::array<double, 2>> points) {
  return ProbeSeries{"server", "process", "value", std::move(unit), std::move(points)};
}

TEST(ProbeChart, ShowsBytesInABinaryUnitForTheirSize) {
  const RunResult result = sample::SampleRunResult();
  const ChartSpec spec = ProbeChart(result, result.probes[2]);  // rss 200..259 MiB

  EXPECT_EQ(spec.y_label, "rss_bytes (MiB)");
  ASSERT_EQ(spec.series.size(), 1u);
  EXPECT_EQ(spec.series[0].name, "rss_bytes");
  ASSERT_EQ(spec.series[0].points.size(), 60u);
  EXPECT_DOUBLE_EQ(spec.series[0].points[0].second, 200.0);
  EXPECT_DOUBLE_EQ(spec.series[0].points[59].second, 259.0);
  EXPECT_EQ(spec.bands.size(), 3u);
  EXPECT_DOUBLE_EQ(spec.x_max_s, 60);
}

TEST(ProbeChart, PicksTheUnitLabel) {
  const RunResult result;
  EXPECT_EQ(ProbeChart(result, Series("bytes", {{0, 512}})).y_label, "value (B)");
  EXPECT_EQ(ProbeChart(result, Series("bytes", {{0, 3.5 * 1024 * 1024 * 1024}})).y_label, "value (GiB)");
  EXPECT_EQ(ProbeChart(result, Series("%", {{0, 40}})).y_label, "value (%)");
  EXPECT_EQ(ProbeChart(result, Series("1/s", {{0, 40}})).y_label, "value (/s)");
  EXPECT_EQ(ProbeChart(result, Series("C", {{0, 61}})).y_label, "value (°C)");
  EXPECT_EQ(ProbeChart(result, Series("", {{0, 12}})).y_label, "value (count)");
  const ChartSpec seconds = ProbeChart(result, Series("s", {{0, 0.25}}));
  EXPECT_EQ(seconds.y_label, "value (ms)");
  EXPECT_DOUBLE_EQ(seconds.series[0].points[0].second, 250);
}

TEST(ProbeChart, DrawsAtMostTheBoundOfPoints) {
  std::vector<std::array<double, 2>> points;
  for (int i = 0; i < 100000; ++i) points.push_back({i * 0.01, double(i % 7)});
  const ChartSpec spec = ProbeChart(RunResult{}, Series("", points));
  EXPECT_LE(spec.series[0].points.size(), kMaxDrawnPoints);
}

TEST(ProbeChart, SharesTheRunsTimeAxisEvenWithSamplesAfterTheEnd) {
  RunResult result = sample::SampleRunResult();
  result.probes[2].points.push_back({61.5, 300.0 * 1024 * 1024});  // sampled while the run wound down
  const ChartSpec spec = ProbeChart(result, result.probes[2]);
  EXPECT_DOUBLE_EQ(spec.x_max_s, LatencyChart(result).x_max_s);
  EXPECT_DOUBLE_EQ(spec.x_max_s, 60);
}

TEST(LatencyChart, DrawsP90WhenRecorded) {
  RunResult result = sample::SampleRunResult();
  for (SecondSample& s : result.series) s.ok_latency.p90_ms = s.ok_latency.p50_ms * 2;
  const ChartSpec spec = LatencyChart(result);
  ASSERT_EQ(spec.series.size(), 4u);
  EXPECT_EQ(spec.series[0].name, "p50");
  EXPECT_EQ(spec.series[1].name, "p90");
  EXPECT_EQ(spec.series[2].name, "p99");
  EXPECT_EQ(spec.series[3].name, "failed p99");
  EXPECT_EQ(spec.y_label, "latency (ms)");
  EXPECT_EQ(spec.x_label, kTimeAxisLabel);
}

// The y values of `series` at x = second + 0.5; NaN for a gap, and for a second not drawn.
double At(const ChartSeries& series, uint32_t second) {
  for (const auto& [x, y] : series.points) {
    if (x == second + 0.5) return y;
  }
  return std::nan("");
}

TEST(LatencyChart, ShowsAGapNotAZeroWhereNothingSucceeded) {
  const RunResult result = sample::SampleRunResult();  // second 11: every call failed fast
  const ChartSpec spec = LatencyChart(result);
  ASSERT_EQ(spec.series[1].name, "p99");
  const ChartSeries& p99 = spec.series[1];
  EXPECT_TRUE(IsGap({11.5, At(p99, 11)}));
  EXPECT_TRUE(IsGap({45.5, At(p99, 45)}));  // nothing completed at all
  EXPECT_DOUBLE_EQ(At(p99, 10), result.series[10].ok_latency.p99_ms);
  EXPECT_DOUBLE_EQ(At(p99, 12), result.series[12].ok_latency.p99_ms);
  for (const auto& [x, y] : p99.points) EXPECT_NE(y, 0.0) << "at " << x;
}

TEST(LatencyChart, DrawsFailedCallLatencyOnItsOwnLine) {
  const RunResult result = sample::SampleRunResult();  // failures in seconds 10-12 only
  const ChartSpec spec = LatencyChart(result);
  ASSERT_EQ(spec.series.back().name, "failed p99");
  const ChartSeries& failed = spec.series.back();
  for (uint32_t second : {10u, 11u, 12u}) EXPECT_DOUBLE_EQ(At(failed, second), 0.6) << second;
  EXPECT_TRUE(IsGap({5.5, At(failed, 5)}));
  EXPECT_TRUE(IsGap({30.5, At(failed, 30)}));
  // The successful calls' p99 is not pulled down to the failures' 0.6 ms.
  EXPECT_GT(At(spec.series[1], 10), 5.0);
}

TEST(LatencyChart, HasNoFailedLineWhenNothingFailed) {
  RunResult result = sample::SampleRunResult();
  for (SecondSample& s : result.series) {
    s.errors = 0;
    s.errors_by_code.clear();
    if (s.requests > 0) s.ok_latency = SecondLatency{s.p50_ms, 0, s.p99_ms, s.max_ms};
  }
  const ChartSpec spec = LatencyChart(result);
  ASSERT_EQ(spec.series.size(), 2u);
  EXPECT_EQ(spec.series.back().name, "p99");
}

TEST(ErrorsByCodeChart, OneLinePerCodeMostFrequentFirstEverySecond) {
  RunResult result = sample::SampleRunResult();
  result.series[30].errors_by_code = {{"DEADLINE_EXCEEDED", 5}, {"INTERNAL", 1}};
  const ChartSpec spec = ErrorsByCodeChart(result);

  ASSERT_EQ(spec.series.size(), 3u);
  EXPECT_EQ(spec.series[0].name, "UNAVAILABLE");
  EXPECT_EQ(spec.series[1].name, "DEADLINE_EXCEEDED");
  EXPECT_EQ(spec.series[2].name, "INTERNAL");
  ASSERT_EQ(spec.series[0].points.size(), 60u);
  EXPECT_DOUBLE_EQ(spec.series[0].points[10].second, 190);
  EXPECT_DOUBLE_EQ(spec.series[1].points[30].second, 5);
  EXPECT_DOUBLE_EQ(spec.series[1].points[29].second, 0);
  EXPECT_EQ(spec.bands.size(), 3u);
}

TEST(ErrorsByCodeChart, SumsTheRarestCodesIntoOneLine) {
  RunResult result = sample::SampleRunResult();
  const char* codes[] = {"A", "B", "C", "D", "E", "F", "G", "H"};
  for (int i = 0; i < 8; ++i) result.series[40].errors_by_code[codes[i]] = uint64_t(100 - i);
  const ChartSpec spec = ErrorsByCodeChart(result);

  ASSERT_EQ(spec.series.size(), kMaxErrorCodesDrawn);
  EXPECT_EQ(spec.series.back().name, "4 other codes");  // E..H, after UNAVAILABLE and A..D
  EXPECT_DOUBLE_EQ(spec.series.back().points[40].second, 96 + 95 + 94 + 93);
}

TEST(ErrorsByCodeChart, NoSeriesWhenNothingFailed) {
  RunResult result = sample::SampleRunResult();
  for (SecondSample& s : result.series) s.errors_by_code.clear();
  EXPECT_TRUE(ErrorsByCodeChart(result).series.empty());
}

TEST(RunCharts, EverySeriesOfAnHourIsBoundedAndKeepsItsExtremes) {
  RunResult result;
  result.duration_s = 3600;
  for (uint32_t s = 0; s < 3600; ++s) {
    SecondSample x{s, 100, 0, {}, 4, 6, 10, 20};
    if (s == 1234) x.p99_ms = 900;  // one spike
    if (s == 2345) x.errors = 77, x.errors_by_code["INTERNAL"] = 77;
    if (s == 3000) x.p50_ms = 0.5;  // one dip
    x.ok_latency = SecondLatency{x.p50_ms, x.p90_ms, x.p99_ms, x.max_ms};
    result.series.push_back(x);
  }
  auto has = [](const ChartSeries& series, double x, double y) {
    return std::count(series.points.begin(), series.points.end(), std::make_pair(x, y)) == 1;
  };
  const ChartSpec latency = LatencyChart(result), throughput = ThroughputChart(result),
                  errors = ErrorsByCodeChart(result);
  for (const ChartSpec* spec : {&latency, &throughput, &errors}) {
    EXPECT_DOUBLE_EQ(spec->x_max_s, 3600);
    for (const ChartSeries& series : spec->series) EXPECT_LE(series.points.size(), kMaxDrawnPoints) << series.name;
  }
  EXPECT_TRUE(has(latency.series[2], 1234.5, 900));  // p99 spike
  EXPECT_TRUE(has(latency.series[0], 3000.5, 0.5));   // p50 dip
  EXPECT_TRUE(has(throughput.series[1], 2345.5, 77));
  EXPECT_TRUE(has(errors.series[0], 2345.5, 77));
}

TEST(ProbeHealthStrip, OneTrackPerHealthSeriesWithMergedStretches) {
  const StripSpec strip = ProbeHealthStrip(sample::SampleRunResult());

  ASSERT_EQ(strip.tracks.size(), 2u);
  EXPECT_EQ(strip.tracks[0].name, "health");
  const std::vector<StripSegment>& health = strip.tracks[0].segments;
  ASSERT_EQ(health.size(), 3u);
  EXPECT_TRUE(health[0].up);
  EXPECT_DOUBLE_EQ(health[0].to_s, 10);
  EXPECT_FALSE(health[1].up);
  EXPECT_DOUBLE_EQ(health[1].from_s, 10);
  EXPECT_DOUBLE_EQ(health[1].to_s, 12);
  EXPECT_TRUE(health[2].up);
  EXPECT_DOUBLE_EQ(health[2].to_s, 60);  // the last sample lasts one interval
  EXPECT_EQ(strip.bands.size(), 3u);
}

TEST(ProbeHealthStrip, ManyChangesAreSlicedButAFailedCheckStillShows) {
  RunResult result;
  ProbeSeries flapping{"flaky", "health", "healthy", "", {}};
  for (int i = 0; i < 100000; ++i) flapping.points.push_back({i * 0.01, i % 3 == 0 && i < 50000 ? 0.0 : 1.0});
  flapping.points[77777][1] = 0;  // one failed check in a healthy second half
  result.probes = {flapping};

  const StripSpec strip = ProbeHealthStrip(result);

  ASSERT_EQ(strip.tracks.size(), 1u);
  const std::vector<StripSegment>& segments = strip.tracks[0].segments;
  EXPECT_LE(segments.size(), kMaxDrawnPoints);
  ASSERT_EQ(segments.size(), 4u);  // down (flapping), up, the failed check, up
  EXPECT_FALSE(segments[0].up);
  EXPECT_NEAR(segments[0].to_s, 500, 2);
  EXPECT_TRUE(segments[1].up);
  EXPECT_FALSE(segments[2].up);
  EXPECT_LE(segments[2].from_s, 777.77);
  EXPECT_GE(segments[2].to_s, 777.78);
  EXPECT_TRUE(segments[3].up);
  EXPECT_NEAR(segments[3].to_s, 1000, 1e-6);
}

TEST(ProbeHealthStrip, IgnoresValueSeries) {
  RunResult result = sample::SampleRunResult();
  result.probes.erase(result.probes.begin(), result.probes.begin() + 2);  // values only
  EXPECT_TRUE(ProbeHealthStrip(result).tracks.empty());
}

}  // namespace
}  // namespace faultdrill::reports
