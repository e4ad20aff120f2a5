// abort_when decisions on simulated run time: no clock, no threads.
#include "judge/abort_monitor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace faultdrill::judge {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;

AbortCondition ErrorRateAbove(double fraction, Duration hold) {
  AbortCondition c;
  c.error_rate = fraction;
  c.hold = hold;
  return c;
}

AbortCondition ProbeAbove(std::string probe, std::string value, double max, Duration hold) {
  AbortCondition c;
  c.probe = ProbeThreshold{.probe = std::move(probe), .value = std::move(value), .max = max};
  c.hold = hold;
  return c;
}

TEST(AbortMonitor, AbortsOnTheFirstBadSecondWithoutHold) {
  AbortMonitor monitor({ErrorRateAbove(0.5, seconds(0))});
  EXPECT_FALSE(monitor.ObserveLoad(seconds(1), seconds(1), 100, 10, milliseconds(5)));
  auto reason = monitor.ObserveLoad(seconds(2), seconds(1), 100, 60, milliseconds(5));
  ASSERT_TRUE(reason);
  EXPECT_THAT(*reason, HasSubstr("error_rate > 50%"));
  EXPECT_THAT(*reason, HasSubstr("60.0% of 100 requests failed"));
  EXPECT_EQ(monitor.reason(), reason);
}

TEST(AbortMonitor, WaitsUntilTheConditionHeldForItsDuration) {
  AbortMonitor monitor({ErrorRateAbove(0.5, seconds(3))});
  // Bad from the interval (1s, 2s]: held 1s, 2s, then 3s at t=4s.
  EXPECT_FALSE(monitor.ObserveLoad(seconds(2), seconds(1), 100, 90, {}));
  EXPECT_FALSE(monitor.ObserveLoad(seconds(3), seconds(1), 100, 90, {}));
  EXPECT_TRUE(monitor.ObserveLoad(seconds(4), seconds(1), 100, 90, {}));
}

TEST(AbortMonitor, AGoodIntervalBreaksTheStreak) {
  AbortMonitor monitor({ErrorRateAbove(0.5, seconds(2))});
  EXPECT_FALSE(monitor.ObserveLoad(seconds(1), seconds(1), 100, 90, {}));
  EXPECT_FALSE(monitor.ObserveLoad(seconds(2), seconds(1), 100, 0, {}));
  EXPECT_FALSE(monitor.ObserveLoad(seconds(3), seconds(1), 100, 90, {}));
  EXPECT_TRUE(monitor.ObserveLoad(seconds(4), seconds(1), 100, 90, {}));
}

TEST(AbortMonitor, AnIntervalWithoutCompletionsJudgesNothing) {
  AbortMonitor monitor({ErrorRateAbove(0.0, seconds(0))});
  EXPECT_FALSE(monitor.ObserveLoad(seconds(1), seconds(1), 0, 0, {}));
  EXPECT_FALSE(monitor.reason());
}

TEST(AbortMonitor, JudgesTheP99OfTheInterval) {
  AbortCondition c;
  c.p99_latency = milliseconds(500);
  AbortMonitor monitor({c});
  EXPECT_FALSE(monitor.ObserveLoad(seconds(1), seconds(1), 10, 0, milliseconds(500)));
  auto reason = monitor.ObserveLoad(seconds(2), seconds(1), 10, 0, milliseconds(501));
  ASSERT_TRUE(reason);
  EXPECT_THAT(*reason, HasSubstr("p99_latency > 500ms"));
}

TEST(AbortMonitor, P99ConditionHoldsWhenNoCallOfTheIntervalSucceeded) {
  // The server is down: 200 calls failed fast, no successful latency at all.
  AbortCondition c;
  c.p99_latency = milliseconds(500);
  c.hold = seconds(2);
  AbortMonitor monitor({c});
  EXPECT_FALSE(monitor.ObserveLoad(seconds(1), seconds(1), 200, 200, Duration(0)));
  auto reason = monitor.ObserveLoad(seconds(2), seconds(1), 200, 200, Duration(0));
  ASSERT_TRUE(reason);
  EXPECT_THAT(*reason, HasSubstr("none of 200 requests succeeded"));
}

TEST(AbortMonitor, P99ConditionNamesTheSuccessfulCallsItJudged) {
  AbortCondition c;
  c.p99_latency = milliseconds(500);
  AbortMonitor monitor({c});
  auto reason = monitor.ObserveLoad(seconds(1), seconds(1), 10, 4, milliseconds(900));
  ASSERT_TRUE(reason);
  EXPECT_THAT(*reason, HasSubstr("over 6 successful requests"));
}

TEST(AbortMonitor, ProbeConditionsCountFromTheFirstBadSample) {
  AbortMonitor monitor({ProbeAbove("server", "rss_bytes", 1000, milliseconds(500))});
  const std::vector<std::pair<std::string, double>> high = {{"healthy", 1}, {"rss_bytes", 2000}};
  EXPECT_FALSE(monitor.ObserveProbe("server", milliseconds(100), high));
  EXPECT_FALSE(monitor.ObserveProbe("other", milliseconds(700), high));  // another probe: not its value
  EXPECT_FALSE(monitor.ObserveProbe("server", milliseconds(400), high));
  auto reason = monitor.ObserveProbe("server", milliseconds(600), high);
  ASSERT_TRUE(reason);
  EXPECT_THAT(*reason, HasSubstr("server.rss_bytes = 2000"));
}

TEST(AbortMonitor, AMissingProbeValueBreaksTheStreak) {
  AbortMonitor monitor({ProbeAbove("server", "rss_bytes", 1000, milliseconds(200))});
  EXPECT_FALSE(monitor.ObserveProbe("server", milliseconds(0), {{"rss_bytes", 2000}}));
  EXPECT_FALSE(monitor.ObserveProbe("server", milliseconds(100), {{"healthy", 0}}));
  EXPECT_FALSE(monitor.ObserveProbe("server", milliseconds(200), {{"rss_bytes", 2000}}));
  EXPECT_TRUE(monitor.ObserveProbe("server", milliseconds(400), {{"rss_bytes", 2000}}));
}

TEST(AbortMonitor, KeepsTheFirstReason) {
  AbortMonitor monitor({ErrorRateAbove(0.1, seconds(0)), ProbeAbove("p", "v", 1, seconds(0))});
  ASSERT_TRUE(monitor.ObserveLoad(seconds(1), seconds(1), 10, 5, {}));
  EXPECT_FALSE(monitor.ObserveProbe("p", seconds(2), {{"v", 5}}));
  EXPECT_THAT(*monitor.reason(), HasSubstr("error_rate"));
}

}  // namespace
}  // namespace faultdrill::judge
