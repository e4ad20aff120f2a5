// The sampler on a fake clock: samples on the interval, skips what a slow
// check missed, records every value and the healthy flag, tells the observer.
#include "probes/probe_sampler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "tests/core/fake_clock.h"

namespace faultdrill::probes {
namespace {

using std::chrono::milliseconds;

// Reports value "n" = its call count; each check takes `cost` of fake time.
class CountingProbe final : public Probe {
 public:
  CountingProbe(testing::FakeClock& clock, Duration cost) : clock_(clock), cost_(cost) {}
  std::string Describe() const override { return "counting"; }
  std::vector<ValueInfo> Values() const override { return {{"n", ""}}; }
  ProbeResult Check() override {
    const int n = ++calls_;
    if (cost_ > Duration(0)) clock_.Advance(cost_);
    ProbeResult r;
    r.healthy = n % 2 == 1;
    r.values.push_back({"n", double(n)});
    return r;
  }
  int calls() const { return calls_; }

 private:
  testing::FakeClock& clock_;
  const Duration cost_;
  std::atomic<int> calls_{0};
};

TEST(ProbeSampler, SamplesOnTheIntervalIntoSeries) {
  testing::FakeClock clock;
  CountingProbe probe(clock, Duration(0));
  std::atomic<int> observed{0};
  ProbeSampler sampler({{&probe, "c", "counting", milliseconds(100)}}, clock,
                       [&](size_t index, Duration, const ProbeResult&) { observed += index == 0 ? 1 : 100; });
  sampler.Start(clock.Now());
  // Sleep call 1 returns at once (the start has come); sample, then sleep call 2 waits for 100ms, ...
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(clock.WaitForSleepCalls(2 + i));
    clock.Advance(milliseconds(100));
  }
  ASSERT_TRUE(clock.WaitForSleepCalls(5));
  sampler.Stop();
  std::vector<ProbeSeries> series = sampler.Series();
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].value, "healthy");
  EXPECT_EQ(series[1].value, "n");
  ASSERT_EQ(series[1].points.size(), 4u);  // at 0, 100, 200, 300 ms
  EXPECT_DOUBLE_EQ(series[1].points[3][0], 0.3);
  EXPECT_DOUBLE_EQ(series[1].points[3][1], 4);
  EXPECT_DOUBLE_EQ(series[0].points[0][1], 1);
  EXPECT_DOUBLE_EQ(series[0].points[1][1], 0);
  EXPECT_EQ(observed.load(), 4);
  EXPECT_EQ(sampler.samples_taken(), 4u);
}

TEST(ProbeSampler, ASlowCheckSkipsTheSamplesItMissed) {
  testing::FakeClock clock;
  CountingProbe probe(clock, milliseconds(250));  // each check takes 2.5 intervals
  ProbeSampler sampler({{&probe, "slow", "counting", milliseconds(100)}}, clock);
  sampler.Start(clock.Now());
  ASSERT_TRUE(clock.WaitForSleepCalls(2));  // after the first check (t = 250ms), sleeping until 300ms
  clock.Advance(milliseconds(50));
  ASSERT_TRUE(clock.WaitForSleepCalls(3));  // the second check ran at 300ms, took until 550ms; next 600ms
  sampler.Stop();
  std::vector<ProbeSeries> series = sampler.SeriesOf(0);
  ASSERT_EQ(series[1].points.size(), 2u);
  EXPECT_DOUBLE_EQ(series[1].points[0][0], 0.0);
  EXPECT_DOUBLE_EQ(series[1].points[1][0], 0.3);
}

TEST(ProbeSampler, StopsWithoutSamplingWhenStoppedEarly) {
  testing::FakeClock clock;
  CountingProbe probe(clock, Duration(0));
  ProbeSampler sampler({{&probe, "c", "counting", milliseconds(100)}}, clock);
  sampler.Start(clock.Now() + milliseconds(500));
  ASSERT_TRUE(clock.WaitForSleepCalls(1));
  sampler.Stop();
  EXPECT_EQ(probe.calls(), 0);
  EXPECT_EQ(sampler.Series()[0].points.size(), 0u);
}

}  // namespace
}  // namespace faultdrill::probes
