#include "core/run_result.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nlohmann/json.hpp"

namespace faultdrill {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

RunResult FullResult() {
  RunResult r;
  r.faultdrill_version = "0.1.0";
  r.scenario_name = "quickstart";
  r.scenario_file = "scenarios/quickstart.yaml";
  r.seed = UINT64_MAX;
  r.started_at = "2024-05-01T12:00:00Z";
  r.duration_s = 20.000000001;
  r.outcome = Outcome::kFailed;
  r.exit_code = 1;
  r.abort_reason = "";
  r.target = {"127.0.0.1:8001", "classifier", true};
  r.load = {"open", 200, 0, 4000, 3990, 199.5};
  WindowResult w;
  w.name = "during(kill-server)";
  w.start_s = 10;
  w.end_s = 12.5;
  w.requests = 500;
  w.ok = 480;
  w.errors = 20;
  w.errors_by_code = {{"UNAVAILABLE", 18}, {"DEADLINE_EXCEEDED", 2}};
  w.throughput_rps = 0.1 + 0.2;  // not exactly representable: must survive as is
  w.latency = {500, 1.5, 2.25, 812.125, 900, 901, 12.0 / 7};
  w.ok_latency = {480, 2, 3, 812.5, 900, 901, 13.0 / 7};
  w.failed_latency = {20, 0.375, 0.5, 0.625, 0.75, 0.8, 0.4};
  w.service_time = {500, 1, 2, 3, 4, 5, 1e-300};
  r.windows = {w, WindowResult{}};
  r.windows[1].name = "all";
  SecondSample s;
  s.second = 11;
  s.requests = 200;
  s.errors = 3;
  s.errors_by_code = {{"UNAVAILABLE", 3}};
  s.p50_ms = 1.25;
  s.p99_ms = 40;
  s.max_ms = 41;
  s.ok_latency = {1.5, 3, 40.5, 41};
  s.failed_latency = {0.25, 0.3, 0.35, 0.375};
  r.series = {s};
  FaultRecord f;
  f.name = "kill-server";
  f.kind = "process-kill";
  f.description = "SIGKILL pid 1234, restart after 2s";
  f.planned_at_s = 10;
  f.planned_end_s = 12;
  f.applied_at_s = 10.0004;
  f.reverted_at_s = 12.001;
  f.state = "reverted";
  f.counters = {{"signals_sent", 1}, {"restarts", 1}, {"negative", -5}};
  FaultRecord pending;
  pending.name = "net";
  pending.kind = "network-latency";
  pending.state = "failed";
  pending.error = "tc: permission denied";
  r.faults = {f, pending};
  Verdict v;
  v.name = "p99 during kill";
  v.group = "slo";
  v.window = "during(kill-server)";
  v.metric = "p99_latency";
  v.comparison = "<=";
  v.threshold = 150;
  v.measured = 812.125;
  v.unit = "ms";
  v.passed = false;
  v.message = "p99 812.1ms > 150.0ms in during(kill-server) \"quoted\" ünïcode";
  v.duration_s = 2.5;
  Verdict unmeasured = v;
  unmeasured.name = "recovers";
  unmeasured.measured.reset();
  r.verdicts = {v, unmeasured};
  r.events = {{10.0004, "injector:kill-server", "sent SIGKILL"}, {0, "runner", "load started"}};
  return r;
}

TEST(Outcome, HasStableNames) {
  EXPECT_EQ(OutcomeName(Outcome::kPassed), "passed");
  EXPECT_EQ(OutcomeName(Outcome::kFailed), "failed");
  EXPECT_EQ(OutcomeName(Outcome::kAborted), "aborted");
  EXPECT_EQ(OutcomeName(Outcome::kError), "error");
}

TEST(RunResult, FindsWindowsByName) {
  RunResult r = FullResult();
  ASSERT_NE(r.FindWindow("all"), nullptr);
  EXPECT_EQ(r.FindWindow("all"), &r.windows[1]);
  EXPECT_EQ(r.FindWindow("final"), nullptr);
  EXPECT_DOUBLE_EQ(r.windows[0].error_rate(), 0.04);
  EXPECT_EQ(r.windows[1].error_rate(), 0.0);
}

TEST(RunResultJson, WritesSchemaVersionAndSnakeCaseKeys) {
  json j = ToJson(FullResult());
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["outcome"], "failed");
  EXPECT_EQ(j["seed"].get<uint64_t>(), UINT64_MAX);
  EXPECT_EQ(j["target"]["embedded"], true);
  EXPECT_EQ(j["windows"][0]["errors_by_code"]["UNAVAILABLE"], 18);
  EXPECT_EQ(j["windows"][0]["latency"]["p999_ms"], 900);
  EXPECT_EQ(j["faults"][0]["counters"]["negative"], -5);
  EXPECT_EQ(j["verdicts"][0]["measured"], 812.125);
  EXPECT_EQ(j["events"][0]["t_s"], 10.0004);
}

TEST(RunResultJson, OmitsAbsentOptionalFields) {
  json j = ToJson(FullResult());
  EXPECT_FALSE(j["verdicts"][1].contains("measured"));
  EXPECT_FALSE(j["faults"][1].contains("planned_end_s"));
  EXPECT_FALSE(j["faults"][1].contains("applied_at_s"));
  EXPECT_FALSE(j["faults"][1].contains("reverted_at_s"));
  EXPECT_TRUE(j["faults"][0].contains("reverted_at_s"));
}

TEST(RunResultJson, RoundTripsLosslesslyThroughText) {
  RunResult original = FullResult();
  std::string text = ToJson(original).dump(2);
  absl::StatusOr<RunResult> back = RunResultFromJson(json::parse(text));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(ToJson(*back).dump(2), text);
  EXPECT_EQ(back->windows[0].throughput_rps, 0.1 + 0.2);
  EXPECT_EQ(back->windows[0].latency.mean_ms, 12.0 / 7);
  EXPECT_EQ(back->windows[0].service_time.mean_ms, 1e-300);
  EXPECT_EQ(back->seed, UINT64_MAX);
  EXPECT_EQ(back->outcome, Outcome::kFailed);
  EXPECT_EQ(back->faults[0].applied_at_s, 10.0004);
  EXPECT_EQ(back->faults[1].applied_at_s, std::nullopt);
  EXPECT_EQ(back->verdicts[1].measured, std::nullopt);
  EXPECT_EQ(back->verdicts[0].message, original.verdicts[0].message);
  EXPECT_EQ(back->faults[0].counters.at("negative"), -5);
}

TEST(RunResultJson, KeepsSuccessfulAndFailedLatencyApart) {
  json j = ToJson(FullResult());
  EXPECT_EQ(j["windows"][0]["ok_latency"]["count"], 480);
  EXPECT_EQ(j["windows"][0]["failed_latency"]["p99_ms"], 0.625);
  EXPECT_EQ(j["series"][0]["ok_latency"]["p99_ms"], 40.5);
  EXPECT_EQ(j["series"][0]["failed_latency"]["max_ms"], 0.375);
  absl::StatusOr<RunResult> back = RunResultFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->windows[0].ok_latency.mean_ms, 13.0 / 7);
  EXPECT_EQ(back->windows[0].failed_latency.count, 20u);
  EXPECT_EQ(back->series[0].ok_latency.p90_ms, 3);
  EXPECT_EQ(back->series[0].failed_latency.p50_ms, 0.25);
}

TEST(RunResultJson, ReadsAResultWrittenBeforeFailedCallsWereKeptApart) {
  json j = ToJson(FullResult());
  for (json* item : {&j["windows"][0], &j["windows"][1], &j["series"][0]}) {
    item->erase("ok_latency");
    item->erase("failed_latency");
  }
  absl::StatusOr<RunResult> back = RunResultFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status();
  // Both kinds of call happened: each kind gets every call's numbers, the best there is.
  const WindowResult& w = back->windows[0];
  EXPECT_EQ(w.ok_latency.count, 480u);
  EXPECT_EQ(w.ok_latency.p99_ms, 812.125);
  EXPECT_EQ(w.failed_latency.count, 20u);
  EXPECT_EQ(w.failed_latency.p99_ms, 812.125);
  EXPECT_EQ(back->series[0].ok_latency.p99_ms, 40);
  EXPECT_EQ(back->series[0].failed_latency.p99_ms, 40);
  // A window without calls of a kind has no latency of that kind.
  EXPECT_EQ(back->windows[1].ok_latency.count, 0u);
  EXPECT_EQ(back->windows[1].failed_latency.p99_ms, 0);
}

TEST(RunResultJson, RoundTripsAnEmptyResult) {
  absl::StatusOr<RunResult> back = RunResultFromJson(ToJson(RunResult{}));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(ToJson(*back), ToJson(RunResult{}));
}

TEST(RunResultJson, IgnoresUnknownFieldsForForwardCompatibility) {
  json j = ToJson(FullResult());
  j["added_later"] = {1, 2};
  j["windows"][0]["p9999_ms"] = 1;
  EXPECT_TRUE(RunResultFromJson(j).ok());
}

struct BadJson {
  std::string test_name;
  std::function<void(json&)> corrupt;
  std::string message;
};

void PrintTo(const BadJson& c, std::ostream* os) { *os << c.test_name; }

class RunResultBadJsonTest : public ::testing::TestWithParam<BadJson> {};

TEST_P(RunResultBadJsonTest, NamesTheJsonPath) {
  json j = ToJson(FullResult());
  j["verdicts"].push_back(j["verdicts"][0]);
  j["verdicts"].push_back(j["verdicts"][0]);  // so that verdicts[3] exists
  GetParam().corrupt(j);
  absl::StatusOr<RunResult> r = RunResultFromJson(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), GetParam().message);
}

const BadJson kBadJson[] = {
    {"MistypedBoolean", [](json& j) { j["verdicts"][3]["passed"] = "yes"; },
     "verdicts[3].passed: expected boolean, got string"},
    {"MissingField", [](json& j) { j["windows"][0].erase("ok"); }, "windows[0].ok: missing required field"},
    {"MissingTopLevelField", [](json& j) { j.erase("scenario_name"); }, "scenario_name: missing required field"},
    {"MistypedNestedObject", [](json& j) { j["target"] = "x"; }, "target: expected object, got string"},
    {"MistypedList", [](json& j) { j["events"] = json::object(); }, "events: expected array, got object"},
    {"NegativeCount", [](json& j) { j["load"]["sent"] = -1; }, "load.sent: -1 is out of range"},
    {"FractionalCount", [](json& j) { j["windows"][0]["latency"]["count"] = 1.5; },
     "windows[0].latency.count: expected non-negative integer, got number"},
    {"MistypedMapValue", [](json& j) { j["windows"][0]["errors_by_code"]["UNAVAILABLE"] = "18"; },
     "windows[0].errors_by_code.UNAVAILABLE: expected non-negative integer, got string"},
    {"MistypedOptional", [](json& j) { j["faults"][0]["applied_at_s"] = nullptr; },
     "faults[0].applied_at_s: expected number, got null"},
    {"SecondOutOfRange", [](json& j) { j["series"][0]["second"] = uint64_t{1} << 40; },
     "series[0].second: 1099511627776 is out of range"},
    {"MistypedSuccessfulLatency", [](json& j) { j["series"][0]["ok_latency"]["p99_ms"] = "fast"; },
     "series[0].ok_latency.p99_ms: expected number, got string"},
    {"MissingFailedLatencyCount", [](json& j) { j["windows"][0]["failed_latency"].erase("count"); },
     "windows[0].failed_latency.count: missing required field"},
    {"UnknownOutcome", [](json& j) { j["outcome"] = "exploded"; },
     "outcome: unknown outcome 'exploded' (expected passed, failed, aborted or error)"},
    {"MissingSchemaVersion", [](json& j) { j.erase("schema_version"); }, "schema_version: missing required field"},
    {"NewerSchemaVersion", [](json& j) { j["schema_version"] = 2; },
     "schema_version: unsupported version 2 (this faultdrill reads 1)"},
    {"NotAnObject", [](json& j) { j = json::array(); }, "(top level): expected object, got array"},
};

INSTANTIATE_TEST_SUITE_P(RunResultJson, RunResultBadJsonTest, ::testing::ValuesIn(kBadJson),
                         [](const ::testing::TestParamInfo<BadJson>& info) { return info.param.test_name; });

}  // namespace
}  // namespace faultdrill
