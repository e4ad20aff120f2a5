// The judgement sections of a scenario: probes, probe thresholds, abort_when,
// golden, candidate and capacity, and their bad-input suite.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/scenario.h"

namespace faultdrill {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;

constexpr char kMinimal[] = R"(name: t
target:
  embedded: true
  model: classifier
load:
  generator: {model: classifier}
  rate: 100/s
  duration: 20s
)";

std::string Minimal(std::string_view extra) { return std::string(kMinimal) + std::string(extra); }

constexpr char kJudgement[] = R"(probes:
  - {name: server, kind: process, interval: 250ms, leak: {max_slope: 1MiB/min}}
  - {kind: prometheus}
steady_state:
  - probe: {kind: health}
    continuous: true
  - probe: server
  - slo: {probe: server, value: rss_bytes, max: 512MiB, continuous: true}
faults:
  - {kind: process-kill, name: kill, at: 5s, restart_after: 1s}
slos:
  - {name: bounded memory, window: during(kill), probe: server, value: rss_bytes, max: 1GiB, stat: mean}
  - {probe: prometheus, value: queue_depth, min: 0, max: 80%}
abort_when:
  - {error_rate: 50%, for: 10s}
  - {p99_latency: 2s}
  - {probe: server, value: rss_bytes, max: 2GiB, for: 3s}
golden:
  masters: masters/t.golden.jsonl
  tolerance: {abs: 1e-5, rel: 1e-4}
  outputs:
    PROBABILITIES: {ulp: 4, argmax: true, top_k: 2}
    TEXT: {max_edit_distance: 2}
  nan: differ
  windows: [before, after(kill)]
  max_differing: 3
candidate: {endpoint: 127.0.0.1:9001, latency_slack: 50%}
)";

TEST(ParseScenario, ReadsEveryJudgementSection) {
  absl::StatusOr<Scenario> parsed = ParseScenario(Minimal(kJudgement), "/drills/t.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const Scenario& s = *parsed;

  ASSERT_EQ(s.probes.size(), 2u);
  EXPECT_EQ(s.probes[0].name, "server");
  EXPECT_EQ(s.probes[0].interval, milliseconds(250));
  EXPECT_NE(s.probes[0].params.Find("leak"), nullptr);
  EXPECT_EQ(s.probes[0].params.Find("interval"), nullptr);
  EXPECT_EQ(s.probes[1].name, "prometheus");  // defaults to the kind
  EXPECT_EQ(s.probes[1].interval, seconds(1));

  ASSERT_EQ(s.steady_state.probes.size(), 2u);
  EXPECT_TRUE(s.steady_state.probes[0].continuous);
  EXPECT_EQ(s.steady_state.probes[0].name, "health");
  EXPECT_EQ(s.steady_state.probes[1].kind, "process");  // a reference to a named probe
  EXPECT_FALSE(s.steady_state.probes[1].continuous);
  ASSERT_EQ(s.steady_state.slos.size(), 1u);
  EXPECT_TRUE(s.steady_state.slos[0].continuous);
  EXPECT_EQ(s.steady_state.slos[0].probe->max, 512.0 * 1024 * 1024);

  ASSERT_EQ(s.slos.size(), 2u);
  EXPECT_EQ(s.slos[0].probe->stat, ProbeThreshold::Stat::kMean);
  EXPECT_EQ(s.slos[0].probe->max, 1024.0 * 1024 * 1024);
  EXPECT_EQ(s.slos[1].probe->min, 0.0);
  EXPECT_EQ(s.slos[1].probe->max, 80.0);
  EXPECT_EQ(s.slos[1].name, "max of prometheus.queue_depth <= 80 and >= 0");

  ASSERT_EQ(s.abort_when.size(), 3u);
  EXPECT_EQ(s.abort_when[0].ToString(), "error_rate > 50% for 10s");
  EXPECT_EQ(s.abort_when[1].ToString(), "p99_latency > 2s");
  EXPECT_EQ(s.abort_when[2].hold, seconds(3));
  EXPECT_EQ(s.abort_when[2].ToString(), "server.rss_bytes > 2147483648 for 3s");

  ASSERT_TRUE(s.golden.has_value());
  EXPECT_EQ(s.golden->masters, "/drills/masters/t.golden.jsonl");
  EXPECT_EQ(s.golden->tolerance.abs, 1e-5);
  EXPECT_EQ(s.golden->ToleranceFor("PROBABILITIES").ulp, 4u);
  EXPECT_TRUE(s.golden->ToleranceFor("PROBABILITIES").argmax);
  EXPECT_EQ(s.golden->ToleranceFor("PROBABILITIES").top_k, 2);
  EXPECT_EQ(s.golden->ToleranceFor("TEXT").max_edit_distance, 2u);
  EXPECT_EQ(s.golden->ToleranceFor("OTHER").rel, 1e-4);
  EXPECT_FALSE(s.golden->nan_equal);
  ASSERT_EQ(s.golden->windows.size(), 2u);
  EXPECT_EQ(s.golden->windows[1].ToString(), "after(kill)");
  EXPECT_EQ(s.golden->max_differing, 3u);

  ASSERT_TRUE(s.candidate.has_value());
  EXPECT_EQ(s.candidate->endpoint, "127.0.0.1:9001");
  EXPECT_DOUBLE_EQ(s.candidate->latency_slack, 0.5);
}

TEST(ParseScenario, GoldenDefaultsToTheWholeRun) {
  absl::StatusOr<Scenario> s = ParseScenario(Minimal("golden: {masters: m.jsonl}\n"), "t.yaml");
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->golden->windows.size(), 1u);
  EXPECT_EQ(s->golden->windows[0].ToString(), "all");
  EXPECT_TRUE(s->golden->nan_equal);
  EXPECT_EQ(s->golden->record_requests, 0u);  // every request of the set
}

TEST(ParseScenario, OneAbortConditionMayBeAMap) {
  absl::StatusOr<Scenario> s = ParseScenario(Minimal("abort_when: {error_rate: 90%}\n"), "t.yaml");
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->abort_when.size(), 1u);
  EXPECT_EQ(s->abort_when[0].hold, seconds(0));
}

// Casting 1e300 to an integer is undefined; in a constant expression it does
// not compile, so these prove WholeQuantity never does it.
static_assert(!WholeQuantity(1e300));
static_assert(!WholeQuantity(-1e300));
static_assert(!WholeQuantity(9.3e18));
static_assert(!WholeQuantity(0.5));
static_assert(*WholeQuantity(1073741824.0) == 1073741824);

TEST(ParseScenario, AHugeProbeThresholdIsKeptAsADouble) {
  absl::StatusOr<Scenario> s = ParseScenario(
      Minimal("probes: [{name: server, kind: process}]\n"
              "slos: [{probe: server, value: rss_bytes, max: 1e300}, {probe: server, value: rss_bytes, min: -1e300}]\n"),
      "t.yaml");
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->slos.size(), 2u);
  ASSERT_TRUE(s->slos[0].probe.has_value());
  EXPECT_EQ(*s->slos[0].probe->max, 1e300);
  EXPECT_EQ(s->slos[0].probe->ToString(), "max of server.rss_bytes <= 1e+300");
  EXPECT_EQ(s->slos[1].probe->ToString(), "min of server.rss_bytes >= -1e+300");
  EXPECT_EQ(FormatQuantity(1073741824.0), "1073741824");
}

TEST(ParseScenario, ReadsCapacity) {
  absl::StatusOr<Scenario> s = ParseScenario(
      Minimal("capacity: {p99_latency: 50ms, error_rate: 1%, for: 3s, stop: false, min_rate: 300/s}\n"), "t.yaml");
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_TRUE(s->capacity.has_value());
  EXPECT_EQ(s->capacity->p99_latency, milliseconds(50));
  EXPECT_DOUBLE_EQ(*s->capacity->error_rate, 0.01);
  EXPECT_EQ(s->capacity->hold, seconds(3));
  EXPECT_FALSE(s->capacity->stop);
  EXPECT_DOUBLE_EQ(s->capacity->min_rate->per_second, 300);
  EXPECT_EQ(s->capacity->where.line, 9);
  EXPECT_EQ(s->capacity->ToString(), "p99_latency <= 50ms, error_rate <= 1% for 3s");
}

TEST(ParseScenario, CapacityDefaultsToStopAfterTwoSeconds) {
  absl::StatusOr<Scenario> s = ParseScenario(Minimal("capacity: {error_rate: 0.5%}\n"), "t.yaml");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->capacity->hold, seconds(2));
  EXPECT_TRUE(s->capacity->stop);
  EXPECT_FALSE(s->capacity->p99_latency.has_value());
  EXPECT_FALSE(s->capacity->min_rate.has_value());
  EXPECT_EQ(s->capacity->ToString(), "error_rate <= 0.5% for 2s");
  EXPECT_FALSE(ParseScenario(kMinimal, "t.yaml")->capacity.has_value());
}

TEST(ParseScenario, CapacityNeedsAnOpenLoop) {
  absl::StatusOr<Scenario> s = ParseScenario(R"(name: t
target: {embedded: true, model: classifier}
load: {generator: {model: classifier}, mode: closed, concurrency: 4, duration: 5s}
capacity: {p99_latency: 50ms}
)",
                                             "bad.yaml");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.status().message()),
              ::testing::StartsWith("bad.yaml:4:11: capacity: needs 'load.mode: open'"));
}

struct BadJudgement {
  std::string test_name;
  std::string yaml;
  std::string where;
  std::string fragment;
};

void PrintTo(const BadJudgement& c, std::ostream* os) { *os << c.test_name; }

class BadJudgementTest : public ::testing::TestWithParam<BadJudgement> {};

TEST_P(BadJudgementTest, IsReportedAtItsPosition) {
  const BadJudgement& c = GetParam();
  absl::StatusOr<Scenario> s = ParseScenario(Minimal(c.yaml), "bad.yaml");
  ASSERT_FALSE(s.ok()) << "accepted:\n" << c.yaml;
  std::string message(s.status().message());
  EXPECT_THAT(message, ::testing::StartsWith("bad.yaml:" + c.where + ": ")) << message;
  EXPECT_THAT(message, HasSubstr(c.fragment)) << message;
}

const BadJudgement kBadJudgements[] = {
    {"ProbesNotAList", "probes: {kind: process}\n", "9:9", "probes: expected a list, got a map"},
    {"ProbeWithoutKind", "probes:\n  - {name: x}\n", "10:5", "probes[0]: missing required key 'kind'"},
    {"ProbeBadName", "probes:\n  - {name: My Probe, kind: process}\n", "10:12", "is not a probe name"},
    {"DuplicateProbeNames", "probes:\n  - {kind: process}\n  - {kind: process}\n", "11:5",
     "probes[1]: duplicate probe name 'process' (also at line 10)"},
    {"ProbeIntervalTooShort", "probes:\n  - {kind: process, interval: 1ms}\n", "10:31", "must be at least 10ms"},
    {"SloNamesUnknownProbe", "slos:\n  - {probe: nope, value: x, max: 1}\n", "10:13",
     "slos[0]: probe: no probe named 'nope' (the scenario has no 'probes:' section)"},
    {"SloProbeWithoutBound", "probes:\n  - {kind: process}\nslos:\n  - {probe: process, value: rss_bytes}\n",
     "12:5", "'probe' needs a bound"},
    {"SloProbeBadValueName", "probes:\n  - {kind: process}\nslos:\n  - {probe: process, value: RSS, max: 1}\n",
     "12:29", "'RSS' is not a value name"},
    {"SloProbeBadQuantity",
     "probes:\n  - {kind: process}\nslos:\n  - {probe: process, value: rss_bytes, max: lots}\n", "12:45",
     "'lots': expected a number, a size such as 512MiB"},
    {"SloProbeMinAboveMax",
     "probes:\n  - {kind: process}\nslos:\n  - {probe: process, value: rss_bytes, max: 1, min: 2}\n", "12:53",
     "min: is greater than 'max'"},
    {"SloValueWithoutProbe", "slos:\n  - {value: rss_bytes, max: 1}\n", "10:13",
     "value: only applies together with 'probe'"},
    {"SloBadStat", "probes:\n  - {kind: process}\nslos:\n  - {probe: process, value: v, max: 1, stat: p99}\n",
     "12:46", "stat:"},
    {"ContinuousLatencySlo", "steady_state:\n  - slo: {p99_latency: 1s, continuous: true}\n", "10:40",
     "continuous: applies to probe values only"},
    {"ContinuousOnAnSloEntry", "steady_state:\n  - slo: {p99_latency: 1s}\n    continuous: true\n", "11:17",
     "for an SLO, write it inside the slo"},
    {"SteadyStateUnknownProbeName", "steady_state:\n  - probe: server\n", "10:12", "no probe named 'server'"},
    {"AbortWithoutCondition", "abort_when: {for: 1s}\n", "9:13", "abort_when: no condition"},
    {"AbortTwoConditions", "abort_when: {error_rate: 5%, p99_latency: 1s}\n", "9:13", "one condition per entry"},
    {"AbortNotAMap", "abort_when: 50%\n", "9:13", "abort_when: expected a map such as"},
    {"AbortBadHold", "abort_when:\n  - {error_rate: 5%, for: soon}\n", "10:27", "abort_when[0]: for:"},
    {"AbortWithStat",
     "probes:\n  - {kind: process}\nabort_when:\n  - {probe: process, value: v, max: 1, stat: mean}\n", "12:40",
     "unknown key 'stat'"},
    {"GoldenWithoutMasters", "golden: {tolerance: {abs: 1}}\n", "9:9", "golden: missing required key 'masters'"},
    {"GoldenUnknownToleranceKey", "golden: {masters: m, tolerance: {absolute: 1}}\n", "9:34",
     "golden.tolerance: unknown key 'absolute'"},
    {"GoldenExactWithAbs", "golden: {masters: m, tolerance: {exact: true, abs: 1}}\n", "9:41",
     "exact: cannot be combined"},
    {"GoldenNegativeAbs", "golden: {masters: m, tolerance: {abs: -1}}\n", "9:39", "abs:"},
    {"GoldenBadNanRule", "golden: {masters: m, nan: maybe}\n", "9:27", "nan:"},
    {"GoldenWindowUnknownFault", "golden: {masters: m, windows: [during(x)]}\n", "9:32", "no fault named 'x'"},
    {"GoldenZeroRecordRequests", "golden: {masters: m, record_requests: 0}\n", "9:39", "must be at least 1"},
    {"CandidateWithoutTarget", "candidate: {latency_slack: 10%}\n", "9:12",
     "candidate: set either 'endpoint: host:port' or 'embedded: true'"},
    {"CandidateBadEndpoint", "candidate: {endpoint: nowhere}\n", "9:23", "'nowhere' is not host:port"},
    {"CandidateEndpointAndEmbedded", "candidate: {embedded: true, endpoint: 127.0.0.1:1}\n", "9:39",
     "cannot be combined with 'embedded: true'"},
    {"CapacityWithoutCriterion", "capacity: {for: 2s}\n", "9:11",
     "capacity: no criterion: set p99_latency, error_rate or both"},
    {"CapacityBadLatency", "capacity: {p99_latency: fast}\n", "9:25", "capacity: p99_latency:"},
    {"CapacityZeroLatency", "capacity: {p99_latency: 0ms}\n", "9:25", "must be greater than 0"},
    {"CapacityErrorRateAbove100", "capacity: {error_rate: 150%}\n", "9:24", "capacity: error_rate:"},
    {"CapacityBadStop", "capacity: {p99_latency: 50ms, stop: maybe}\n", "9:37", "capacity: stop:"},
    {"CapacityNegativeFor", "capacity: {p99_latency: 50ms, for: -1s}\n", "9:36", "capacity: for:"},
    {"CapacityZeroMinRate", "capacity: {p99_latency: 50ms, min_rate: 0/s}\n", "9:41", "must be greater than 0/s"},
    {"CapacityBadMinRate", "capacity: {p99_latency: 50ms, min_rate: fast}\n", "9:41", "capacity: min_rate:"},
    {"CapacityUnknownKey", "capacity: {p99_latency: 50ms, rate: 1/s}\n", "9:31", "capacity: unknown key 'rate'"},
    {"CapacityNotAMap", "capacity: 50ms\n", "9:11", "capacity"},
};

INSTANTIATE_TEST_SUITE_P(Judgement, BadJudgementTest, ::testing::ValuesIn(kBadJudgements),
                         [](const auto& info) { return info.param.test_name; });

}  // namespace
}  // namespace faultdrill
