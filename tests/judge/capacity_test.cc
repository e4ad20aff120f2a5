// Capacity judgement on synthetic per-second series: no clock, no load.
#include "judge/capacity.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace faultdrill::judge {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;

// p99 <= 50ms, errors <= 1%, for 2s.
CapacitySpec Criterion(Duration hold = seconds(2)) {
  CapacitySpec spec;
  spec.p99_latency = milliseconds(50);
  spec.error_rate = 0.01;
  spec.hold = hold;
  return spec;
}

struct Second {
  double p99_ms = 10;
  uint64_t errors = 0;
  uint64_t requests = 100;
};

std::vector<SecondSample> Series(const std::vector<Second>& seconds) {
  std::vector<SecondSample> series;
  for (size_t i = 0; i < seconds.size(); ++i) {
    SecondSample s;
    s.second = uint32_t(i);
    s.requests = seconds[i].requests;
    s.errors = seconds[i].errors;
    s.p99_ms = seconds[i].p99_ms;
    if (s.ok() > 0) s.ok_latency.p99_ms = seconds[i].p99_ms;
    series.push_back(s);
  }
  return series;
}

// 100, 200, 300, ... requests/s offered.
std::vector<double> Ramp(size_t n) {
  std::vector<double> rates;
  for (size_t i = 0; i < n; ++i) rates.push_back(100.0 * double(i + 1));
  return rates;
}

constexpr Second kFast{};
constexpr Second kSlow{.p99_ms = 200};
constexpr Second kErrors{.p99_ms = 10, .errors = 5};
constexpr Second kEmpty{.p99_ms = 0, .errors = 0, .requests = 0};

TEST(JudgeCapacity, ACriterionThatAlwaysHeldReportsTheHighestRateOffered) {
  CapacityResult r = JudgeCapacity(Criterion(), Series({kFast, kFast, kFast}), Ramp(3));
  EXPECT_FALSE(r.broke);
  EXPECT_DOUBLE_EQ(r.highest_rate_held_rps, 300);
  EXPECT_DOUBLE_EQ(r.held_at_s, 2);
  EXPECT_EQ(r.criterion, "p99_latency <= 50ms, error_rate <= 1% for 2s");
  EXPECT_EQ(r.breach, "");
}

TEST(JudgeCapacity, BreaksAtTheFirstBreachThatLastsFor) {
  CapacityResult r = JudgeCapacity(Criterion(), Series({kFast, kFast, kFast, kSlow, kSlow, kSlow}), Ramp(6));
  EXPECT_TRUE(r.broke);
  EXPECT_DOUBLE_EQ(r.broke_at_s, 3);
  EXPECT_DOUBLE_EQ(r.broke_rate_rps, 400);
  EXPECT_DOUBLE_EQ(r.highest_rate_held_rps, 300);
  EXPECT_DOUBLE_EQ(r.held_at_s, 2);
  EXPECT_EQ(r.breach, "p99 200.0ms > 50ms");
}

TEST(JudgeCapacity, AShortBlipDoesNotBreakButDoesNotHoldEither) {
  // Second 1 breaches alone (shorter than 2s); the criterion breaks at 3.
  CapacityResult r = JudgeCapacity(Criterion(), Series({kFast, kSlow, kFast, kSlow, kSlow}), Ramp(5));
  EXPECT_TRUE(r.broke);
  EXPECT_DOUBLE_EQ(r.broke_at_s, 3);
  EXPECT_DOUBLE_EQ(r.highest_rate_held_rps, 300);  // second 2; second 1 did not hold
}

TEST(JudgeCapacity, SecondsAfterTheBreakingPointDoNotCount) {
  // The service breaks at 2-3 and is fast again at a higher rate: too late.
  CapacityResult r = JudgeCapacity(Criterion(), Series({kFast, kFast, kSlow, kSlow, kFast, kFast}), Ramp(6));
  EXPECT_DOUBLE_EQ(r.broke_at_s, 2);
  EXPECT_DOUBLE_EQ(r.highest_rate_held_rps, 200);
}

TEST(JudgeCapacity, ErrorsBreachLikeLatency) {
  CapacityResult r = JudgeCapacity(Criterion(), Series({kFast, kErrors, kErrors}), Ramp(3));
  EXPECT_TRUE(r.broke);
  EXPECT_DOUBLE_EQ(r.broke_at_s, 1);
  EXPECT_EQ(r.breach, "error rate 5.00% > 1%");
}

TEST(JudgeCapacity, ALatencyBreachAndAnErrorBreachMakeOneBreach) {
  CapacityResult r = JudgeCapacity(Criterion(), Series({kFast, kSlow, kErrors}), Ramp(3));
  EXPECT_TRUE(r.broke);
  EXPECT_DOUBLE_EQ(r.broke_at_s, 1);
  EXPECT_EQ(r.breach, "p99 200.0ms > 50ms");  // what its first second breached
}

TEST(JudgeCapacity, OnlyTheCriteriaSetAreJudged) {
  CapacitySpec latency_only;
  latency_only.p99_latency = milliseconds(50);
  CapacityResult r = JudgeCapacity(latency_only, Series({kFast, kErrors, kErrors}), Ramp(3));
  EXPECT_FALSE(r.broke);
  EXPECT_DOUBLE_EQ(r.highest_rate_held_rps, 300);
  EXPECT_EQ(r.criterion, "p99_latency <= 50ms for 2s");
}

TEST(JudgeCapacity, AValueEqualToItsLimitHolds) {
  CapacityResult r = JudgeCapacity(Criterion(), Series({{.p99_ms = 50, .errors = 1}, kFast}), Ramp(2));
  EXPECT_FALSE(r.broke);
  EXPECT_DOUBLE_EQ(r.highest_rate_held_rps, 200);
}

TEST(JudgeCapacity, SecondsWithoutRequestsAreNotJudgedAndDoNotEndABreach) {
  CapacityResult r = JudgeCapacity(Criterion(seconds(3)), Series({kFast, kEmpty, kSlow, kEmpty, kSlow}), Ramp(5));
  EXPECT_TRUE(r.broke);  // 2..5 is a breach of 3s: the empty second 3 shows no recovery
  EXPECT_DOUBLE_EQ(r.broke_at_s, 2);
  EXPECT_DOUBLE_EQ(r.highest_rate_held_rps, 100);  // the empty second 1 did not hold
  EXPECT_DOUBLE_EQ(r.held_at_s, 0);
}

TEST(JudgeCapacity, ForZeroBreaksOnTheFirstBreachingSecond) {
  CapacityResult r = JudgeCapacity(Criterion(seconds(0)), Series({kFast, kSlow}), Ramp(2));
  EXPECT_TRUE(r.broke);
  EXPECT_DOUBLE_EQ(r.broke_at_s, 1);
}

TEST(JudgeCapacity, ABreachFromTheFirstSecondHoldsNothing) {
  CapacityResult r = JudgeCapacity(Criterion(), Series({kSlow, kSlow, kFast}), Ramp(3));
  EXPECT_TRUE(r.broke);
  EXPECT_DOUBLE_EQ(r.broke_at_s, 0);
  EXPECT_DOUBLE_EQ(r.highest_rate_held_rps, 0);
}

TEST(JudgeCapacity, AFlatLoadHoldsItsRateUpToItsLatestGoodSecond) {
  CapacityResult r = JudgeCapacity(Criterion(), Series({kFast, kFast, kFast}), {250, 250, 250});
  EXPECT_DOUBLE_EQ(r.highest_rate_held_rps, 250);
  EXPECT_DOUBLE_EQ(r.held_at_s, 2);
}

TEST(JudgeCapacity, ASeriesLongerThanTheOfferedRatesOffersNothingThere) {
  CapacityResult r = JudgeCapacity(Criterion(), Series({kFast, kFast, kSlow, kSlow}), {100, 200});
  EXPECT_DOUBLE_EQ(r.broke_rate_rps, 0);
  EXPECT_DOUBLE_EQ(r.highest_rate_held_rps, 200);
}

TEST(OfferedRates, AverageTheLoadsPlannedRateOverEachSecond) {
  LoadSpec load;
  load.rate = Rate{50};
  load.ramp = {RampStep{Rate{450}, seconds(4)}};
  load.duration = seconds(6);
  std::vector<double> rates = OfferedRates(load, 7);
  ASSERT_EQ(rates.size(), 7u);
  EXPECT_DOUBLE_EQ(rates[0], 100);  // 50 -> 150 in the first second
  EXPECT_DOUBLE_EQ(rates[3], 400);
  EXPECT_DOUBLE_EQ(rates[4], 450);
  EXPECT_DOUBLE_EQ(rates[6], 0);  // past the end
}

TEST(SettledSeconds, ASecondSettlesOnceItsDeadlineAndAMarginHavePassed) {
  EXPECT_EQ(SettledSeconds(seconds(2), seconds(1)), 0u);
  EXPECT_EQ(SettledSeconds(seconds(3), seconds(1)), 1u);  // second 0 ended at 1s, + 1s deadline + 1s
  EXPECT_EQ(SettledSeconds(milliseconds(10'600), milliseconds(500)), 9u);
  EXPECT_EQ(SettledSeconds(seconds(0), seconds(2)), 0u);
}

TEST(CapacityVerdict, PassesWhenTheHighestRateHeldReachesMinRate) {
  CapacitySpec spec = Criterion();
  spec.min_rate = Rate{300};
  CapacityResult r = JudgeCapacity(spec, Series({kFast, kFast, kFast, kSlow, kSlow}), Ramp(5));
  std::optional<Verdict> v = CapacityVerdict(spec, r, 5);
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->passed) << v->message;
  EXPECT_EQ(v->group, "capacity");
  EXPECT_EQ(v->metric, "capacity_rps");
  EXPECT_EQ(v->comparison, ">=");
  EXPECT_DOUBLE_EQ(v->threshold, 300);
  EXPECT_EQ(v->measured, 300);
  EXPECT_EQ(v->unit, "req/s");
  EXPECT_DOUBLE_EQ(v->duration_s, 5);
  EXPECT_EQ(v->name, "capacity: highest rate held >= 300/s");
  EXPECT_THAT(v->message, HasSubstr("broke at 3s at 400.0 req/s: p99 200.0ms > 50ms"));
}

TEST(CapacityVerdict, FailsBelowMinRateAndSaysWhy) {
  CapacitySpec spec = Criterion();
  spec.min_rate = Rate{300};
  CapacityResult r = JudgeCapacity(spec, Series({kFast, kSlow, kSlow}), Ramp(3));
  std::optional<Verdict> v = CapacityVerdict(spec, r, 3);
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->passed);
  EXPECT_THAT(v->message, HasSubstr("highest rate held 100.0 req/s < 300.0 req/s"));
}

TEST(CapacityVerdict, NoMinRateNoVerdict) {
  EXPECT_FALSE(CapacityVerdict(Criterion(), CapacityResult{}, 1));
}

TEST(JudgeCapacity, JudgesTheP99OfTheSuccessfulCalls) {
  // Every call's p99 looks fine (fast failures pull it down), the successful calls' does not.
  std::vector<SecondSample> series = Series({kFast, kFast, kFast});
  for (SecondSample& s : series) s.ok_latency.p99_ms = 200;
  CapacitySpec latency_only;
  latency_only.p99_latency = milliseconds(50);
  CapacityResult r = JudgeCapacity(latency_only, series, Ramp(3));
  EXPECT_TRUE(r.broke);
  EXPECT_EQ(r.breach, "p99 200.0ms > 50ms");
}

TEST(JudgeCapacity, ASecondWhereNothingSucceededBreachesTheLatencyCriterion) {
  // The server is down: every call fails fast, every call's p99 is 0.4 ms.
  std::vector<SecondSample> series = Series({kFast, {.p99_ms = 0.4, .errors = 100}, {.p99_ms = 0.4, .errors = 100}});
  CapacitySpec latency_only;
  latency_only.p99_latency = milliseconds(50);
  CapacityResult r = JudgeCapacity(latency_only, series, Ramp(3));
  EXPECT_TRUE(r.broke);
  EXPECT_DOUBLE_EQ(r.broke_at_s, 1);
  EXPECT_THAT(r.breach, HasSubstr("no successful calls"));
  EXPECT_DOUBLE_EQ(r.highest_rate_held_rps, 100);
}

}  // namespace
}  // namespace faultdrill::judge
