#include "judge/probe_judge.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "judge/score.h"

namespace faultdrill::judge {
namespace {

using ::testing::HasSubstr;

ProbeSeries Series(std::string probe, std::string value, std::vector<std::array<double, 2>> points) {
  return ProbeSeries{std::move(probe), "process", std::move(value), "bytes", std::move(points)};
}

ProbeThreshold AtMost(double max, ProbeThreshold::Stat stat = ProbeThreshold::Stat::kMax) {
  return ProbeThreshold{.probe = "server", .value = "rss_bytes", .max = max, .stat = stat};
}

TEST(SeriesStat, TakesOnlyThePointsInTheWindow) {
  ProbeSeries s = Series("server", "rss_bytes", {{0.5, 10}, {1.5, 30}, {2.5, 20}, {3.5, 100}});
  EXPECT_EQ(SeriesStat(s, 1, 3, ProbeThreshold::Stat::kMax), 30);
  EXPECT_EQ(SeriesStat(s, 1, 3, ProbeThreshold::Stat::kMin), 20);
  EXPECT_EQ(SeriesStat(s, 1, 3, ProbeThreshold::Stat::kMean), 25);
  EXPECT_EQ(SeriesStat(s, 1, 3, ProbeThreshold::Stat::kLast), 20);
  EXPECT_EQ(SeriesStat(s, 5, 6, ProbeThreshold::Stat::kMax), std::nullopt);
}

TEST(CheckProbeThreshold, PassesAtItsBoundAndFailsAbove) {
  std::vector<ProbeSeries> series = {Series("server", "rss_bytes", {{0, 1000}, {1, 2000}})};
  Verdict pass = CheckProbeThreshold(AtMost(2000), series, "all", 0, 2);
  EXPECT_TRUE(pass.passed) << pass.message;
  EXPECT_EQ(pass.metric, "probe:server.rss_bytes");
  EXPECT_EQ(pass.unit, "bytes");
  Verdict fail = CheckProbeThreshold(AtMost(1500), series, "all", 0, 2);
  EXPECT_FALSE(fail.passed);
  EXPECT_EQ(fail.measured, 2000);
  EXPECT_THAT(fail.message, HasSubstr("max of server.rss_bytes 2000 bytes > 1500 in all"));
  Verdict mean = CheckProbeThreshold(AtMost(1500, ProbeThreshold::Stat::kMean), series, "all", 0, 2);
  EXPECT_TRUE(mean.passed) << mean.message;
}

TEST(CheckProbeThreshold, NothingSampledIsNothingProven) {
  Verdict v = CheckProbeThreshold(AtMost(1), {}, "during(x)", 0, 2);
  EXPECT_FALSE(v.passed);
  EXPECT_FALSE(v.measured);
  EXPECT_THAT(v.message, HasSubstr("no samples of server.rss_bytes in window during(x)"));
}

TEST(CheckProbeThreshold, BothBoundsMeanWithin) {
  ProbeThreshold t{.probe = "server", .value = "rss_bytes", .max = 10, .min = 5, .stat = ProbeThreshold::Stat::kLast};
  std::vector<ProbeSeries> series = {Series("server", "rss_bytes", {{0, 7}, {1, 3}})};
  Verdict v = CheckProbeThreshold(t, series, "all", 0, 2);
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.comparison, "within");
  EXPECT_THAT(v.message, HasSubstr("outside [5, 10]"));
}

TEST(ContinuousChecks, FailsOnTheFirstBadSampleAndNamesIt) {
  ContinuousChecks checks({{"steady-health", "health probe", std::nullopt},
                           {"server", "rss bounded", AtMost(100)}});
  checks.Observe("steady-health", 0.0, true, "ok", {});
  checks.Observe("steady-health", 1.0, false, "ServerLive failed", {});
  checks.Observe("steady-health", 2.0, false, "ServerLive failed", {});
  checks.Observe("server", 0.5, true, "", {{"rss_bytes", 50}});
  checks.Observe("server", 1.5, true, "", {{"threads", 4}});  // no rss this time: not judged
  std::vector<Verdict> v = checks.Verdicts();
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].name, "continuous: health probe");
  EXPECT_FALSE(v[0].passed);
  EXPECT_EQ(v[0].measured, 2);
  EXPECT_THAT(v[0].message, HasSubstr("2 of 3 samples failed, the first at 1.0s: not healthy: ServerLive failed"));
  EXPECT_TRUE(v[1].passed) << v[1].message;
  EXPECT_THAT(v[1].message, HasSubstr("all 1 samples held"));
}

TEST(ContinuousChecks, NoSampleFails) {
  ContinuousChecks checks({{"p", "p probe", std::nullopt}});
  std::vector<Verdict> v = checks.Verdicts();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_FALSE(v[0].passed);
  EXPECT_THAT(v[0].message, HasSubstr("no samples"));
}

Verdict Of(std::string group, bool passed) {
  Verdict v;
  v.group = std::move(group);
  v.passed = passed;
  return v;
}

TEST(Score, WeighsVerdictsByGroup) {
  ResilienceScore s = Score({Of("steady-state", true), Of("slo", false), Of("fault", true)});
  // earned 3 + 1 of 3 + 2 + 1
  EXPECT_DOUBLE_EQ(s.score, 100.0 * 4 / 6);
  ASSERT_EQ(s.groups.size(), 3u);
  EXPECT_EQ(s.groups[1].group, "slo");
  EXPECT_EQ(s.groups[1].weight, 2);
  EXPECT_EQ(s.groups[1].passed, 0u);
  EXPECT_EQ(s.groups[1].total, 1u);
  EXPECT_FALSE(s.formula.empty());
}

TEST(Score, EverythingPassedOrNothingJudgedIs100) {
  EXPECT_DOUBLE_EQ(Score({Of("golden", true), Of("unknown-group", true)}).score, 100);
  EXPECT_DOUBLE_EQ(Score({}).score, 100);
  EXPECT_DOUBLE_EQ(Score({Of("golden", false)}).score, 0);
}

}  // namespace
}  // namespace faultdrill::judge
