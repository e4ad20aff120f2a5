#include "core/rate_profile.h"

#include <gtest/gtest.h>

namespace faultdrill {
namespace {

using std::chrono::seconds;

TEST(RateProfile, AFlatLoadPlansItsRateUntilTheEnd) {
  const RateProfile profile(Rate{200}, {}, seconds(10));
  EXPECT_DOUBLE_EQ(profile.RateAt(0), 200);
  EXPECT_DOUBLE_EQ(profile.RateAt(9.99), 200);
  EXPECT_DOUBLE_EQ(profile.RateAt(10), 0);
  EXPECT_DOUBLE_EQ(profile.PlannedBefore(2.5), 500);
  EXPECT_DOUBLE_EQ(profile.MeanRate(3, 4), 200);
}

TEST(RateProfile, ARampRisesLinearlyAndThenStaysPut) {
  // 100/s to 300/s over 2 s, then 300/s until 4 s.
  const RateProfile profile(Rate{100}, {RampStep{Rate{300}, seconds(2)}}, seconds(4));
  EXPECT_DOUBLE_EQ(profile.RateAt(1), 200);
  EXPECT_DOUBLE_EQ(profile.RateAt(3), 300);
  EXPECT_DOUBLE_EQ(profile.PlannedBefore(2), 400);  // 100 t + 50 t^2
  EXPECT_DOUBLE_EQ(profile.MeanRate(0, 1), 150);    // the rate at the second's middle
  EXPECT_DOUBLE_EQ(profile.MeanRate(1, 2), 250);
  EXPECT_DOUBLE_EQ(profile.MeanRate(2, 3), 300);
}

TEST(RateProfile, AStepWithNoDurationJumps) {
  const RateProfile profile(Rate{50}, {RampStep{Rate{400}, seconds(0)}}, seconds(2));
  EXPECT_DOUBLE_EQ(profile.RateAt(0), 400);
  EXPECT_DOUBLE_EQ(profile.PlannedBefore(2), 800);
}

TEST(RateProfile, TheLastPartialSecondIsAveragedOverWhatIsLeftOfIt) {
  const RateProfile profile(Rate{100}, {}, std::chrono::milliseconds(2500));
  EXPECT_DOUBLE_EQ(profile.MeanRate(2, 3), 100);
  EXPECT_DOUBLE_EQ(profile.MeanRate(3, 4), 0);
}

TEST(RateProfile, AClosedLoopPlansNoRate) {
  LoadSpec load;
  load.mode = LoadMode::kClosed;
  load.concurrency = 4;
  const RateProfile profile = RateProfile::Of(load);
  EXPECT_TRUE(profile.segments().empty());
  EXPECT_DOUBLE_EQ(profile.MeanRate(0, 1), 0);
}

TEST(RateProfile, RampsReachingPastTheLengthAreCut) {
  const RateProfile profile(Rate{0.5}, {RampStep{Rate{1000.5}, seconds(10)}}, seconds(5));
  EXPECT_DOUBLE_EQ(profile.length_s(), 5);
  EXPECT_NEAR(profile.RateAt(4.999), 500.4, 1e-6);
  EXPECT_DOUBLE_EQ(profile.RateAt(5), 0);
}

}  // namespace
}  // namespace faultdrill
