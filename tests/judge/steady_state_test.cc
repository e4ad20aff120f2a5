#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "judge/judge.h"
#include "tests/judge/judge_fixtures.h"

namespace faultdrill::judge {
namespace {

using namespace faultdrill::judge_test;
using ::testing::HasSubstr;

Scenario SteadyScenario() {
  Scenario scenario = WithSlos({});
  SloSpec slo = Slo("steady");
  slo.p99_latency = milliseconds(50);
  slo.error_rate = 0.001;
  scenario.steady_state.slos.push_back(slo);
  return scenario;
}

TEST(JudgeSteadyState, JudgesBeforeAndFinalWindows) {
  RunResult result = Result(60, {Measured("all", 0, 60, 6000, 0, 500), Measured("before", 0, 10, 1000, 0, 20),
                                 Measured("final", 55, 60, 500, 0, 90)});
  Timeline timeline = MakeTimeline(60, {Kill("kill-server", 10)});

  std::vector<Verdict> verdicts = JudgeSteadyState(SteadyScenario(), timeline, result);

  ASSERT_EQ(verdicts.size(), 4u);
  EXPECT_EQ(verdicts[0].name, "before: steady — p99_latency");
  EXPECT_EQ(verdicts[0].window, "before");
  EXPECT_TRUE(verdicts[0].passed) << verdicts[0].message;
  EXPECT_EQ(verdicts[1].name, "before: steady — error_rate");
  EXPECT_TRUE(verdicts[1].passed) << verdicts[1].message;
  EXPECT_EQ(verdicts[2].name, "after: steady — p99_latency");
  EXPECT_EQ(verdicts[2].window, "final");
  EXPECT_FALSE(verdicts[2].passed);
  EXPECT_EQ(verdicts[2].message, "p99 90.0ms > 50.0ms in final");
  EXPECT_EQ(verdicts[3].name, "after: steady — error_rate");
  EXPECT_TRUE(verdicts[3].passed);
  for (const Verdict& v : verdicts) EXPECT_EQ(v.group, "steady-state");
}

TEST(JudgeSteadyState, IgnoresTheSlosOwnWindow) {
  Scenario scenario = SteadyScenario();
  scenario.steady_state.slos[0].window = WindowSpec{WindowSpec::Kind::kAll, ""};
  RunResult result = Result(60, {Measured("all", 0, 60, 6000, 0, 500), Measured("before", 0, 10, 1000, 0, 20),
                                 Measured("final", 55, 60, 500, 0, 20)});

  std::vector<Verdict> verdicts = JudgeSteadyState(scenario, MakeTimeline(60, {Kill("k", 10)}), result);

  for (const Verdict& v : verdicts) EXPECT_TRUE(v.passed) << v.message;
}

TEST(JudgeSteadyState, WithoutFaultsOnlyBeforeIsJudged) {
  RunResult result = Result(60, {Measured("all", 0, 60), Measured("before", 0, 60)});

  std::vector<Verdict> verdicts = JudgeSteadyState(SteadyScenario(), MakeTimeline(60, {}), result);

  ASSERT_EQ(verdicts.size(), 2u);
  EXPECT_EQ(verdicts[0].name, "before: steady — p99_latency");
  EXPECT_EQ(verdicts[1].name, "before: steady — error_rate");
}

TEST(JudgeSteadyState, MissingFinalWindowFails) {
  RunResult result = Result(60, {Measured("before", 0, 10)});

  std::vector<Verdict> verdicts = JudgeSteadyState(SteadyScenario(), MakeTimeline(60, {Kill("k", 10)}), result);

  ASSERT_EQ(verdicts.size(), 4u);
  EXPECT_FALSE(verdicts[2].passed);
  EXPECT_THAT(verdicts[2].message, HasSubstr("window final was not measured"));
}

TEST(JudgeSteadyState, UnnamedSloIsNamedByItsThreshold) {
  Scenario scenario = WithSlos({});
  SloSpec slo;
  slo.p99_latency = milliseconds(50);
  scenario.steady_state.slos.push_back(slo);
  RunResult result = Result(60, {Measured("before", 0, 10), Measured("final", 55, 60)});

  std::vector<Verdict> verdicts = JudgeSteadyState(scenario, MakeTimeline(60, {Kill("k", 10)}), result);

  ASSERT_EQ(verdicts.size(), 2u);
  EXPECT_EQ(verdicts[0].name, "before: p99_latency <= 50.0ms");
  EXPECT_EQ(verdicts[1].name, "after: p99_latency <= 50.0ms");
}

TEST(JudgeSteadyState, NoSteadyStateSlosMakeNoVerdicts) {
  Scenario scenario = WithSlos({});
  EXPECT_TRUE(JudgeSteadyState(scenario, MakeTimeline(60, {Kill("k", 10)}), Result(60, {})).empty());
}

}  // namespace
}  // namespace faultdrill::judge
