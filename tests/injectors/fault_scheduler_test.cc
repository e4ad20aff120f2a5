#include "injectors/fault_scheduler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "tests/core/fake_clock.h"

namespace faultdrill::injectors {
namespace {

using ::faultdrill::testing::FakeClock;
using ::testing::ElementsAre;
using namespace std::chrono_literals;

// Records the order of applies and reverts across injectors.
class FakeInjector final : public Injector {
 public:
  FakeInjector(std::string name, std::vector<std::string>& journal, bool fail_apply = false)
      : name_(std::move(name)), journal_(journal), fail_apply_(fail_apply) {}
  std::string Describe() const override { return "fake " + name_; }
  std::optional<Duration> ActiveFor() const override { return std::nullopt; }
  absl::Status Apply() override {
    journal_.push_back("apply " + name_);
    return fail_apply_ ? absl::InternalError("boom") : absl::OkStatus();
  }
  absl::Status Revert() override {
    journal_.push_back("revert " + name_);
    return absl::OkStatus();
  }
  std::map<std::string, int64_t> Counters() const override { return {{"n", 1}}; }

 private:
  std::string name_;
  std::vector<std::string>& journal_;
  bool fail_apply_;
};

class FaultSchedulerTest : public ::testing::Test {
 protected:
  void Build(std::vector<TimelineFault> faults, std::vector<bool> fail = {}) {
    auto timeline = Timeline::Compile(10s, faults);
    ASSERT_TRUE(timeline.ok()) << timeline.status();
    timeline_ = *timeline;
    for (size_t i = 0; i < faults.size(); ++i) {
      injectors_.push_back(std::make_unique<FakeInjector>(faults[i].name, journal_, i < fail.size() && fail[i]));
      raw_.push_back(injectors_.back().get());
    }
    scheduler_ = std::make_unique<FaultScheduler>(timeline_, raw_, clock_, events_);
  }

  // Runs the scheduler on its own thread and moves fake time step by step to
  // every planned step before `until`, then stops it. Each step is one call to
  // SleepUntil, so waiting for the k-th call means the scheduler has finished
  // step k-1 and sleeps for step k.
  void RunUntil(Duration until, std::stop_source& stop) {
    std::atomic<bool> done{false};
    std::jthread worker([&] {
      scheduler_->Run(stop.get_token());
      done = true;
    });
    uint64_t calls = 0;
    for (const Timeline::Step& step : timeline_.steps()) {
      if (step.at >= until) break;
      ASSERT_TRUE(clock_.WaitForSleepCalls(++calls, 10s));
      clock_.AdvanceTo(start_ + step.at);
    }
    if (calls < timeline_.steps().size()) {
      ASSERT_TRUE(clock_.WaitForSleepCalls(calls + 1, 10s));
    } else {
      for (int i = 0; i < 1000 && !done; ++i) std::this_thread::sleep_for(1ms);  // the last step runs
    }
    stop.request_stop();
    worker.join();
    EXPECT_TRUE(done);
  }

  FakeClock clock_;
  Clock::TimePoint start_ = clock_.Now();
  EventLog events_{clock_, start_};
  Timeline timeline_;
  std::vector<std::string> journal_;
  std::vector<std::unique_ptr<Injector>> injectors_;
  std::vector<Injector*> raw_;
  std::unique_ptr<FaultScheduler> scheduler_;
};

TEST_F(FaultSchedulerTest, AppliesAndRevertsAtTheirTimes) {
  Build({{"a", "fake", 1s, 2s}, {"b", "fake", 2s, 5s}});
  std::stop_source stop;
  RunUntil(10s, stop);
  EXPECT_THAT(journal_, ElementsAre("apply a", "apply b", "revert a", "revert b"));
  auto records = scheduler_->Records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_DOUBLE_EQ(*records[0].applied_at_s, 1.0);
  EXPECT_DOUBLE_EQ(*records[0].reverted_at_s, 3.0);
  EXPECT_DOUBLE_EQ(*records[1].applied_at_s, 2.0);
  EXPECT_DOUBLE_EQ(*records[1].reverted_at_s, 7.0);
  EXPECT_EQ(records[0].state, "reverted");
  EXPECT_EQ(records[0].counters.at("n"), 1);
  EXPECT_EQ(records[0].description, "fake a");
}

TEST_F(FaultSchedulerTest, RevertAllTakesBackWhatAStopLeftActiveInReverseOrder) {
  Build({{"a", "fake", 1s, 8s}, {"b", "fake", 2s, 7s}, {"c", "fake", 9s, 1s}});
  std::stop_source stop;
  RunUntil(3s, stop);
  EXPECT_THAT(scheduler_->ActiveFaults(), ElementsAre("a", "b"));
  scheduler_->RevertAll("interrupted");
  scheduler_->RevertAll("again");
  EXPECT_THAT(journal_, ElementsAre("apply a", "apply b", "revert b", "revert a"));
  EXPECT_TRUE(scheduler_->ActiveFaults().empty());
  EXPECT_EQ(scheduler_->Records()[2].state, "pending");
}

TEST_F(FaultSchedulerTest, AFailedApplyIsRecordedAndStillReverted) {
  Build({{"a", "fake", 1s, 1s}}, {true});
  std::stop_source stop;
  RunUntil(10s, stop);
  EXPECT_THAT(journal_, ElementsAre("apply a", "revert a"));
  auto record = scheduler_->Records()[0];
  EXPECT_EQ(record.state, "failed");
  EXPECT_EQ(record.error, "boom");
}

TEST_F(FaultSchedulerTest, EventsNameEachStep) {
  Build({{"a", "fake", 1s, 1s}});
  std::stop_source stop;
  RunUntil(10s, stop);
  auto events = events_.Snapshot();
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events[0].source, "injector:a");
  EXPECT_DOUBLE_EQ(events[0].t_s, 1.0);
}

}  // namespace
}  // namespace faultdrill::injectors
