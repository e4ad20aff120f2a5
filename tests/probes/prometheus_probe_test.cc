// The `prometheus` probe with a scripted fetcher and a fake clock: what it
// reports, when it is unhealthy, and the located errors of its keys.
#include "probes/prometheus_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/core/fake_clock.h"
#include "tests/probes/fake_http_fetcher.h"

namespace faultdrill::probes {
namespace {

using ::faultdrill::testing::FakeClock;
using ::faultdrill::testing::FakeHttpFetcher;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using namespace std::chrono_literals;

constexpr char kHead[] = R"(name: t
target: {embedded: true, model: classifier, allow_hosts: [metrics.example]}
load: {generator: {model: classifier}, rate: 10/s, duration: 10s}
probes:
)";

// The scenario with `probe` (YAML lines, indented under probes:) and its settings.
absl::StatusOr<PrometheusProbeSettings> Settings(std::string_view probe) {
  auto scenario = ParseScenario(std::string(kHead) + std::string(probe), "t.yaml");
  if (!scenario.ok()) return scenario.status();
  return ParsePrometheusProbe(scenario->probes.at(0), *scenario);
}

std::string ErrorOf(std::string_view probe) {
  auto settings = Settings(probe);
  EXPECT_FALSE(settings.ok()) << probe;
  return std::string(settings.status().message());
}

double ValueOf(const ProbeResult& result, std::string_view name) {
  for (const ProbeValue& value : result.values) {
    if (value.name == name) return value.value;
  }
  return NAN;
}

class PrometheusProbeTest : public ::testing::Test {
 protected:
  // A probe over the scripted fetcher; `default_url` plays the run's target_metrics_url.
  std::unique_ptr<PrometheusProbe> Probe(std::string_view yaml, std::string default_url = "") {
    auto settings = Settings(yaml);
    EXPECT_TRUE(settings.ok()) << settings.status();
    auto owned = std::make_unique<FakeHttpFetcher>();
    fetcher_ = owned.get();
    return std::make_unique<PrometheusProbe>(
        *std::move(settings), [default_url] { return default_url; }, std::move(owned), clock_);
  }

  FakeClock clock_;
  FakeHttpFetcher* fetcher_ = nullptr;
};

constexpr char kServerProbe[] = R"(  - name: server
    kind: prometheus
    url: http://127.0.0.1:9100/metrics
    timeout: 250ms
    series:
      - {name: requests_per_s, metric: faultdrill_requests_total, rate: true}
      - {name: ok_tinylm, metric: faultdrill_requests_total, labels: {model: tinylm, code: OK}}
      - {name: queue_depth, metric: faultdrill_queue_depth, aggregate: max, unit: requests}
      - {name: p99_seconds, histogram: faultdrill_request_duration_seconds, quantile: 0.99}
)";

std::string Page(int ok_tinylm, int ok_classifier, int queue, int slow_observations) {
  return "# TYPE faultdrill_requests_total counter\n"
         "faultdrill_requests_total{model=\"tinylm\",code=\"OK\"} " +
         std::to_string(ok_tinylm) +
         "\n"
         "faultdrill_requests_total{model=\"classifier\",code=\"OK\"} " +
         std::to_string(ok_classifier) +
         "\n"
         "# TYPE faultdrill_queue_depth gauge\n"
         "faultdrill_queue_depth " +
         std::to_string(queue) +
         "\n"
         "# TYPE faultdrill_request_duration_seconds histogram\n"
         "faultdrill_request_duration_seconds_bucket{model=\"tinylm\",le=\"0.01\"} 0\n"
         "faultdrill_request_duration_seconds_bucket{model=\"tinylm\",le=\"0.1\"} " +
         std::to_string(slow_observations) +
         "\n"
         "faultdrill_request_duration_seconds_bucket{model=\"tinylm\",le=\"+Inf\"} " +
         std::to_string(slow_observations) + "\n";
}

TEST_F(PrometheusProbeTest, ReportsSelectedValuesRatesAndQuantilesAcrossScrapes) {
  auto probe = Probe(kServerProbe);
  EXPECT_EQ(probe->Describe(), "prometheus metrics at http://127.0.0.1:9100/metrics");
  EXPECT_THAT(probe->Values(),
              ElementsAre(AllOf(Field(&ValueInfo::name, "requests_per_s"), Field(&ValueInfo::unit, "1/s")),
                          AllOf(Field(&ValueInfo::name, "ok_tinylm"), Field(&ValueInfo::unit, "")),
                          AllOf(Field(&ValueInfo::name, "queue_depth"), Field(&ValueInfo::unit, "requests")),
                          AllOf(Field(&ValueInfo::name, "p99_seconds"), Field(&ValueInfo::unit, "s"))));
  fetcher_->Reply(Page(100, 50, 3, 0));
  fetcher_->Reply(Page(150, 70, 1, 100));

  ProbeResult first = probe->Check();
  EXPECT_TRUE(first.healthy) << first.detail;
  EXPECT_EQ(ValueOf(first, "ok_tinylm"), 100);
  EXPECT_EQ(ValueOf(first, "queue_depth"), 3);
  EXPECT_TRUE(std::isnan(ValueOf(first, "requests_per_s")));  // no rate on the first scrape
  EXPECT_THAT(first.detail, HasSubstr("requests_per_s: no value before the second scrape"));

  clock_.Advance(2s);
  ProbeResult second = probe->Check();
  EXPECT_TRUE(second.healthy) << second.detail;
  EXPECT_DOUBLE_EQ(ValueOf(second, "requests_per_s"), 35.0);  // (50 + 20) / 2 s
  EXPECT_EQ(ValueOf(second, "ok_tinylm"), 150);
  EXPECT_EQ(ValueOf(second, "queue_depth"), 1);
  EXPECT_DOUBLE_EQ(ValueOf(second, "p99_seconds"), 0.01 + 0.09 * 0.99);
  EXPECT_THAT(second.detail, HasSubstr("samples from http://127.0.0.1:9100/metrics"));
  EXPECT_THAT(fetcher_->urls(), ElementsAre("http://127.0.0.1:9100/metrics", "http://127.0.0.1:9100/metrics"));
  EXPECT_THAT(fetcher_->timeouts(), ElementsAre(250ms, 250ms));
}

TEST_F(PrometheusProbeTest, AFailedScrapeIsUnhealthyAndNamesTheProblem) {
  auto probe = Probe(kServerProbe);
  fetcher_->Fail(absl::DeadlineExceededError("GET http://127.0.0.1:9100/metrics: no complete response within 250ms"));
  ProbeResult result = probe->Check();
  EXPECT_FALSE(result.healthy);
  EXPECT_THAT(result.detail, HasSubstr("no complete response within 250ms"));
  EXPECT_THAT(result.values, IsEmpty());
}

TEST_F(PrometheusProbeTest, MalformedLinesAreSkippedAndReportedTheScrapeStaysHealthy) {
  auto probe = Probe(kServerProbe);
  fetcher_->Reply(Page(1, 1, 0, 0) + "faultdrill_queue_depth{oops 5\n");
  ProbeResult result = probe->Check();
  EXPECT_TRUE(result.healthy) << result.detail;
  EXPECT_EQ(ValueOf(result, "queue_depth"), 0);
  EXPECT_THAT(result.detail, HasSubstr("skipped 1 malformed line(s), the first at line 10:29: expected '='"));
}

TEST_F(PrometheusProbeTest, AnExpositionOverTheCapsIsUnhealthy) {
  auto probe = Probe(kServerProbe);
  std::string flood;
  for (int i = 0; i < 600'000; ++i) flood += "m 1\n";
  fetcher_->Reply(flood);
  ProbeResult result = probe->Check();
  EXPECT_FALSE(result.healthy);
  EXPECT_THAT(result.detail, HasSubstr("more than 500000 samples"));
}

TEST_F(PrometheusProbeTest, WithoutUrlItScrapesTheTargetsMetricsEndpoint) {
  auto probe = Probe("  - {kind: prometheus}\n", "http://127.0.0.1:4321/metrics");
  EXPECT_EQ(probe->Describe(), "prometheus metrics of the target");
  fetcher_->Reply("faultdrill_queue_depth 2\n");
  ProbeResult result = probe->Check();
  EXPECT_TRUE(result.healthy) << result.detail;
  EXPECT_THAT(fetcher_->urls(), ElementsAre("http://127.0.0.1:4321/metrics"));
  // The reference server's series by default.
  EXPECT_EQ(ValueOf(result, "queue_depth"), 2);
  std::vector<std::string> names;
  for (const ValueInfo& value : probe->Values()) names.push_back(value.name);
  EXPECT_THAT(names, ElementsAre("requests_per_s", "errors_per_s", "queue_depth", "p99_seconds", "models_ready"));
}

TEST_F(PrometheusProbeTest, WithoutUrlAndWithoutATargetEndpointTheCheckFailsClearly) {
  auto probe = Probe("  - {kind: prometheus}\n", "");
  ProbeResult result = probe->Check();
  EXPECT_FALSE(result.healthy);
  EXPECT_EQ(result.detail, "the target exposes no metrics endpoint; set url");
  EXPECT_THAT(fetcher_->urls(), IsEmpty());
}

TEST(PrometheusProbeRegistry, TheRegistryBuildsThePrometheusKindWithoutTouchingAnything) {
  auto scenario = ParseScenario(std::string(kHead) + kServerProbe, "t.yaml");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  ProbeContext context{*scenario};
  auto probe = Registry::Default().Create(scenario->probes[0], context);
  ASSERT_TRUE(probe.ok()) << probe.status();
  EXPECT_EQ((*probe)->Values().size(), 4u);
  EXPECT_TRUE(Registry::Default().Kinds().contains("prometheus"));
}

TEST(ParsePrometheusProbe, AcceptsAllowListedHostsAndDefaults) {
  auto settings = Settings(
      "  - {kind: prometheus, url: \"http://metrics.example:9100/metrics\", series: [{name: up, metric: up}]}\n");
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->url->host, "metrics.example");
  EXPECT_EQ(settings->fetch.timeout, 1s);
  ASSERT_EQ(settings->series.size(), 1u);
  EXPECT_EQ(settings->series[0].aggregate, SeriesSpec::Aggregate::kSum);
  EXPECT_FALSE(settings->series[0].rate);
}

struct BadProbe {
  const char* test_name;
  const char* yaml;   // lines under probes:
  const char* where;  // "line:col" in t.yaml
  const char* message;
};

class ParsePrometheusProbeErrors : public ::testing::TestWithParam<BadProbe> {};

TEST_P(ParsePrometheusProbeErrors, NameTheFileLineColumnAndTheProblem) {
  const BadProbe& bad = GetParam();
  const std::string message = ErrorOf(bad.yaml);
  EXPECT_THAT(message, HasSubstr(std::string("t.yaml:") + bad.where + ":")) << message;
  EXPECT_THAT(message, HasSubstr(bad.message)) << message;
}

INSTANTIATE_TEST_SUITE_P(
    BadKeys, ParsePrometheusProbeErrors,
    ::testing::Values(
        BadProbe{"UnknownKey", "  - {kind: prometheus, urll: x}\n", "5:24", "unknown key 'urll'"},
        BadProbe{"Https", "  - {kind: prometheus, url: \"https://127.0.0.1/m\"}\n", "5:29", "https is not supported"},
        BadProbe{"HostNotAllowed", "  - {kind: prometheus, url: \"http://10.0.0.8:9100/m\"}\n", "5:29",
                 "'10.0.0.8' is not on loopback; list 10.0.0.8 under target.allow_hosts"},
        BadProbe{"ZeroTimeout", "  - {kind: prometheus, timeout: 0s}\n", "5:33", "timeout: must be greater than zero"},
        BadProbe{"SeriesNotAList", "  - {kind: prometheus, series: {name: x}}\n", "5:32", "expected a list"},
        BadProbe{"EmptySeries", "  - {kind: prometheus, series: []}\n", "5:32", "must name at least one series"},
        BadProbe{"SeriesNotAMap", "  - kind: prometheus\n    series:\n      - up\n", "7:9", "series 1: expected a map"},
        BadProbe{"UnknownSeriesKey", "  - kind: prometheus\n    series:\n      - {name: x, metric: up, rates: true}\n",
                 "7:31", "series 1: unknown key 'rates'"},
        BadProbe{"NoMetric", "  - kind: prometheus\n    series:\n      - {name: x}\n", "7:9",
                 "needs `metric` (a sample name) or `histogram`"},
        BadProbe{"MetricAndHistogram",
                 "  - kind: prometheus\n    series:\n      - {name: x, metric: a, histogram: b}\n", "7:41",
                 "give either `metric` or `histogram`, not both"},
        BadProbe{"BadValueName", "  - kind: prometheus\n    series:\n      - {name: Requests, metric: up}\n", "7:16",
                 "must be lowercase letters"},
        BadProbe{"HealthyName", "  - kind: prometheus\n    series:\n      - {name: healthy, metric: up}\n", "7:16",
                 "not 'healthy'"},
        BadProbe{"DuplicateName",
                 "  - kind: prometheus\n    series:\n      - {name: x, metric: up}\n      - {name: x, metric: down}\n",
                 "8:9", "series 2: name 'x' is used twice"},
        BadProbe{"BadMetricName", "  - kind: prometheus\n    series:\n      - {name: x, metric: \"up-time\"}\n", "7:27",
                 "is not a metric name"},
        BadProbe{"BadLabelName", "  - kind: prometheus\n    series:\n      - {name: x, metric: up, labels: {9z: a}}\n",
                 "7:40", "'9z' is not a label name"},
        BadProbe{"LabelValueNotAString",
                 "  - kind: prometheus\n    series:\n      - {name: x, metric: up, labels: {a: [1]}}\n", "7:43",
                 "labels: a: expected a string"},
        BadProbe{"BadAggregate",
                 "  - kind: prometheus\n    series:\n      - {name: x, metric: up, aggregate: median}\n", "7:42",
                 "aggregate"},
        BadProbe{"QuantileOutOfRange",
                 "  - kind: prometheus\n    series:\n      - {name: x, histogram: lat, quantile: 1.5}\n", "7:45",
                 "quantile"},
        BadProbe{"QuantileMissing", "  - kind: prometheus\n    series:\n      - {name: x, histogram: lat}\n", "7:9",
                 "quantile"},
        BadProbe{"QuantileOnAMetric",
                 "  - kind: prometheus\n    series:\n      - {name: x, metric: lat, quantile: 0.5}\n", "7:42",
                 "applies to a `histogram`"},
        BadProbe{"RateOnAHistogram",
                 "  - kind: prometheus\n    series:\n      - {name: x, histogram: lat, quantile: 0.5, rate: true}\n",
                 "7:56", "does not apply to a histogram quantile"},
        BadProbe{"BucketSuffix",
                 "  - kind: prometheus\n    series:\n      - {name: x, histogram: lat_bucket, quantile: 0.5}\n", "7:30",
                 "without the _bucket suffix"},
        BadProbe{"SelectOnLe",
                 "  - kind: prometheus\n    series:\n      - {name: x, histogram: lat, quantile: 0.5, labels: {le: "
                 "\"1\"}}\n",
                 "7:58", "cannot select on 'le'"}),
    [](const ::testing::TestParamInfo<BadProbe>& info) { return info.param.test_name; });

}  // namespace
}  // namespace faultdrill::probes
