// The leak check's arithmetic: least-squares slopes on exact numbers, and the
// growth rates a scenario writes.
#include "probes/leak_slope.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace faultdrill::probes {
namespace {

using ::testing::HasSubstr;
using Points = std::vector<std::array<double, 2>>;

Points Line(double intercept, double slope, int n, double t0 = 0, double dt = 1) {
  Points points;
  for (int i = 0; i < n; ++i) points.push_back({t0 + i * dt, intercept + slope * (t0 + i * dt)});
  return points;
}

TEST(FitLine, AnExactLineGivesItsSlopeAndAPerfectFit) {
  auto fit = FitLine(Line(3, 2, 10));
  ASSERT_TRUE(fit.has_value());
  EXPECT_DOUBLE_EQ(fit->slope, 2);
  EXPECT_DOUBLE_EQ(fit->r_squared, 1);
  EXPECT_EQ(fit->n, 10u);
}

TEST(FitLine, ANegativeSlopeStaysNegative) {
  auto fit = FitLine(Line(100, -0.5, 7, 0, 0.25));
  ASSERT_TRUE(fit.has_value());
  EXPECT_DOUBLE_EQ(fit->slope, -0.5);
}

TEST(FitLine, AConstantSeriesHasSlopeZeroAndIsFittedExactly) {
  auto fit = FitLine(Line(42, 0, 5));
  ASSERT_TRUE(fit.has_value());
  EXPECT_EQ(fit->slope, 0);
  EXPECT_EQ(fit->r_squared, 1);
}

TEST(FitLine, NoiseAroundALineKeepsTheSlopeAndLowersTheFit) {
  std::mt19937 random(7);
  std::normal_distribution<double> noise(0, 5);
  Points points = Line(1000, 3, 200);
  for (auto& p : points) p[1] += noise(random);
  auto fit = FitLine(points);
  ASSERT_TRUE(fit.has_value());
  EXPECT_NEAR(fit->slope, 3, 0.05);
  EXPECT_LT(fit->r_squared, 1);
  EXPECT_GT(fit->r_squared, 0.95);
}

TEST(FitLine, PureNoiseHasALowFit) {
  std::mt19937 random(11);
  std::uniform_real_distribution<double> noise(-1, 1);
  Points points;
  for (int i = 0; i < 500; ++i) points.push_back({static_cast<double>(i), noise(random)});
  auto fit = FitLine(points);
  ASSERT_TRUE(fit.has_value());
  EXPECT_LT(fit->r_squared, 0.05);
}

TEST(FitLine, HugeValuesWithSmallChangesKeepTheirPrecision) {
  // 1 PB of RSS growing 1000 bytes per second, sampled at t ~ 1e9 s: a naive
  // sum of squares loses every digit here.
  auto fit = FitLine(Line(1e15, 1000, 100, 1e9, 0.5));
  ASSERT_TRUE(fit.has_value());
  EXPECT_NEAR(fit->slope, 1000, 1e-3);
  EXPECT_NEAR(fit->r_squared, 1, 1e-9);
}

TEST(FitLine, TooFewPointsHaveNoSlope) {
  EXPECT_FALSE(FitLine(Points{}).has_value());
  EXPECT_FALSE(FitLine(Points{{1, 5}}).has_value());
  EXPECT_TRUE(FitLine(Points{{1, 5}, {2, 7}}).has_value());
}

TEST(FitLine, PointsAllAtOneTimeHaveNoSlope) { EXPECT_FALSE(FitLine(Points{{3, 1}, {3, 2}, {3, 9}}).has_value()); }

TEST(FitLine, PointsWithNonFiniteCoordinatesAreSkipped) {
  Points points = Line(0, 4, 6);
  points.push_back({std::numeric_limits<double>::quiet_NaN(), 1});
  points.push_back({10, std::numeric_limits<double>::infinity()});
  auto fit = FitLine(points);
  ASSERT_TRUE(fit.has_value());
  EXPECT_EQ(fit->n, 6u);
  EXPECT_DOUBLE_EQ(fit->slope, 4);
}

TEST(ParseBytesPerSecond, ReadsASizePerTimeUnit) {
  EXPECT_DOUBLE_EQ(*ParseBytesPerSecond("10MiB/min"), 10.0 * 1024 * 1024 / 60);
  EXPECT_DOUBLE_EQ(*ParseBytesPerSecond("4096/s"), 4096);
  EXPECT_DOUBLE_EQ(*ParseBytesPerSecond("1GB/h"), 1e9 / 3600);
  EXPECT_DOUBLE_EQ(*ParseBytesPerSecond("512kB/sec"), 512000);
  EXPECT_DOUBLE_EQ(*ParseBytesPerSecond("0/min"), 0);
}

TEST(ParseBytesPerSecond, RejectsWhatIsNotASizePerTimeUnit) {
  for (const char* bad :
       {"", "10MiB", "10MiB/", "10MiB/week", "/min", "ten/min", "-1MiB/min", "10 MiB/min", "10MiB/min/s"}) {
    auto parsed = ParseBytesPerSecond(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr("invalid growth rate")) << bad;
  }
  EXPECT_THAT(std::string(ParseBytesPerSecond("10MiB/week").status().message()), HasSubstr("unknown time unit 'week'"));
}

}  // namespace
}  // namespace faultdrill::probes
