#include "judge/judge.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/judge/judge_fixtures.h"

namespace faultdrill::judge {
namespace {

using namespace faultdrill::judge_test;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Kind = WindowSpec::Kind;

Timeline NoFaults() { return MakeTimeline(60, {}); }

std::vector<Verdict> JudgeOne(SloSpec slo, const RunResult& result, const Timeline& timeline) {
  return JudgeSlos(WithSlos({std::move(slo)}), timeline, result);
}

std::vector<Verdict> JudgeOne(SloSpec slo, const RunResult& result) {
  return JudgeOne(std::move(slo), result, NoFaults());
}

// --- windows ---------------------------------------------------------------

TEST(JudgeSlos, ReadsTheWindowTheSloNames) {
  RunResult result = Result(60, {Measured("all", 0, 60, 1000, 0, 40), Measured("before", 0, 10, 100, 0, 20),
                                 Measured("during(kill-server)", 10, 12, 20, 0, 812),
                                 Measured("after(kill-server)", 12, 60, 880, 0, 30)});
  SloSpec slo = Slo("p99 during kill", Kind::kDuring, "kill-server");
  slo.p99_latency = milliseconds(150);

  std::vector<Verdict> verdicts = JudgeOne(slo, result);

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].window, "during(kill-server)");
  EXPECT_EQ(verdicts[0].measured, 812.0);
  EXPECT_FALSE(verdicts[0].passed);
  EXPECT_EQ(verdicts[0].message, "p99 812.0ms > 150.0ms in during(kill-server)");
  EXPECT_DOUBLE_EQ(verdicts[0].duration_s, 2.0);
}

TEST(JudgeSlos, AfterWindowIsReadForAfterSlo) {
  RunResult result = Result(60, {Measured("during(x)", 10, 12, 20, 0, 900), Measured("after(x)", 12, 60, 100, 0, 30)});
  SloSpec slo = Slo("after", Kind::kAfter, "x");
  slo.p99_latency = milliseconds(50);

  std::vector<Verdict> verdicts = JudgeOne(slo, result);

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_TRUE(verdicts[0].passed) << verdicts[0].message;
  EXPECT_EQ(verdicts[0].window, "after(x)");
  EXPECT_EQ(verdicts[0].measured, 30.0);
}

TEST(JudgeSlos, MissingWindowFailsUnmeasured) {
  RunResult result = Result(60, {Measured("all", 0, 60)});
  SloSpec slo = Slo("during", Kind::kDuring, "ghost");
  slo.p99_latency = milliseconds(150);

  std::vector<Verdict> verdicts = JudgeOne(slo, result);

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_FALSE(verdicts[0].passed);
  EXPECT_FALSE(verdicts[0].measured.has_value());
  EXPECT_THAT(verdicts[0].message, HasSubstr("window during(ghost) was not measured"));
  EXPECT_THAT(verdicts[0].message, HasSubstr("150.0ms"));
}

TEST(JudgeSlos, EmptyWindowFailsEveryMetricIncludingErrorRate) {
  RunResult result = Result(60, {Measured("all", 0, 60, 0, 0, 0)});
  SloSpec slo = Slo("everything");
  slo.p99_latency = milliseconds(150);
  slo.error_rate = 0.01;
  slo.min_throughput = Rate{10};

  std::vector<Verdict> verdicts = JudgeOne(slo, result);

  ASSERT_EQ(verdicts.size(), 3u);
  for (const Verdict& v : verdicts) {
    EXPECT_FALSE(v.passed) << v.name;
    EXPECT_FALSE(v.measured.has_value()) << v.name;
    EXPECT_THAT(v.message, HasSubstr("no requests in window all")) << v.name;
  }
}

// --- successful and failed calls --------------------------------------------

// The kill window of the quickstart: the server is down, every call fails
// fast with UNAVAILABLE, and every call's p99 is 0.4 ms.
WindowResult EveryCallFailedFast() {
  return WithLatencies(Measured("during(kill-server)", 8, 10, 400, 400), 0, 0.4, 0.4);
}

TEST(JudgeSlos, P99SloOverAWindowWhereEveryCallFailedFastDoesNotPass) {
  RunResult result = Result(20, {EveryCallFailedFast()});
  SloSpec slo = Slo("p99 during kill", Kind::kDuring, "kill-server");
  slo.p99_latency = milliseconds(150);

  std::vector<Verdict> verdicts = JudgeOne(slo, result, MakeTimeline(20, {Kill("kill-server", 8)}));

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_FALSE(verdicts[0].passed);
  EXPECT_FALSE(verdicts[0].measured.has_value());
  EXPECT_THAT(verdicts[0].message, HasSubstr("no successful calls in window during(kill-server): all 400 failed"));
}

TEST(JudgeSlos, LatencyJudgesTheSuccessfulCallsByDefault) {
  // 100 calls served slowly, 300 failed fast: every call's p99 is low, the service's is not.
  RunResult result = Result(60, {WithLatencies(Measured("all", 0, 60, 400, 300), 200, 0.4, 180)});
  SloSpec slo = Slo("p99");
  slo.p99_latency = milliseconds(150);

  std::vector<Verdict> verdicts = JudgeOne(slo, result);

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_FALSE(verdicts[0].passed);
  EXPECT_EQ(verdicts[0].measured, 200.0);
  EXPECT_EQ(verdicts[0].message, "p99 200.0ms > 150.0ms in all");
}

TEST(JudgeSlos, LatencyOfAllJudgesEveryCallAndSaysSo) {
  RunResult result = Result(20, {EveryCallFailedFast()});
  SloSpec slo = Slo("", Kind::kDuring, "kill-server");
  slo.p99_latency = milliseconds(150);
  slo.latency_of = LatencyOf::kAll;

  std::vector<Verdict> verdicts = JudgeOne(slo, result, MakeTimeline(20, {Kill("kill-server", 8)}));

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_TRUE(verdicts[0].passed) << verdicts[0].message;
  EXPECT_EQ(verdicts[0].measured, 0.4);
  EXPECT_EQ(verdicts[0].name, "p99_latency <= 150.0ms (all calls) in during(kill-server)");
  EXPECT_EQ(verdicts[0].message, "p99 (all calls) 0.4ms <= 150.0ms in during(kill-server)");
}

TEST(JudgeSlos, ErrorRateAndThroughputStillJudgeAWindowWhereNothingSucceeded) {
  RunResult result = Result(20, {EveryCallFailedFast()});
  SloSpec slo = Slo("errors", Kind::kDuring, "kill-server");
  slo.error_rate = 1.0;

  std::vector<Verdict> verdicts = JudgeOne(slo, result, MakeTimeline(20, {Kill("kill-server", 8)}));

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_TRUE(verdicts[0].passed) << verdicts[0].message;
  EXPECT_EQ(verdicts[0].measured, 100.0);
}

// --- each metric at its boundary -------------------------------------------

class LatencyBoundary : public ::testing::TestWithParam<std::string> {
 protected:
  // Window p99 = 100ms; the fixture sets p50 = 25, p90 = 50, p999 = 200.
  static double MeasuredFor(const std::string& metric) {
    if (metric == "p50_latency") return 25;
    if (metric == "p90_latency") return 50;
    if (metric == "p99_latency") return 100;
    return 200;
  }
  static SloSpec SloWith(const std::string& metric, Duration limit) {
    SloSpec slo = Slo("latency");
    if (metric == "p50_latency") slo.p50_latency = limit;
    if (metric == "p90_latency") slo.p90_latency = limit;
    if (metric == "p99_latency") slo.p99_latency = limit;
    if (metric == "p999_latency") slo.p999_latency = limit;
    return slo;
  }
};

TEST_P(LatencyBoundary, PassesAtThresholdAndFailsJustAbove) {
  const std::string metric = GetParam();
  RunResult result = Result(60, {Measured("all", 0, 60, 1000, 0, 100)});
  const auto at = std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::milli>(MeasuredFor(metric)));

  std::vector<Verdict> at_limit = JudgeOne(SloWith(metric, at), result);
  std::vector<Verdict> below_limit = JudgeOne(SloWith(metric, at - std::chrono::microseconds(100)), result);

  ASSERT_EQ(at_limit.size(), 1u);
  EXPECT_TRUE(at_limit[0].passed) << at_limit[0].message;
  EXPECT_EQ(at_limit[0].metric, metric);
  EXPECT_EQ(at_limit[0].comparison, "<=");
  EXPECT_EQ(at_limit[0].unit, "ms");
  EXPECT_EQ(at_limit[0].measured, MeasuredFor(metric));
  ASSERT_EQ(below_limit.size(), 1u);
  EXPECT_FALSE(below_limit[0].passed) << below_limit[0].message;
  EXPECT_THAT(below_limit[0].message, HasSubstr(" > "));
}

INSTANTIATE_TEST_SUITE_P(EveryPercentile, LatencyBoundary,
                         ::testing::Values("p50_latency", "p90_latency", "p99_latency", "p999_latency"));

TEST(JudgeSlos, ErrorRateIsInPercentAndPassesAtThreshold) {
  SloSpec slo = Slo("errors");
  slo.error_rate = 0.01;

  std::vector<Verdict> at = JudgeOne(slo, Result(60, {Measured("all", 0, 60, 1000, 10)}));
  std::vector<Verdict> above = JudgeOne(slo, Result(60, {Measured("all", 0, 60, 1000, 11)}));

  ASSERT_EQ(at.size(), 1u);
  EXPECT_TRUE(at[0].passed) << at[0].message;
  EXPECT_EQ(at[0].unit, "%");
  EXPECT_DOUBLE_EQ(at[0].threshold, 1.0);
  EXPECT_DOUBLE_EQ(*at[0].measured, 1.0);
  ASSERT_EQ(above.size(), 1u);
  EXPECT_FALSE(above[0].passed);
  EXPECT_EQ(above[0].message, "error rate 1.10% > 1.00% in all");
}

TEST(JudgeSlos, ErrorRateOfTinyThresholdReadsInMessage) {
  SloSpec slo = Slo("errors");
  slo.error_rate = 0.00005;  // 0.005%

  std::vector<Verdict> verdicts = JudgeOne(slo, Result(60, {Measured("all", 0, 60, 1000, 1)}));

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].message, "error rate 0.10% > 0.005% in all");
}

TEST(JudgeSlos, MinThroughputPassesAtThresholdAndFailsBelow) {
  SloSpec slo = Slo("throughput");
  slo.min_throughput = Rate{100};
  // 6000 ok in 60 s = 100 req/s; 5994 ok = 99.9 req/s.
  std::vector<Verdict> at = JudgeOne(slo, Result(60, {Measured("all", 0, 60, 6000, 0)}));
  std::vector<Verdict> below = JudgeOne(slo, Result(60, {Measured("all", 0, 60, 6000, 6)}));

  ASSERT_EQ(at.size(), 1u);
  EXPECT_TRUE(at[0].passed) << at[0].message;
  EXPECT_EQ(at[0].metric, "throughput");
  EXPECT_EQ(at[0].comparison, ">=");
  EXPECT_EQ(at[0].unit, "req/s");
  ASSERT_EQ(below.size(), 1u);
  EXPECT_FALSE(below[0].passed);
  EXPECT_EQ(below[0].message, "throughput 99.9 req/s < 100.0 req/s in all");
}

// --- names ------------------------------------------------------------------

TEST(JudgeSlos, OneVerdictPerThresholdNamedByKeyWhenSeveral) {
  SloSpec slo = Slo("overall");
  slo.p99_latency = milliseconds(150);
  slo.error_rate = 0.01;
  SloSpec single = Slo("just p50");
  single.p50_latency = milliseconds(50);

  std::vector<Verdict> verdicts =
      JudgeSlos(WithSlos({slo, single}), NoFaults(), Result(60, {Measured("all", 0, 60)}));

  std::vector<std::string> names;
  for (const Verdict& v : verdicts) names.push_back(v.name);
  EXPECT_THAT(names, ElementsAre("overall — p99_latency", "overall — error_rate", "just p50"));
  for (const Verdict& v : verdicts) EXPECT_EQ(v.group, "slo");
}

TEST(JudgeSlos, RepeatedNamesAreMadeUnique) {
  SloSpec a = Slo("latency");
  a.p99_latency = milliseconds(150);
  SloSpec b = a;

  std::vector<Verdict> verdicts = JudgeSlos(WithSlos({a, b, a}), NoFaults(), Result(60, {Measured("all", 0, 60)}));

  ASSERT_EQ(verdicts.size(), 3u);
  EXPECT_EQ(verdicts[0].name, "latency");
  EXPECT_EQ(verdicts[1].name, "latency (2)");
  EXPECT_EQ(verdicts[2].name, "latency (3)");
}

TEST(JudgeSlos, UnnamedSloIsNamedByItsThresholdAndWindow) {
  SloSpec slo = Slo("", Kind::kBefore);
  slo.p99_latency = milliseconds(150);

  std::vector<Verdict> verdicts = JudgeOne(slo, Result(60, {Measured("before", 0, 10)}));

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].name, "p99_latency <= 150.0ms in before");
}

// --- recovery -----------------------------------------------------------------

SloSpec RecoverySlo(int within_s, std::string fault = "") {
  SloSpec slo = Slo("recovers");
  slo.recovery_time = seconds(within_s);
  slo.recovery_fault = std::move(fault);
  return slo;
}

TEST(JudgeSlosRecovery, KillAtTenRecoveredAtThirteenTakesThreeSeconds) {
  RunResult result = Result(60, {}, Series(60, {10, 11, 12}));

  std::vector<Verdict> verdicts = JudgeOne(RecoverySlo(5), result, MakeTimeline(60, {Kill("kill-server", 10)}));

  ASSERT_EQ(verdicts.size(), 1u);
  const Verdict& v = verdicts[0];
  EXPECT_TRUE(v.passed) << v.message;
  EXPECT_EQ(v.group, "recovery");
  EXPECT_EQ(v.metric, "recovery_time");
  EXPECT_EQ(v.unit, "s");
  EXPECT_EQ(v.window, "after(kill-server)");
  EXPECT_DOUBLE_EQ(*v.measured, 3.0);
  EXPECT_DOUBLE_EQ(v.threshold, 5.0);
  EXPECT_EQ(v.message, "recovery 3.0s <= 5.0s after kill-server");
}

TEST(JudgeSlosRecovery, SlowerThanThresholdFails) {
  RunResult result = Result(60, {}, Series(60, {10, 11, 12}));

  std::vector<Verdict> verdicts = JudgeOne(RecoverySlo(2), result, MakeTimeline(60, {Kill("kill-server", 10)}));

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_FALSE(verdicts[0].passed);
  EXPECT_EQ(verdicts[0].message, "recovery 3.0s > 2.0s after kill-server");
}

TEST(JudgeSlosRecovery, NeverRecoveredFailsUnmeasured) {
  RunResult result = Result(60, {}, Series(60, Range(10, 60)));

  std::vector<Verdict> verdicts = JudgeOne(RecoverySlo(5), result, MakeTimeline(60, {Kill("kill-server", 10)}));

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_FALSE(verdicts[0].passed);
  EXPECT_FALSE(verdicts[0].measured.has_value());
  EXPECT_THAT(verdicts[0].message, HasSubstr("did not recover within 50.0s after kill-server"));
}

TEST(JudgeSlosRecovery, FlappingCountsUntilHealthyForGood) {
  // Healthy at 13-14, sick again at 15, healthy from 16 on.
  RunResult result = Result(60, {}, Series(60, {10, 11, 12, 15}));

  std::vector<Verdict> verdicts = JudgeOne(RecoverySlo(10), result, MakeTimeline(60, {Kill("kill-server", 10)}));

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_DOUBLE_EQ(*verdicts[0].measured, 6.0);
}

TEST(JudgeSlosRecovery, MeasuredFromTheEndOfAFaultWithDuration) {
  // Latency fault 20..30 s, sick until 33.
  RunResult result = Result(60, {}, Series(60, Range(20, 33)));

  std::vector<Verdict> verdicts = JudgeOne(RecoverySlo(5), result, MakeTimeline(60, {Latency("slow-net", 20, 10)}));

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_DOUBLE_EQ(*verdicts[0].measured, 3.0);
}

TEST(JudgeSlosRecovery, SeveralFaultsReportTheWorstAndNameIt) {
  // kill at 10 recovers at 13 (3 s); latency 20..30 recovers at 37 (7 s).
  std::vector<uint32_t> sick = Range(10, 13);
  for (uint32_t s : Range(20, 37)) sick.push_back(s);
  RunResult result = Result(60, {}, Series(60, sick));
  Timeline timeline = MakeTimeline(60, {Kill("kill-server", 10), Latency("slow-net", 20, 10)});

  std::vector<Verdict> verdicts = JudgeOne(RecoverySlo(5), result, timeline);

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_FALSE(verdicts[0].passed);
  EXPECT_DOUBLE_EQ(*verdicts[0].measured, 7.0);
  EXPECT_EQ(verdicts[0].window, "after(slow-net)");
  EXPECT_EQ(verdicts[0].message, "recovery 7.0s > 5.0s after slow-net (worst of 2 faults)");
}

TEST(JudgeSlosRecovery, HorizonEndsAtTheNextFault) {
  // The kill's recovery is judged only until slow-net starts at 20: sick 10..19 means never.
  RunResult result = Result(60, {}, Series(60, Range(10, 20)));
  Timeline timeline = MakeTimeline(60, {Kill("kill-server", 10), Latency("slow-net", 20, 10)});

  std::vector<Verdict> verdicts = JudgeOne(RecoverySlo(5, "kill-server"), result, timeline);

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_FALSE(verdicts[0].measured.has_value());
  EXPECT_THAT(verdicts[0].message, HasSubstr("did not recover within 10.0s after kill-server, before slow-net started"));
}

TEST(JudgeSlosRecovery, RecoveryFaultSelectsOneFault) {
  std::vector<uint32_t> sick = Range(10, 13);
  for (uint32_t s : Range(20, 37)) sick.push_back(s);
  RunResult result = Result(60, {}, Series(60, sick));
  Timeline timeline = MakeTimeline(60, {Kill("kill-server", 10), Latency("slow-net", 20, 10)});

  std::vector<Verdict> verdicts = JudgeOne(RecoverySlo(5, "kill-server"), result, timeline);

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_TRUE(verdicts[0].passed) << verdicts[0].message;
  EXPECT_DOUBLE_EQ(*verdicts[0].measured, 3.0);
  EXPECT_EQ(verdicts[0].message, "recovery 3.0s <= 5.0s after kill-server");
}

TEST(JudgeSlosRecovery, UsesActualTimesWhenRecorded) {
  // Planned at 10, actually applied at 11: sick 11..12, recovered at 13 -> 2 s.
  RunResult result = Result(60, {}, Series(60, {11, 12}));
  FaultRecord record;
  record.name = "kill-server";
  record.planned_at_s = 10;
  record.applied_at_s = 11.0;
  result.faults.push_back(record);

  std::vector<Verdict> verdicts = JudgeOne(RecoverySlo(5), result, MakeTimeline(60, {Kill("kill-server", 10)}));

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_DOUBLE_EQ(*verdicts[0].measured, 2.0);
}

TEST(JudgeSlosRecovery, UsesActualRevertTimeForFaultWithDuration) {
  // Planned 20..30, actually reverted at 32: sick until 33 -> 1 s.
  RunResult result = Result(60, {}, Series(60, Range(20, 33)));
  FaultRecord record;
  record.name = "slow-net";
  record.applied_at_s = 20.0;
  record.reverted_at_s = 32.0;
  result.faults.push_back(record);

  std::vector<Verdict> verdicts = JudgeOne(RecoverySlo(5), result, MakeTimeline(60, {Latency("slow-net", 20, 10)}));

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_DOUBLE_EQ(*verdicts[0].measured, 1.0);
}

TEST(JudgeSlosRecovery, UnknownFaultFails) {
  std::vector<Verdict> verdicts = JudgeOne(RecoverySlo(5, "ghost"), Result(60, {}, Series(60)),
                                           MakeTimeline(60, {Kill("kill-server", 10)}));

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_FALSE(verdicts[0].passed);
  EXPECT_THAT(verdicts[0].message, HasSubstr("ghost is not in the timeline"));
}

TEST(JudgeSlosRecovery, NoFaultFails) {
  std::vector<Verdict> verdicts = JudgeOne(RecoverySlo(5), Result(60, {}, Series(60)), NoFaults());

  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_FALSE(verdicts[0].passed);
  EXPECT_THAT(verdicts[0].message, HasSubstr("no fault to recover from"));
}

TEST(JudgeSlosRecovery, SteadyStateP99MakesSlowSecondsUnhealthy) {
  std::vector<SecondSample> series = Series(60);
  for (uint32_t s : Range(10, 14)) series[s] = Slow(s, 400);
  Scenario scenario = WithSlos({RecoverySlo(10)});
  SloSpec steady;
  steady.p99_latency = milliseconds(50);
  Timeline timeline = MakeTimeline(60, {Kill("kill-server", 10)});

  std::vector<Verdict> without = JudgeSlos(scenario, timeline, Result(60, {}, series));
  scenario.steady_state.slos.push_back(steady);
  std::vector<Verdict> with = JudgeSlos(scenario, timeline, Result(60, {}, series));

  ASSERT_EQ(without.size(), 1u);
  EXPECT_DOUBLE_EQ(*without[0].measured, 0.0);
  ASSERT_EQ(with.size(), 1u);
  EXPECT_DOUBLE_EQ(*with[0].measured, 4.0);
}

TEST(JudgeSlosRecovery, SloWithRecoveryAndLatencyMakesTwoVerdicts) {
  SloSpec slo = RecoverySlo(5);
  slo.p99_latency = milliseconds(150);

  std::vector<Verdict> verdicts = JudgeOne(slo, Result(60, {Measured("all", 0, 60)}, Series(60, {10})),
                                           MakeTimeline(60, {Kill("kill-server", 10)}));

  ASSERT_EQ(verdicts.size(), 2u);
  EXPECT_EQ(verdicts[0].name, "recovers — p99_latency");
  EXPECT_EQ(verdicts[1].name, "recovers — recovery_time");
}

// --- decide -------------------------------------------------------------------

TEST(Decide, PassesWhenEveryVerdictPassed) {
  Verdict ok;
  ok.passed = true;
  EXPECT_EQ(Decide({}), Outcome::kPassed);
  EXPECT_EQ(Decide({ok, ok}), Outcome::kPassed);
}

TEST(Decide, FailsWhenAnyVerdictFailed) {
  Verdict ok;
  ok.passed = true;
  Verdict bad;
  EXPECT_EQ(Decide({ok, bad, ok}), Outcome::kFailed);
}

}  // namespace
}  // namespace faultdrill::judge
