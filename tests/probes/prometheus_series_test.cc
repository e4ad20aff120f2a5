// From scrapes to values: selection by labels, aggregation, counter rates
// (with resets), histogram quantiles from bucket increments.
#include "probes/prometheus_series.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace faultdrill::probes {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using namespace std::chrono_literals;

Exposition Scrape(std::string_view text) {
  auto parsed = ParsePrometheusText(text, BadLines::kFail);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *std::move(parsed) : Exposition{};
}

// The value called `name` in `values`, or NaN when it was left out.
double ValueOf(const std::vector<ProbeValue>& values, std::string_view name) {
  for (const ProbeValue& value : values) {
    if (value.name == name) return value.value;
  }
  return NAN;
}

constexpr char kRequests[] = R"(# TYPE req counter
req{model="tinylm",code="OK"} 10
req{model="tinylm",code="UNAVAILABLE"} 2
req{model="classifier",code="OK"} 30
req{model="classifier",code="OK",extra="x"} 5
)";

TEST(SeriesTracker, AggregatesTheSamplesWhoseLabelsIncludeTheSelection) {
  SeriesTracker tracker(std::vector<SeriesSpec>{
      {.name = "all", .metric = "req"},
      {.name = "ok", .metric = "req", .labels = {{"code", "OK"}}},
      {.name = "ok_tinylm", .metric = "req", .labels = {{"code", "OK"}, {"model", "tinylm"}}},
      {.name = "most", .metric = "req", .aggregate = SeriesSpec::Aggregate::kMax},
      {.name = "least", .metric = "req", .aggregate = SeriesSpec::Aggregate::kMin},
      {.name = "mean", .metric = "req", .aggregate = SeriesSpec::Aggregate::kAvg},
      {.name = "no_extra", .metric = "req", .labels = {{"model", "classifier"}, {"extra", ""}}},
  });
  std::vector<std::string> notes;
  auto values = tracker.Update(Scrape(kRequests), Clock::TimePoint{}, &notes);
  EXPECT_EQ(ValueOf(values, "all"), 47);
  EXPECT_EQ(ValueOf(values, "ok"), 45);
  EXPECT_EQ(ValueOf(values, "ok_tinylm"), 10);
  EXPECT_EQ(ValueOf(values, "most"), 30);
  EXPECT_EQ(ValueOf(values, "least"), 2);
  EXPECT_EQ(ValueOf(values, "mean"), 47.0 / 4);
  EXPECT_EQ(ValueOf(values, "no_extra"), 30);  // "" matches a missing label only
  EXPECT_THAT(notes, IsEmpty());
}

TEST(SeriesTracker, NothingMatchingIsLeftOutWithANote) {
  SeriesTracker tracker(std::vector<SeriesSpec>{{.name = "gone", .metric = "req", .labels = {{"code", "INTERNAL"}}},
                                                {.name = "typo", .metric = "reqs"}});
  std::vector<std::string> notes;
  auto values = tracker.Update(Scrape(kRequests), Clock::TimePoint{}, &notes);
  EXPECT_THAT(values, IsEmpty());
  EXPECT_THAT(notes,
              ElementsAre("gone: no sample matches sum(req{code=\"INTERNAL\"})", "typo: no sample matches sum(reqs)"));
}

TEST(SeriesTracker, RateIsPerSecondBetweenScrapesAndAbsentOnTheFirst) {
  SeriesTracker tracker(
      std::vector<SeriesSpec>{{.name = "rps", .metric = "req", .labels = {{"code", "OK"}}, .rate = true}});
  std::vector<std::string> notes;
  const Clock::TimePoint t0{};
  EXPECT_THAT(tracker.Update(Scrape("req{code=\"OK\",m=\"a\"} 100\nreq{code=\"OK\",m=\"b\"} 50\n"), t0, &notes),
              IsEmpty());
  EXPECT_THAT(notes, ElementsAre("rps: no value before the second scrape"));
  auto values = tracker.Update(Scrape("req{code=\"OK\",m=\"a\"} 120\nreq{code=\"OK\",m=\"b\"} 70\n"), t0 + 2s, &notes);
  EXPECT_DOUBLE_EQ(ValueOf(values, "rps"), 20.0);  // (20 + 20) / 2 s
}

TEST(SeriesTracker, ACounterThatWentDownWasResetAndCountsFromZero) {
  SeriesTracker tracker(std::vector<SeriesSpec>{{.name = "rps", .metric = "req", .rate = true}});
  std::vector<std::string> notes;
  const Clock::TimePoint t0{};
  tracker.Update(Scrape("req{m=\"a\"} 100\nreq{m=\"b\"} 10\n"), t0, &notes);
  // a restarted (100 -> 30: 30 since the reset), b went on (10 -> 20).
  auto values = tracker.Update(Scrape("req{m=\"a\"} 30\nreq{m=\"b\"} 20\n"), t0 + 10s, &notes);
  EXPECT_DOUBLE_EQ(ValueOf(values, "rps"), 4.0);  // (30 + 10) / 10 s, never negative
}

TEST(SeriesTracker, ASeriesThatAppearsLaterCountsFromZero) {
  SeriesTracker tracker(std::vector<SeriesSpec>{{.name = "eps", .metric = "err", .rate = true}});
  std::vector<std::string> notes;
  const Clock::TimePoint t0{};
  tracker.Update(Scrape("err{code=\"UNAVAILABLE\"} 4\n"), t0, &notes);
  auto values = tracker.Update(Scrape("err{code=\"UNAVAILABLE\"} 4\nerr{code=\"INTERNAL\"} 6\n"), t0 + 2s, &notes);
  EXPECT_DOUBLE_EQ(ValueOf(values, "eps"), 3.0);
}

TEST(SeriesTracker, AScrapeThatMatchedNothingIsPassedOverForRates) {
  SeriesTracker tracker(std::vector<SeriesSpec>{{.name = "rps", .metric = "req", .rate = true}});
  std::vector<std::string> notes;
  const Clock::TimePoint t0{};
  tracker.Update(Scrape("req 10\n"), t0, &notes);
  tracker.Update(Scrape("other 1\n"), t0 + 1s, &notes);  // e.g. the line was malformed and skipped
  auto values = tracker.Update(Scrape("req 40\n"), t0 + 3s, &notes);
  EXPECT_DOUBLE_EQ(ValueOf(values, "rps"), 10.0);  // 30 over the 3 s since it last matched
}

constexpr char kBucketsBefore[] = R"(# TYPE lat histogram
lat_bucket{model="a",le="0.1"} 10
lat_bucket{model="a",le="0.5"} 20
lat_bucket{model="a",le="+Inf"} 20
lat_sum{model="a"} 3
lat_count{model="a"} 20
)";
constexpr char kBucketsAfter[] = R"(# TYPE lat histogram
lat_bucket{model="a",le="0.1"} 10
lat_bucket{model="a",le="0.5"} 120
lat_bucket{model="a",le="+Inf"} 120
lat_sum{model="a"} 33
lat_count{model="a"} 120
)";

TEST(SeriesTracker, QuantilesComeFromBucketIncrementsBetweenScrapes) {
  SeriesTracker tracker(
      std::vector<SeriesSpec>{{.name = "p99", .metric = "lat", .labels = {{"model", "a"}}, .quantile = 0.99}});
  std::vector<std::string> notes;
  const Clock::TimePoint t0{};
  EXPECT_THAT(tracker.Update(Scrape(kBucketsBefore), t0, &notes), IsEmpty());
  auto values = tracker.Update(Scrape(kBucketsAfter), t0 + 1s, &notes);
  // The 100 new observations all fell in (0.1, 0.5]: rank 99 of 100 there.
  EXPECT_DOUBLE_EQ(ValueOf(values, "p99"), 0.1 + 0.4 * 0.99);

  notes.clear();
  EXPECT_THAT(tracker.Update(Scrape(kBucketsAfter), t0 + 2s, &notes), IsEmpty());
  EXPECT_THAT(notes, ElementsAre(HasSubstr("no observations in lat since the previous scrape")));
}

TEST(SeriesTracker, QuantilesSumBucketsAcrossMatchingSeries) {
  SeriesTracker tracker(std::vector<SeriesSpec>{{.name = "p50", .metric = "lat", .quantile = 0.5}});
  std::vector<std::string> notes;
  const Clock::TimePoint t0{};
  tracker.Update(Scrape("lat_bucket{m=\"a\",le=\"1\"} 0\nlat_bucket{m=\"a\",le=\"+Inf\"} 0\n"
                        "lat_bucket{m=\"b\",le=\"1\"} 0\nlat_bucket{m=\"b\",le=\"+Inf\"} 0\n"),
                 t0, &notes);
  auto values = tracker.Update(Scrape("lat_bucket{m=\"a\",le=\"1\"} 10\nlat_bucket{m=\"a\",le=\"+Inf\"} 10\n"
                                      "lat_bucket{m=\"b\",le=\"1\"} 0\nlat_bucket{m=\"b\",le=\"+Inf\"} 10\n"),
                               t0 + 1s, &notes);
  EXPECT_DOUBLE_EQ(ValueOf(values, "p50"), 1.0);  // rank 10 of 20: the top of the first bucket
}

TEST(SeriesTracker, NonFiniteResultsAreLeftOut) {
  SeriesTracker tracker(std::vector<SeriesSpec>{{.name = "g", .metric = "g"}});
  std::vector<std::string> notes;
  EXPECT_THAT(tracker.Update(Scrape("g{a=\"1\"} 1\ng{a=\"2\"} NaN\n"), Clock::TimePoint{}, &notes), IsEmpty());
  EXPECT_THAT(notes, ElementsAre("g: sum(g) is nan"));
}

TEST(HistogramQuantile, InterpolatesInsideTheBucketAsPrometheusDoes) {
  const std::map<double, double> buckets{{1, 10}, {2, 20}, {INFINITY, 20}};
  EXPECT_DOUBLE_EQ(*HistogramQuantile(0.5, buckets), 1.0);
  EXPECT_DOUBLE_EQ(*HistogramQuantile(0.75, buckets), 1.5);
  EXPECT_DOUBLE_EQ(*HistogramQuantile(1.0, buckets), 2.0);
  EXPECT_DOUBLE_EQ(*HistogramQuantile(0.0, buckets), 0.0);
  EXPECT_DOUBLE_EQ(*HistogramQuantile(0.25, buckets), 0.5);  // the first bucket starts at 0
}

TEST(HistogramQuantile, TheInfBucketAnswersTheHighestFiniteBound) {
  EXPECT_DOUBLE_EQ(*HistogramQuantile(0.9, {{1, 10}, {INFINITY, 20}}), 1.0);
}

TEST(HistogramQuantile, NoAnswerWithoutInfBucketOrObservations) {
  EXPECT_EQ(HistogramQuantile(0.5, {{1, 10}, {2, 20}}), std::nullopt);
  EXPECT_EQ(HistogramQuantile(0.5, {{1, 0}, {INFINITY, 0}}), std::nullopt);
  EXPECT_EQ(HistogramQuantile(0.5, {{INFINITY, 5}}), std::nullopt);
  EXPECT_EQ(HistogramQuantile(0.5, {}), std::nullopt);
}

TEST(HistogramQuantile, RepairsCountsThatDecreaseWithTheBound) {
  // A scrape racing observations: 2 reads lower than 1; treated as 10.
  EXPECT_DOUBLE_EQ(*HistogramQuantile(0.5, {{1, 10}, {2, 8}, {INFINITY, 20}}), 1.0);
}

TEST(SeriesSpec, DescribesItselfAsPromQl) {
  EXPECT_EQ((SeriesSpec{.name = "x", .metric = "req", .labels = {{"code", "OK"}}, .rate = true}).ToString(),
            "sum(rate(req{code=\"OK\"}))");
  EXPECT_EQ((SeriesSpec{.name = "x", .metric = "lat", .quantile = 0.99}).ToString(),
            "histogram_quantile(0.99, sum by (le)(increase(lat_bucket)))");
}

}  // namespace
}  // namespace faultdrill::probes
