#include "reports/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reports/run_charts.h"
#include "tests/reports/sample_result.h"

namespace faultdrill::reports {
namespace {

using ::testing::DoubleEq;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pointwise;

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

// The points="..." of the n-th polyline.
std::string Points(const std::string& svg, size_t n) {
  size_t at = 0;
  for (size_t i = 0; i <= n; ++i) at = svg.find("<polyline", at + 1);
  const size_t start = svg.find("points=\"", at) + 8;
  return svg.substr(start, svg.find('"', start) - start);
}

ChartSpec TwoSeries() {
  ChartSpec spec;
  spec.title = "t";
  spec.x_max_s = 10;
  spec.series = {{"a", "#111", {{0.5, 1}, {1.5, 2}, {2.5, 0}}}, {"b", "#222", {{0.5, 10}, {1.5, 100}}}};
  return spec;
}

TEST(LinearTicks, AreNiceRoundNumbers) {
  EXPECT_THAT(LinearTicks(0, 100), ElementsAre(0, 20, 40, 60, 80, 100));
  EXPECT_THAT(LinearTicks(0, 60, 10), ElementsAre(0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60));
  EXPECT_THAT(LinearTicks(0, 1), Pointwise(DoubleEq(), std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1}));
  EXPECT_THAT(LinearTicks(3, 17), ElementsAre(4, 6, 8, 10, 12, 14, 16));
}

TEST(LogTicks, UseDecadesAndOneTwoFiveWhenFew) {
  EXPECT_THAT(LogTicks(1, 100), ElementsAre(1, 2, 5, 10, 20, 50, 100));
  EXPECT_THAT(LogTicks(0.1, 100000),
              Pointwise(DoubleEq(), std::vector<double>{0.1, 1, 10, 100, 1000, 10000, 100000}));
}

std::vector<std::string> Labels(const std::vector<TimeTick>& ticks) {
  std::vector<std::string> labels;
  for (const TimeTick& tick : ticks) labels.push_back(tick.label);
  return labels;
}

TEST(TimeTicks, SecondsForShortRunsMinutesAndHoursForLongOnes) {
  EXPECT_THAT(Labels(TimeTicks(7)), ElementsAre("0s", "1s", "2s", "3s", "4s", "5s", "6s", "7s"));
  EXPECT_THAT(Labels(TimeTicks(60)), ElementsAre("0s", "5s", "10s", "15s", "20s", "25s", "30s", "35s", "40s", "45s",
                                                 "50s", "55s", "60s"));
  EXPECT_THAT(Labels(TimeTicks(3600)), ElementsAre("0m", "5m", "10m", "15m", "20m", "25m", "30m", "35m", "40m",
                                                   "45m", "50m", "55m", "1h"));
  EXPECT_THAT(Labels(TimeTicks(5400)), ElementsAre("0m", "10m", "20m", "30m", "40m", "50m", "1h", "1h10m", "1h20m",
                                                   "1h30m"));
  EXPECT_THAT(Labels(TimeTicks(2)), ElementsAre("0s", "0.2s", "0.4s", "0.6s", "0.8s", "1s", "1.2s", "1.4s", "1.6s",
                                                "1.8s", "2s"));
  EXPECT_LE(TimeTicks(1e6).size(), 13u);
  EXPECT_THAT(Labels(TimeTicks(0)), ElementsAre("0s"));
  EXPECT_THAT(Labels(TimeTicks(NAN)), ElementsAre("0s"));
}

TEST(RenderSvgChart, LabelsBothAxes) {
  ChartSpec spec = TwoSeries();
  spec.y_label = "latency (ms)";
  const std::string svg = RenderSvgChart(spec);
  EXPECT_THAT(svg, HasSubstr("<text class=\"xlabel\""));
  EXPECT_THAT(svg, HasSubstr(">time from the start of the load</text>"));
  EXPECT_THAT(svg, HasSubstr("rotate(-90)\">latency (ms)</text>"));
  EXPECT_THAT(svg, HasSubstr(">10s</text>"));
}

TEST(RenderSvgChart, AFixedAxisLeavesOutPointsPastItsEnd) {
  ChartSpec spec = TwoSeries();
  spec.x_max_s = 1.0;  // the points at 1.5 and 2.5 fall outside
  const std::string svg = RenderSvgChart(spec);
  // Only the point at 0.5 is left: a lone point, drawn as a dot (itself twice).
  const std::string drawn = Points(svg, 0);
  const std::string point = drawn.substr(0, drawn.find(' '));
  EXPECT_EQ(Count(point, ","), 1u);
  EXPECT_EQ(drawn, point + " " + point);
  EXPECT_THAT(svg, HasSubstr(">1s</text>"));
  EXPECT_THAT(svg, Not(HasSubstr(">2s</text>")));
}

TEST(RenderSvgChart, OnePolylinePerSeriesWithLegend) {
  const std::string svg = RenderSvgChart(TwoSeries());

  EXPECT_EQ(Count(svg, "<polyline"), 2u);
  EXPECT_THAT(svg, HasSubstr("data-series=\"a\" stroke=\"#111\""));
  EXPECT_THAT(svg, HasSubstr(">a</text>"));
  EXPECT_THAT(svg, HasSubstr(">b</text>"));
  EXPECT_THAT(svg, Not(HasSubstr("xmlns")));  // inline in HTML: no namespace URL needed
}

TEST(RenderSvgChart, LogScaleLeavesOutNonPositiveValues) {
  ChartSpec spec = TwoSeries();
  spec.log_y = true;
  const std::string svg = RenderSvgChart(spec);

  EXPECT_EQ(Count(Points(svg, 0), ","), 2u);  // 0 is not on a log axis
  EXPECT_THAT(svg, HasSubstr(", log scale</text>"));
}

TEST(RenderSvgChart, LinearScaleKeepsZero) {
  EXPECT_EQ(Count(Points(RenderSvgChart(TwoSeries()), 0), ","), 3u);
}

TEST(RenderSvgChart, EmptySeriesStillHasItsPolyline) {
  ChartSpec spec;
  spec.series = {{"empty", "#000", {}}};
  const std::string svg = RenderSvgChart(spec);
  EXPECT_EQ(Count(svg, "<polyline"), 1u);
  EXPECT_THAT(svg, HasSubstr("points=\"\""));
}

TEST(RenderSvgChart, BandsAreRectanglesAndInstantsAreMarkers) {
  ChartSpec spec = TwoSeries();
  spec.bands = {{2, 4, "latency"}, {6, 6, "kill"}};
  const std::string svg = RenderSvgChart(spec);

  EXPECT_EQ(Count(svg, "<rect"), 1u);
  EXPECT_EQ(Count(svg, "class=\"marker\""), 1u);
  EXPECT_THAT(svg, HasSubstr(">latency</text>"));
  EXPECT_THAT(svg, HasSubstr(">kill</text>"));
}

TEST(RenderSvgChart, LongLabelsAreCutButKeptWholeInTheTitle) {
  ChartSpec spec = TwoSeries();
  const std::string label(80, 'x');
  spec.bands = {{2, 4, label}};
  const std::string svg = RenderSvgChart(spec);
  EXPECT_THAT(svg, HasSubstr("<title>" + label + "</title>"));
  EXPECT_THAT(svg, HasSubstr(">" + std::string(48, 'x') + "…</text>"));
}

TEST(RenderSvgChart, OverlappingLabelsGoToSeparateRows) {
  ChartSpec spec = TwoSeries();
  spec.bands = {{2, 4, "first fault"}, {2.1, 3, "second fault"}, {8, 9, "far away"}};
  const std::string svg = RenderSvgChart(spec);
  auto y_of = [&](const std::string& label) {
    const size_t end = svg.find(">" + label + "</text>");
    const size_t y = svg.rfind("y=\"", end);
    return svg.substr(y, svg.find('"', y + 3) - y);
  };
  EXPECT_NE(y_of("first fault"), y_of("second fault"));
  EXPECT_EQ(y_of("first fault"), y_of("far away"));
}

// `n` bands of 20 s, 90 s apart, over an hour.
ChartSpec Crowded(int n, bool keys) {
  ChartSpec spec = TwoSeries();
  spec.x_max_s = 3600;
  for (int i = 0; i < n; ++i) {
    spec.bands.push_back({30.0 + 90 * i, 50.0 + 90 * i, "network-latency-" + std::to_string(i),
                          keys ? std::to_string(i + 1) : ""});
  }
  return spec;
}

TEST(RenderSvgChart, CrowdedLabelsGiveWayToKeys) {
  const std::string svg = RenderSvgChart(Crowded(39, true));

  EXPECT_EQ(Count(svg, "<g class=\"band\">"), 39u);
  EXPECT_THAT(svg, Not(HasSubstr(">network-latency-0</text>")));
  EXPECT_THAT(svg, HasSubstr("<title>network-latency-0</title>"));
  EXPECT_THAT(svg, HasSubstr(">1</text>"));
  EXPECT_THAT(svg, HasSubstr(">39</text>"));
}

TEST(RenderSvgChart, LabelsThatFitStayWhole) {
  const std::string svg = RenderSvgChart(Crowded(3, true));
  EXPECT_THAT(svg, HasSubstr(">network-latency-0</text>"));
  EXPECT_THAT(svg, HasSubstr(">network-latency-2</text>"));
}

TEST(RenderSvgChart, LabelsWithoutKeysThatDoNotFitAreLeftOutNotOverlapped) {
  const std::string svg = RenderSvgChart(Crowded(39, false));
  const size_t drawn = Count(svg, "\">network-latency-");  // in <text y="...">, not <title>
  EXPECT_LT(drawn, 39u);
  EXPECT_GT(drawn, 10u);
  EXPECT_EQ(Count(svg, "<title>network-latency-"), 39u);
}

TEST(RenderSvgChart, EscapesLabels) {
  ChartSpec spec = TwoSeries();
  spec.bands = {{2, 4, "<b>&"}};
  spec.series[0].name = "\"><script>";
  const std::string svg = RenderSvgChart(spec);
  EXPECT_THAT(svg, Not(HasSubstr("<b>")));
  EXPECT_THAT(svg, Not(HasSubstr("<script>")));
}

TEST(RenderSvgChart, SameSpecSameBytes) {
  EXPECT_EQ(RenderSvgChart(TwoSeries()), RenderSvgChart(TwoSeries()));
}

using Points2 = std::vector<std::pair<double, double>>;

TEST(DownsampleMinMax, LeavesShortSeriesAlone) {
  const Points2 points = {{0, 1}, {1, 5}, {2, 3}};
  EXPECT_EQ(DownsampleMinMax(points, 600), points);
}

TEST(DownsampleMinMax, BoundsLongSeriesAndKeepsSpikesAndDips) {
  Points2 points;
  for (int i = 0; i < 100000; ++i) points.emplace_back(i * 0.001, i == 777 ? 1e9 : i == 91234 ? -5.0 : 10.0);

  const Points2 drawn = DownsampleMinMax(points, 600);

  EXPECT_LE(drawn.size(), 600u);
  EXPECT_GE(drawn.size(), 300u);
  EXPECT_THAT(drawn, ::testing::Contains(points[777]));    // the spike
  EXPECT_THAT(drawn, ::testing::Contains(points[91234]));  // the dip
  EXPECT_TRUE(std::is_sorted(drawn.begin(), drawn.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; }));
}

TEST(DownsampleMinMax, DropsNonFinitePointsAndSortsByTime) {
  const Points2 points = {{2, 1}, {NAN, 1}, {1, INFINITY}, {0, 3}};
  EXPECT_EQ(DownsampleMinMax(points, 600), (Points2{{0, 3}, {2, 1}}));
}

TEST(DownsampleMinMax, KeepsAGapSoTheBreakSurvives) {
  Points2 points;
  for (int i = 0; i < 100000; ++i) points.push_back({i * 0.01, i >= 50000 && i < 50100 ? kGap : 1.0 + i % 7});
  const Points2 drawn = DownsampleMinMax(points, 600);
  EXPECT_LE(drawn.size(), 600u);
  const auto gaps = std::count_if(drawn.begin(), drawn.end(), [](const auto& p) { return IsGap(p); });
  EXPECT_EQ(gaps, 1);  // a run of gaps is one break
  EXPECT_TRUE(std::is_sorted(drawn.begin(), drawn.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; }));
  EXPECT_EQ(DownsampleMinMax({{0, 1}, {1, kGap}, {2, kGap}, {3, 2}}, 600).size(), 3u);
}

TEST(RenderSvgChart, AGapBreaksTheLineIntoOnePolylinePerStretch) {
  ChartSpec spec;
  spec.x_max_s = 10;
  spec.series = {{"p99", "#000", {{0.5, 1}, {1.5, 2}, {2.5, kGap}, {3.5, 4}, {4.5, kGap}, {5.5, 6}, {6.5, 7}}}};
  const std::string svg = RenderSvgChart(spec);
  EXPECT_EQ(Count(svg, "<polyline class=\"series\" data-series=\"p99\""), 3u);
  // The lone point between two gaps is a dot: the point twice.
  const std::string lone = Points(svg, 1);
  const std::string half = lone.substr(0, lone.find(' '));
  EXPECT_EQ(lone, half + " " + half);
  EXPECT_EQ(Count(svg, "<g class=\"legend\">"), 1u);
  EXPECT_EQ(Count(svg, ">p99</text>"), 1u);  // one legend entry, however many stretches
}

TEST(RenderSvgChart, ASeriesWithNothingToDrawIsOneEmptyPolyline) {
  ChartSpec spec;
  spec.x_max_s = 10;
  spec.series = {{"p99", "#000", {{0.5, kGap}, {1.5, kGap}}}};
  const std::string svg = RenderSvgChart(spec);
  EXPECT_EQ(Count(svg, "<polyline"), 1u);
  EXPECT_EQ(Points(svg, 0), "");
}

TEST(DownsampleMinMax, SameTimeEverywhereStillBounded) {
  Points2 points(10000, {5.0, 1.0});
  points[42].second = 7;
  const Points2 drawn = DownsampleMinMax(points, 600);
  EXPECT_EQ(drawn, (Points2{{5.0, 1.0}, {5.0, 7.0}}));
}

TEST(LatencyChart, HasAPointOrAGapEverySecondAndPicksLogForWideRanges) {
  const RunResult result = sample::SampleRunResult();
  const ChartSpec spec = LatencyChart(result);

  ASSERT_EQ(spec.series.size(), 3u);             // p50, p99, failed p99
  EXPECT_EQ(spec.series[0].points.size(), 60u);  // seconds 11 and 45 are gaps: nothing succeeded
  EXPECT_TRUE(IsGap(spec.series[0].points[11]));
  EXPECT_TRUE(IsGap(spec.series[0].points[45]));
  EXPECT_TRUE(spec.log_y);                       // 0.4 ms .. 900 ms
  EXPECT_EQ(spec.bands.size(), 3u);
}

TEST(ThroughputChart, CoversEverySecond) {
  const ChartSpec spec = ThroughputChart(sample::SampleRunResult());

  ASSERT_EQ(spec.series.size(), 2u);
  EXPECT_EQ(spec.series[0].points.size(), 60u);
  EXPECT_EQ(spec.series[0].points[10].second, 10.0);  // 200 requests, 190 errors
  EXPECT_EQ(spec.series[1].points[10].second, 190.0);
  EXPECT_EQ(spec.series[0].points[45].second, 0.0);
}

TEST(FaultBands, UseActualTimesElsePlanned) {
  const std::vector<ChartBand> bands = FaultBands(sample::SampleRunResult());

  ASSERT_EQ(bands.size(), 3u);
  EXPECT_DOUBLE_EQ(bands[0].from_s, 10.002);
  EXPECT_DOUBLE_EQ(bands[0].to_s, 12.31);
  EXPECT_DOUBLE_EQ(bands[2].from_s, 35);
  EXPECT_DOUBLE_EQ(bands[2].to_s, 40);
  EXPECT_EQ(bands[2].label, "corrupt-weights (failed)");
  EXPECT_EQ(bands[0].key, "1");
  EXPECT_EQ(bands[2].key, "3");
}

}  // namespace
}  // namespace faultdrill::reports
