#include "judge/run_diff.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace faultdrill::judge {
namespace {

using ::testing::HasSubstr;

WindowResult Window(std::string name, double p99_ms, uint64_t requests, uint64_t errors, double rps) {
  WindowResult w;
  w.name = std::move(name);
  w.requests = requests;
  w.errors = errors;
  w.ok = requests - errors;
  w.throughput_rps = rps;
  w.latency.count = requests;
  w.latency.p50_ms = p99_ms / 4;
  w.latency.p90_ms = p99_ms / 2;
  w.latency.p99_ms = p99_ms;
  if (w.ok > 0) w.ok_latency = w.latency;
  w.ok_latency.count = w.ok;
  return w;
}

RunResult Result(double p99_ms, uint64_t errors = 0) {
  RunResult r;
  r.scenario_name = "drill";
  r.outcome = Outcome::kPassed;
  r.windows = {Window("all", p99_ms, 1000, errors, 200)};
  return r;
}

const DiffRow* Find(const RunDiff& diff, std::string_view area, std::string_view subject) {
  for (const DiffRow& row : diff.rows) {
    if (row.area == area && row.subject == subject) return &row;
  }
  return nullptr;
}

TEST(DiffRuns, IdenticalRunsHaveNoRegression) {
  RunDiff diff = DiffRuns(Result(10), Result(10));
  EXPECT_EQ(diff.regressions, 0u);
  EXPECT_EQ(diff.improvements, 0u);
  ASSERT_NE(Find(diff, "latency", "p99 in all"), nullptr);
  EXPECT_EQ(Find(diff, "latency", "p99 in all")->change, Change::kUnchanged);
}

TEST(DiffRuns, ALatencyIncreaseBeyondTheThresholdIsARegression) {
  RunDiff diff = DiffRuns(Result(10), Result(12));
  const DiffRow* p99 = Find(diff, "latency", "p99 in all");
  ASSERT_NE(p99, nullptr);
  EXPECT_EQ(p99->change, Change::kRegression);
  EXPECT_EQ(*p99->base, 10);
  EXPECT_EQ(*p99->now, 12);
  EXPECT_THAT(p99->note, HasSubstr("+20.0% (limit +10%)"));
  EXPECT_GE(diff.regressions, 1u);
}

TEST(DiffRuns, SmallAbsoluteChangesAreNoiseEvenWhenLargeInRelativeTerms) {
  // 0.2 ms -> 0.6 ms is +200% but under the 1 ms floor.
  RunDiff diff = DiffRuns(Result(0.2), Result(0.6));
  EXPECT_EQ(Find(diff, "latency", "p99 in all")->change, Change::kUnchanged);
}

TEST(DiffRuns, ThresholdsAreTheCallers) {
  DiffThresholds loose;
  loose.latency_increase = 0.5;
  EXPECT_EQ(Find(DiffRuns(Result(10), Result(12), loose), "latency", "p99 in all")->change, Change::kUnchanged);
}

TEST(DiffRuns, ALatencyDecreaseIsAnImprovement) {
  RunDiff diff = DiffRuns(Result(20), Result(10));
  EXPECT_EQ(Find(diff, "latency", "p99 in all")->change, Change::kImprovement);
  EXPECT_EQ(diff.regressions, 0u);
}

TEST(DiffRuns, ComparesTheLatencyOfTheSuccessfulCalls) {
  // Every call's p99 fell (fast failures), the successful calls' rose.
  RunResult now = Result(10);
  now.windows[0].latency.p99_ms = 1;
  now.windows[0].ok_latency.p99_ms = 20;
  const RunDiff diff = DiffRuns(Result(10), now);
  const DiffRow* p99 = Find(diff, "latency", "p99 in all");
  ASSERT_NE(p99, nullptr);
  EXPECT_EQ(p99->change, Change::kRegression);
  EXPECT_DOUBLE_EQ(*p99->now, 20);
}

TEST(DiffRuns, AWindowThatNoLongerHasASuccessfulCallIsALatencyRegression) {
  RunResult now = Result(0.4, /*errors=*/1000);  // every call failed fast
  const RunDiff diff = DiffRuns(Result(10), now);
  const DiffRow* p99 = Find(diff, "latency", "p99 in all");
  ASSERT_NE(p99, nullptr);
  EXPECT_EQ(p99->change, Change::kRegression);
  EXPECT_FALSE(p99->now.has_value());
  EXPECT_THAT(p99->note, HasSubstr("no successful calls in the new run"));
  const RunDiff back = DiffRuns(now, Result(10));
  EXPECT_EQ(Find(back, "latency", "p99 in all")->change, Change::kImprovement);
}

TEST(DiffRuns, ErrorRateIsJudgedInPercentagePoints) {
  // 0.0% -> 0.4%: under half a point; 0.0% -> 1.0%: over.
  EXPECT_EQ(Find(DiffRuns(Result(10, 0), Result(10, 4)), "error rate", "all")->change, Change::kUnchanged);
  const RunDiff diff = DiffRuns(Result(10, 0), Result(10, 10));
  const DiffRow* row = Find(diff, "error rate", "all");
  EXPECT_EQ(row->change, Change::kRegression);
  EXPECT_DOUBLE_EQ(*row->now, 1.0);
  EXPECT_EQ(row->unit, "%");
}

TEST(DiffRuns, LowerThroughputIsARegression) {
  RunResult now = Result(10);
  now.windows[0].throughput_rps = 150;
  EXPECT_EQ(Find(DiffRuns(Result(10), now), "throughput", "all")->change, Change::kRegression);
}

TEST(DiffRuns, WindowsInOneRunOnlyAreListedNotJudged) {
  RunResult now = Result(10);
  now.windows.push_back(Window("during(kill)", 50, 100, 0, 100));
  RunDiff diff = DiffRuns(Result(10), now);
  const DiffRow* row = Find(diff, "window", "during(kill)");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->change, Change::kOnlyInNew);
  EXPECT_EQ(diff.regressions, 0u);
}

TEST(DiffRuns, WindowsWithoutRequestsAreNotCompared) {
  RunResult now = Result(10);
  now.windows[0].requests = 0;
  EXPECT_EQ(Find(DiffRuns(Result(10), now), "latency", "p99 in all"), nullptr);
}

FaultRecord Fault(std::optional<double> recovery_s) {
  FaultRecord f;
  f.name = "kill";
  f.applied_at_s = 5;
  f.recovery_s = recovery_s;
  if (!recovery_s) f.recovery_horizon = "the run ended";
  return f;
}

TEST(DiffRuns, SlowerRecoveryAndNoRecoveryAreRegressions) {
  RunResult base = Result(10), slower = Result(10), never = Result(10);
  base.faults = {Fault(1.0)};
  slower.faults = {Fault(2.0)};
  never.faults = {Fault(std::nullopt)};
  EXPECT_EQ(Find(DiffRuns(base, slower), "recovery", "kill")->change, Change::kRegression);
  const RunDiff diff = DiffRuns(base, never);  // Find points into it
  const DiffRow* row = Find(diff, "recovery", "kill");
  EXPECT_EQ(row->change, Change::kRegression);
  EXPECT_THAT(row->note, HasSubstr("did not recover before the run ended"));
  EXPECT_EQ(Find(DiffRuns(never, base), "recovery", "kill")->change, Change::kImprovement);
}

TEST(DiffRuns, RecoveryChangesUnderTheFloorAreNoise) {
  RunResult base = Result(10), now = Result(10);
  base.faults = {Fault(1.0)};
  now.faults = {Fault(1.4)};  // +40% but only 0.4 s
  EXPECT_EQ(Find(DiffRuns(base, now), "recovery", "kill")->change, Change::kUnchanged);
}

TEST(DiffRuns, MoreGoldenDifferencesAreARegression) {
  RunResult base = Result(10), now = Result(10);
  GoldenWindowResult g;
  g.window = "all";
  g.against = "masters";
  g.compared = 100;
  base.golden = {g};
  g.differing = 3;
  now.golden = {g};
  const RunDiff diff = DiffRuns(base, now);
  const DiffRow* row = Find(diff, "golden", "all vs masters");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->change, Change::kRegression);
  EXPECT_THAT(row->note, HasSubstr("3 of 100 differ"));
}

TEST(DiffRuns, AVerdictThatNowFailsIsARegressionAndUnchangedVerdictsAreNotListed) {
  RunResult base = Result(10), now = Result(10);
  Verdict v;
  v.name = "fast";
  v.passed = true;
  Verdict same = v;
  same.name = "same";
  base.verdicts = {v, same};
  v.passed = false;
  v.message = "p99 30ms > 20ms";
  now.verdicts = {v, same};
  RunDiff diff = DiffRuns(base, now);
  const DiffRow* row = Find(diff, "verdict", "fast");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->change, Change::kRegression);
  EXPECT_THAT(row->note, HasSubstr("passed -> failed: p99 30ms > 20ms"));
  EXPECT_EQ(Find(diff, "verdict", "same"), nullptr);
}

TEST(DiffRuns, ScoreAndCapacityDropsAreRegressions) {
  RunResult base = Result(10), now = Result(10);
  base.score = ResilienceScore{.score = 100};
  now.score = ResilienceScore{.score = 80};
  base.capacity = CapacityResult{.highest_rate_held_rps = 1000};
  now.capacity = CapacityResult{.highest_rate_held_rps = 700};
  RunDiff diff = DiffRuns(base, now);
  EXPECT_EQ(Find(diff, "score", "resilience score")->change, Change::kRegression);
  EXPECT_EQ(Find(diff, "capacity", "highest rate that held")->change, Change::kRegression);
}

TEST(DiffRuns, WarnsWhenTheRunsAreOfDifferentScenariosOrDidNotComplete) {
  RunResult other = Result(10);
  other.scenario_name = "other";
  other.outcome = Outcome::kAborted;
  RunDiff diff = DiffRuns(Result(10), other);
  ASSERT_EQ(diff.warnings.size(), 2u);
  EXPECT_THAT(diff.warnings[0], HasSubstr("different scenarios: drill and other"));
  EXPECT_THAT(diff.warnings[1], HasSubstr("new run did not complete (outcome aborted)"));
}

}  // namespace
}  // namespace faultdrill::judge
