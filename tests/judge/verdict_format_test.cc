#include "judge/verdict_format.h"

#include "gtest/gtest.h"

namespace faultdrill::judge {
namespace {

TEST(Satisfies, AtMostPassesAtTheThreshold) {
  EXPECT_TRUE(Satisfies(150.0, kAtMost, 150.0));
  EXPECT_TRUE(Satisfies(0.01 * 100, kAtMost, 1.0));
  EXPECT_FALSE(Satisfies(150.001, kAtMost, 150.0));
}

TEST(Satisfies, AtLeastPassesAtTheThreshold) {
  EXPECT_TRUE(Satisfies(100.0, kAtLeast, 100.0));
  EXPECT_FALSE(Satisfies(99.999, kAtLeast, 100.0));
}

TEST(Satisfies, ToleranceIsOnlyRoundingNoise) {
  EXPECT_TRUE(Satisfies(1.0 + 1e-12, kAtMost, 1.0));
  EXPECT_FALSE(Satisfies(1.0 + 1e-6, kAtMost, 1.0));
}

TEST(Violated, ShowsTheBrokenComparison) {
  EXPECT_EQ(Violated(kAtMost), ">");
  EXPECT_EQ(Violated(kAtLeast), "<");
}

TEST(FormatValue, UnitsReadAsInMessages) {
  EXPECT_EQ(FormatValue(812, "ms"), "812.0ms");
  EXPECT_EQ(FormatValue(3, "s"), "3.0s");
  EXPECT_EQ(FormatValue(2.5, "%"), "2.50%");
  EXPECT_EQ(FormatValue(0.005, "%"), "0.005%");
  EXPECT_EQ(FormatValue(0, "%"), "0.00%");
  EXPECT_EQ(FormatValue(199.96, "req/s"), "200.0 req/s");
}

}  // namespace
}  // namespace faultdrill::judge
