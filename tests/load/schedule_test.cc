#include "load/schedule.h"

#include <gtest/gtest.h>

namespace faultdrill::load {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

TEST(OpenLoopSchedule, ConstantRateSpacesRequestsEvenlyFromZero) {
  const OpenLoopSchedule schedule(Rate{1000}, {}, seconds(2));
  EXPECT_EQ(schedule.IntendedTime(0), nanoseconds(0));
  EXPECT_EQ(schedule.IntendedTime(1), milliseconds(1));
  EXPECT_EQ(schedule.IntendedTime(1234), milliseconds(1234));
  EXPECT_EQ(schedule.IntendedTime(1999), milliseconds(1999));
  EXPECT_EQ(schedule.IntendedTime(2000), std::nullopt);
  EXPECT_EQ(schedule.TotalRequests(), 2000u);
}

TEST(OpenLoopSchedule, NoDriftOverALongRun) {
  const OpenLoopSchedule schedule(Rate{3}, {}, std::chrono::hours(10));
  // 3/s for 10 h: request 3*36000-1 at exactly 35999 s + 2/3 s.
  EXPECT_EQ(schedule.IntendedTime(107999), nanoseconds(35999666666667));
  EXPECT_EQ(schedule.IntendedTime(3 * 3600), seconds(3600));
}

TEST(OpenLoopSchedule, LinearRampIntegratesTheRate) {
  // 100/s ramping to 300/s over 2 s, then 300/s until 4 s.
  const OpenLoopSchedule schedule(Rate{100}, {RampStep{Rate{300}, seconds(2)}}, seconds(4));
  // During the ramp N(t) = 100 t + 50 t^2: N(1) = 150, N(2) = 400.
  EXPECT_EQ(schedule.IntendedTime(150), seconds(1));
  EXPECT_EQ(schedule.IntendedTime(400), seconds(2));
  // Then 300/s: request 700 at 3 s.
  EXPECT_EQ(schedule.IntendedTime(700), seconds(3));
  EXPECT_EQ(schedule.TotalRequests(), 1000u);
  // N(t) = 250 solves 50t^2 + 100t - 250 = 0: t = -1 + sqrt(6).
  EXPECT_NEAR(double(schedule.IntendedTime(250)->count()), (std::sqrt(6.0) - 1) * 1e9, 1.0);
}

TEST(OpenLoopSchedule, RampDownAndRampFromZero) {
  // 0 -> 200/s over 2 s (N = 50 t^2, N(2) = 200), then 200 -> 0 over 2 s (another 200).
  const OpenLoopSchedule schedule(Rate{0}, {RampStep{Rate{200}, seconds(2)}, RampStep{Rate{0}, seconds(2)}},
                                  seconds(10));
  EXPECT_EQ(schedule.IntendedTime(0), nanoseconds(0));
  EXPECT_EQ(schedule.IntendedTime(50), seconds(1));
  EXPECT_EQ(schedule.IntendedTime(200), seconds(2));
  // 200 + 200 tau - 50 tau^2 = 350 at tau = 1.
  EXPECT_EQ(schedule.IntendedTime(350), seconds(3));
  EXPECT_EQ(schedule.TotalRequests(), 400u);
  EXPECT_EQ(schedule.IntendedTime(400), std::nullopt);  // the rate stays at zero
}

TEST(OpenLoopSchedule, IntendedTimesIncreaseThroughRampBoundaries) {
  const OpenLoopSchedule schedule(Rate{50}, {RampStep{Rate{500}, milliseconds(1500)},
                                             RampStep{Rate{20}, milliseconds(700)}},
                                  seconds(5));
  Duration previous(-1);
  for (uint64_t n = 0;; ++n) {
    const auto t = schedule.IntendedTime(n);
    if (!t) break;
    EXPECT_GT(*t, previous) << n;
    previous = *t;
  }
  EXPECT_LT(previous, seconds(5));
}

TEST(OpenLoopSchedule, RampLongerThanTheRunIsCut) {
  const OpenLoopSchedule schedule(Rate{100}, {RampStep{Rate{1100}, seconds(10)}}, seconds(1));
  // N(1) = 100 + 50 = 150.
  EXPECT_EQ(schedule.TotalRequests(), 150u);
}

TEST(OpenLoopSchedule, ZeroRateSendsNothing) {
  const OpenLoopSchedule schedule(Rate{0}, {}, seconds(5));
  EXPECT_EQ(schedule.IntendedTime(0), std::nullopt);
  EXPECT_EQ(schedule.TotalRequests(), 0u);
}

}  // namespace
}  // namespace faultdrill::load
