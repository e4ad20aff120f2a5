#include "judge/recovery.h"

#include <cmath>

#include "gtest/gtest.h"
#include "tests/judge/judge_fixtures.h"

namespace faultdrill::judge {
namespace {

using namespace faultdrill::judge_test;

TEST(RecoveryTime, HealthyRightAwayIsZero) {
  EXPECT_EQ(RecoveryTime(Series(60), 10, 60, HealthCriteria{}), 0.0);
}

TEST(RecoveryTime, CountsWholeSecondsFromTheEnd) {
  EXPECT_EQ(RecoveryTime(Series(60, {10, 11, 12}), 10, 60, HealthCriteria{}), 3.0);
}

TEST(RecoveryTime, FractionalEndCountsFromTheEndItself) {
  // Sick through second 12, fault ended at 10.4: recovered at 13 -> 2.6 s.
  std::optional<double> r = RecoveryTime(Series(60, {10, 11, 12}), 10.4, 60, HealthCriteria{});
  ASSERT_TRUE(r.has_value());
  EXPECT_DOUBLE_EQ(*r, 2.6);
}

TEST(RecoveryTime, SecondContainingTheEndCountsWhenHealthy) {
  EXPECT_EQ(RecoveryTime(Series(60, {9}), 9.5, 60, HealthCriteria{}), 0.5);
  EXPECT_EQ(RecoveryTime(Series(60), 9.5, 60, HealthCriteria{}), 0.0);
}

TEST(RecoveryTime, LastSecondSickMeansNotRecovered) {
  EXPECT_EQ(RecoveryTime(Series(60, {59}), 10, 60, HealthCriteria{}), std::nullopt);
}

TEST(RecoveryTime, PartialSecondAtTheHorizonIsIgnored) {
  // Second 20 straddles the horizon at 20.5 (the next fault started in it).
  EXPECT_EQ(RecoveryTime(Series(60, {10, 20}), 10, 20.5, HealthCriteria{}), 1.0);
}

TEST(RecoveryTime, EmptyHorizonIsNotRecovered) {
  EXPECT_EQ(RecoveryTime(Series(60), 20, 20, HealthCriteria{}), std::nullopt);
}

TEST(RecoveryTime, MissingSecondsAreUnhealthy) {
  std::vector<SecondSample> series = Series(60);
  series.erase(series.begin() + 10, series.begin() + 15);  // no samples for 10..14
  EXPECT_EQ(RecoveryTime(series, 10, 60, HealthCriteria{}), 5.0);
}

TEST(RecoveryTime, UnsortedSeriesIsFine) {
  std::vector<SecondSample> series = Series(60, {10, 11});
  std::reverse(series.begin(), series.end());
  EXPECT_EQ(RecoveryTime(series, 10, 60, HealthCriteria{}), 2.0);
}

TEST(RecoveryTime, CorruptTimesAreNotRecoveredRatherThanUndefined) {
  EXPECT_EQ(RecoveryTime(Series(60), std::nan(""), 60, HealthCriteria{}), std::nullopt);
  EXPECT_EQ(RecoveryTime(Series(60), 10, INFINITY, HealthCriteria{}), std::nullopt);
  EXPECT_EQ(RecoveryTime(Series(60), 10, 1e300, HealthCriteria{}), std::nullopt);  // and quickly
}

TEST(IsHealthy, NeedsRequests) {
  SecondSample empty;
  EXPECT_FALSE(IsHealthy(empty, HealthCriteria{}));
}

TEST(IsHealthy, ErrorRateAtTheLimitIsHealthy) {
  SecondSample s = Healthy(0);
  s.requests = 100;
  s.errors = 1;
  EXPECT_TRUE(IsHealthy(s, HealthCriteria{}));  // default 1%
  s.errors = 2;
  EXPECT_FALSE(IsHealthy(s, HealthCriteria{}));
}

TEST(IsHealthy, P99CountsOnlyWhenSet) {
  SecondSample s = Slow(0, 300);
  EXPECT_TRUE(IsHealthy(s, HealthCriteria{}));
  EXPECT_FALSE(IsHealthy(s, HealthCriteria{0.01, 250.0}));
  EXPECT_TRUE(IsHealthy(s, HealthCriteria{0.01, 300.0}));
}

TEST(HealthFromSteadyState, DefaultsToOnePercentErrors) {
  HealthCriteria health = HealthFromSteadyState(SteadyStateSpec{});
  EXPECT_DOUBLE_EQ(health.max_error_rate, 0.01);
  EXPECT_FALSE(health.max_p99_ms.has_value());
}

TEST(HealthFromSteadyState, TakesTheStrictestOfEachThreshold) {
  SteadyStateSpec steady;
  SloSpec a;
  a.error_rate = 0.005;
  a.p99_latency = milliseconds(80);
  SloSpec b;
  b.error_rate = 0.02;
  b.p99_latency = milliseconds(50);
  steady.slos = {a, b};

  HealthCriteria health = HealthFromSteadyState(steady);

  EXPECT_DOUBLE_EQ(health.max_error_rate, 0.005);
  EXPECT_EQ(health.max_p99_ms, 50.0);
}

TEST(MeasureRecovery, KillWithRestartIsMeasuredFromTheRestart) {
  // A kill with restart_after 2 s ends at 12; sick 10..13 -> recovered at 14: 2 s.
  Timeline timeline = MakeTimeline(60, {TimelineFault{"kill", "process-kill", seconds(10), seconds(2)}});
  RunResult result = Result(60, {}, Series(60, Range(10, 14)));

  FaultRecovery r = MeasureRecovery(timeline, result, 0, HealthCriteria{});

  EXPECT_EQ(r.fault, "kill");
  EXPECT_DOUBLE_EQ(r.from_s, 12);
  EXPECT_DOUBLE_EQ(r.horizon_end_s, 60);
  EXPECT_EQ(r.horizon_end, "the run ended");
  EXPECT_EQ(r.recovery_s, 2.0);
}

TEST(MeasureRecovery, HorizonIsTheNextFaultToStart) {
  Timeline timeline = MakeTimeline(60, {Kill("a", 10), Kill("b", 30), Kill("c", 20)});
  RunResult result = Result(60, {}, Series(60));

  FaultRecovery r = MeasureRecovery(timeline, result, 0, HealthCriteria{});

  EXPECT_DOUBLE_EQ(r.horizon_end_s, 20);
  EXPECT_EQ(r.horizon_end, "c started");
}

TEST(MeasureRecovery, RunEndsAtTheMeasuredDuration) {
  // An aborted run that lasted 40 s of a planned 60.
  Timeline timeline = MakeTimeline(60, {Kill("a", 10)});
  RunResult result = Result(40, {}, Series(40));

  EXPECT_DOUBLE_EQ(MeasureRecovery(timeline, result, 0, HealthCriteria{}).horizon_end_s, 40);
}

}  // namespace
}  // namespace faultdrill::judge
