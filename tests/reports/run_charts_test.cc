// The probe charts of run_charts.h (the run's latency and throughput charts
// are tested with the SVG chart, in svg_chart_test.cc).
#include "reports/run_charts.h"

#include <string>

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

  EXPECT_EQ(spec.y_label, "MiB");
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
  EXPECT_EQ(ProbeChart(result, Series("bytes", {{0, 512}})).y_label, "B");
  EXPECT_EQ(ProbeChart(result, Series("bytes", {{0, 3.5 * 1024 * 1024 * 1024}})).y_label, "GiB");
  EXPECT_EQ(ProbeChart(result, Series("%", {{0, 40}})).y_label, "%");
  EXPECT_EQ(ProbeChart(result, Series("1/s", {{0, 40}})).y_label, "/s");
  EXPECT_EQ(ProbeChart(result, Series("C", {{0, 61}})).y_label, "°C");
  EXPECT_EQ(ProbeChart(result, Series("", {{0, 12}})).y_label, "count");
  const ChartSpec seconds = ProbeChart(result, Series("s", {{0, 0.25}}));
  EXPECT_EQ(seconds.y_label, "ms");
  EXPECT_DOUBLE_EQ(seconds.series[0].points[0].second, 250);
}

TEST(ProbeChart, DrawsAtMostTheBoundOfPoints) {
  std::vector<std::array<double, 2>> points;
  for (int i = 0; i < 100000; ++i) points.push_back({i * 0.01, double(i % 7)});
  const ChartSpec spec = ProbeChart(RunResult{}, Series("", points));
  EXPECT_LE(spec.series[0].points.size(), kMaxDrawnPoints);
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
