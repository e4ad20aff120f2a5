#include "core/clock.h"

#include <gtest/gtest.h>

#include <thread>

#include "tests/core/fake_clock.h"

namespace faultdrill {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;

TEST(SystemClock, IsMonotonicAndShared) {
  Clock& clock = SystemClock();
  EXPECT_EQ(&clock, &SystemClock());
  Clock::TimePoint a = clock.Now();
  EXPECT_LE(a, clock.Now());
}

TEST(SystemClock, ReturnsTrueForADeadlineInThePast) {
  Clock& clock = SystemClock();
  EXPECT_TRUE(clock.SleepUntil(clock.Now() - 1s, std::stop_token()));
}

TEST(SystemClock, StopRequestWakesASleeperAtOnce) {
  Clock& clock = SystemClock();
  std::stop_source stop;
  std::atomic<bool> result{true};
  std::thread sleeper([&] { result = clock.SleepUntil(clock.Now() + 1h, stop.get_token()); });
  stop.request_stop();
  sleeper.join();  // would hang for an hour if the stop request did not wake it
  EXPECT_FALSE(result);
}

TEST(SystemClock, ReturnsFalseWhenStopWasRequestedBefore) {
  std::stop_source stop;
  stop.request_stop();
  EXPECT_FALSE(SystemClock().SleepUntil(SystemClock().Now() + 1h, stop.get_token()));
}

TEST(FakeClock, TimeMovesOnlyWhenAdvanced) {
  FakeClock clock;
  Clock::TimePoint start = clock.Now();
  EXPECT_EQ(clock.Now(), start);
  clock.Advance(250ms);
  EXPECT_EQ(clock.Now() - start, 250ms);
  clock.AdvanceTo(start + 2s);
  EXPECT_EQ(clock.Now() - start, 2s);
}

TEST(FakeClock, NeverMovesBackwards) {
  FakeClock clock(Clock::TimePoint{} + 10s);
  clock.AdvanceTo(Clock::TimePoint{} + 5s);
  clock.Advance(-1s);
  EXPECT_EQ(clock.Now(), Clock::TimePoint{} + 10s);
}

TEST(FakeClock, SleepReturnsAtOnceForAPastDeadline) {
  FakeClock clock;
  EXPECT_TRUE(clock.SleepUntil(clock.Now(), std::stop_token()));
  EXPECT_EQ(clock.sleep_calls(), 1u);
  EXPECT_EQ(clock.sleepers(), 0u);
}

TEST(FakeClock, SleeperWakesOnlyWhenTimeReachesItsDeadline) {
  FakeClock clock;
  const Clock::TimePoint deadline = clock.Now() + 1s;
  std::atomic<bool> woke{false};
  std::thread sleeper([&] {
    EXPECT_TRUE(clock.SleepUntil(deadline, std::stop_token()));
    woke = true;
  });
  ASSERT_TRUE(clock.WaitForSleepers(1));
  EXPECT_EQ(clock.NextDeadline(), deadline);
  clock.Advance(999ms);
  EXPECT_EQ(clock.sleepers(), 1u);  // still asleep: the deadline is not reached
  EXPECT_FALSE(woke);
  clock.Advance(1ms);
  sleeper.join();
  EXPECT_TRUE(woke);
  EXPECT_EQ(clock.sleepers(), 0u);
}

TEST(FakeClock, StopRequestWakesASleeperWithoutMovingTime) {
  FakeClock clock;
  std::stop_source stop;
  std::atomic<bool> result{true};
  std::thread sleeper([&] { result = clock.SleepUntil(clock.Now() + 1h, stop.get_token()); });
  ASSERT_TRUE(clock.WaitForSleepers(1));
  Clock::TimePoint before = clock.Now();
  stop.request_stop();
  sleeper.join();
  EXPECT_FALSE(result);
  EXPECT_EQ(clock.Now(), before);
}

TEST(FakeClock, AdvanceToNextDeadlineWakesSleepersInDeadlineOrder) {
  FakeClock clock;
  std::mutex mu;
  std::vector<int> order;
  auto sleep_then_record = [&](int id, std::chrono::seconds after) {
    clock.SleepUntil(Clock::TimePoint{} + after, std::stop_token());
    std::lock_guard lock(mu);
    order.push_back(id);
  };
  std::thread late(sleep_then_record, 2, 2s);
  std::thread early(sleep_then_record, 1, 1s);
  ASSERT_TRUE(clock.WaitForSleepers(2));
  ASSERT_TRUE(clock.AdvanceToNextDeadline());
  EXPECT_EQ(clock.Now(), Clock::TimePoint{} + 1s);
  early.join();
  ASSERT_TRUE(clock.WaitForSleepers(1));
  ASSERT_TRUE(clock.AdvanceToNextDeadline());
  late.join();
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  EXPECT_FALSE(clock.AdvanceToNextDeadline());  // nobody left asleep
}

TEST(FakeClock, DrivesAPeriodicLoopDeterministically) {
  FakeClock clock;
  std::atomic<int> ticks{0};
  std::jthread loop([&](std::stop_token stop) {
    Clock::TimePoint next = clock.Now();
    while (clock.SleepUntil(next += 100ms, stop)) ++ticks;
  });
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(clock.WaitForSleepCalls(static_cast<uint64_t>(i)));
    ASSERT_TRUE(clock.WaitForSleepers(1));
    clock.Advance(100ms);
  }
  ASSERT_TRUE(clock.WaitForSleepCalls(6));
  ASSERT_TRUE(clock.WaitForSleepers(1));
  EXPECT_EQ(ticks, 5);
  loop.request_stop();
  loop.join();
  EXPECT_EQ(ticks, 5);
}

}  // namespace
}  // namespace faultdrill
