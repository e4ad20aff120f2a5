#include "server/inference_executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>
#include <memory>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace faultdrill::server {
namespace {

// Doubles its FP32 input; optionally blocks until released, so tests can hold
// the only worker busy while they fill the queue.
class FakeModel final : public Model {
 public:
  explicit FakeModel(bool batchable, bool block = false) : block_(block) {
    signature_.name = batchable ? "batchable" : "single";
    signature_.inputs = {{"IN", DataType::kFp32, {-1, 2}, 1, 64}};
    signature_.outputs = {{"OUT", DataType::kFp32, {-1, 2}, 1, 64}};
    signature_.batchable = batchable;
    signature_.max_batch_rows = 64;
  }

  const ModelSignature& signature() const override { return signature_; }

  absl::StatusOr<std::vector<Tensor>> Run(const std::vector<Tensor>& inputs,
                                          const ParameterValues&, const Interrupt&) const override {
    if (block_) {
      if (!started_.HasBeenNotified()) started_.Notify();  // one worker: no race
      release_.WaitForNotification();
    }
    runs_.fetch_add(1);
    Tensor out = inputs[0];
    out.name = "OUT";
    for (float& v : out.fp32) v *= 2;
    return std::vector<Tensor>{out};
  }

  int runs() const { return runs_.load(); }
  void WaitUntilStarted() const { started_.WaitForNotification(); }
  void Release() const { release_.Notify(); }

 private:
  ModelSignature signature_;
  const bool block_;
  mutable std::atomic<int> runs_{0};
  mutable absl::Notification started_, release_;
};

// Collects what `done` received.
struct Outcome {
  absl::Notification finished;
  absl::Status status;
  std::vector<float> values;
};

std::unique_ptr<InferTask> MakeTask(std::shared_ptr<const Model> model, std::vector<float> values,
                                    Outcome* outcome) {
  auto task = std::make_unique<InferTask>();
  task->model = std::move(model);
  const auto rows = static_cast<int64_t>(values.size() / 2);
  task->request.inputs = {Tensor{"IN", DataType::kFp32, {rows, 2}, std::move(values), {}, {}}};
  task->request.rows = rows;
  task->done = [outcome](absl::StatusOr<std::vector<Tensor>> outputs) {
    outcome->status = outputs.status();
    if (outputs.ok()) outcome->values = (*outputs)[0].fp32;
    outcome->finished.Notify();
  };
  return task;
}

TEST(InferenceExecutor, RunsATaskAndDeliversItsOutputs) {
  auto model = std::make_shared<FakeModel>(false);
  InferenceExecutor executor({});
  Outcome outcome;
  auto task = MakeTask(model, {1, 2}, &outcome);
  ASSERT_TRUE(executor.Submit(task).ok());
  outcome.finished.WaitForNotification();
  EXPECT_TRUE(outcome.status.ok());
  EXPECT_EQ(outcome.values, (std::vector<float>{2, 4}));
}

TEST(InferenceExecutor, ExpiredTaskIsAnsweredWithoutRunningTheModel) {
  auto model = std::make_shared<FakeModel>(false);
  InferenceExecutor executor({});
  Outcome outcome;
  auto task = MakeTask(model, {1, 2}, &outcome);
  task->deadline = absl::Now() - absl::Milliseconds(1);
  ASSERT_TRUE(executor.Submit(task).ok());
  outcome.finished.WaitForNotification();
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(model->runs(), 0);
  EXPECT_EQ(executor.stats().expired, 1);
}

TEST(InferenceExecutor, CancelledTaskIsAnsweredCancelled) {
  auto model = std::make_shared<FakeModel>(false);
  InferenceExecutor executor({});
  std::atomic<bool> cancelled{true};
  Outcome outcome;
  auto task = MakeTask(model, {1, 2}, &outcome);
  task->cancelled = &cancelled;
  ASSERT_TRUE(executor.Submit(task).ok());
  outcome.finished.WaitForNotification();
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(model->runs(), 0);
}

TEST(InferenceExecutor, FullQueueIsRefusedWithResourceExhausted) {
  auto blocking = std::make_shared<FakeModel>(false, /*block=*/true);
  InferenceExecutor executor({.queue_size = 1, .workers = 1});
  Outcome running, queued, refused;
  auto first = MakeTask(blocking, {1, 1}, &running);
  ASSERT_TRUE(executor.Submit(first).ok());
  blocking->WaitUntilStarted();  // the only worker is busy
  auto second = MakeTask(blocking, {2, 2}, &queued);
  ASSERT_TRUE(executor.Submit(second).ok());
  auto third = MakeTask(blocking, {3, 3}, &refused);
  EXPECT_EQ(executor.Submit(third).code(), absl::StatusCode::kResourceExhausted);
  ASSERT_NE(third, nullptr);  // still the caller's
  blocking->Release();
  running.finished.WaitForNotification();
  queued.finished.WaitForNotification();
  EXPECT_EQ(executor.stats().rejected, 1);
}

TEST(InferenceExecutor, QueuedTasksOfABatchableModelRunAsOneBatchAndSplitBack) {
  auto blocking = std::make_shared<FakeModel>(false, /*block=*/true);
  auto batchable = std::make_shared<FakeModel>(true);
  InferenceExecutor executor({.queue_size = 8, .workers = 1, .batch_window = absl::ZeroDuration()});
  Outcome hold;
  auto holder = MakeTask(blocking, {0, 0}, &hold);
  ASSERT_TRUE(executor.Submit(holder).ok());
  blocking->WaitUntilStarted();

  Outcome a, b, c;
  auto ta = MakeTask(batchable, {1, 2}, &a);
  auto tb = MakeTask(batchable, {3, 4, 5, 6}, &b);
  auto tc = MakeTask(batchable, {7, 8}, &c);
  for (auto* task : {&ta, &tb, &tc}) ASSERT_TRUE(executor.Submit(*task).ok());
  blocking->Release();
  for (Outcome* o : {&a, &b, &c}) o->finished.WaitForNotification();

  EXPECT_EQ(batchable->runs(), 1);
  EXPECT_EQ(executor.stats().batched_tasks, 3);
  EXPECT_EQ(a.values, (std::vector<float>{2, 4}));
  EXPECT_EQ(b.values, (std::vector<float>{6, 8, 10, 12}));
  EXPECT_EQ(c.values, (std::vector<float>{14, 16}));
}

TEST(InferenceExecutor, StopFinishesQueuedTasksAndRefusesNewOnes) {
  auto model = std::make_shared<FakeModel>(false);
  InferenceExecutor executor({});
  Outcome outcome, late;
  auto task = MakeTask(model, {1, 2}, &outcome);
  ASSERT_TRUE(executor.Submit(task).ok());
  executor.Stop();
  EXPECT_TRUE(outcome.finished.HasBeenNotified());
  auto after = MakeTask(model, {1, 2}, &late);
  EXPECT_EQ(executor.Submit(after).code(), absl::StatusCode::kUnavailable);
}

// --- the cost model: lower bounds only, which hold on any machine ---

ExecutorOptions WithCost(const std::string& flag, int workers = 1) {
  ExecutorOptions options;
  options.workers = workers;
  EXPECT_TRUE(options.cost.AddFlag(flag).ok()) << flag;
  return options;
}

TEST(InferenceExecutor, WithACostATaskIsAnsweredNoEarlierThanItsServiceTime) {
  auto model = std::make_shared<FakeModel>(false);
  InferenceExecutor executor(WithCost("single:per_batch=30ms"));
  Outcome outcome;
  auto task = MakeTask(model, {1, 2}, &outcome);
  const auto submitted = std::chrono::steady_clock::now();
  ASSERT_TRUE(executor.Submit(task).ok());
  outcome.finished.WaitForNotification();
  EXPECT_GE(std::chrono::steady_clock::now() - submitted, std::chrono::milliseconds(30));
  EXPECT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_EQ(outcome.values, (std::vector<float>{2, 4}));
}

TEST(InferenceExecutor, WithACostWorkersServeAtMostWorkersOverServiceTime) {
  auto model = std::make_shared<FakeModel>(false);
  InferenceExecutor executor(WithCost("single:per_batch=20ms", /*workers=*/2));
  std::vector<Outcome> outcomes(6);
  const auto submitted = std::chrono::steady_clock::now();
  for (Outcome& outcome : outcomes) {
    auto task = MakeTask(model, {1, 2}, &outcome);
    ASSERT_TRUE(executor.Submit(task).ok());
  }
  for (Outcome& outcome : outcomes) outcome.finished.WaitForNotification();
  // Six runs on two workers are three rounds of 20 ms at least.
  EXPECT_GE(std::chrono::steady_clock::now() - submitted, std::chrono::milliseconds(60));
  EXPECT_EQ(model->runs(), 6);
}

TEST(InferenceExecutor, ACostForAnotherModelAddsNothingToThisOne) {
  auto model = std::make_shared<FakeModel>(false);
  InferenceExecutor executor(WithCost("batchable:per_batch=60s"));
  Outcome outcome;
  auto task = MakeTask(model, {1, 2}, &outcome);
  ASSERT_TRUE(executor.Submit(task).ok());
  ASSERT_TRUE(outcome.finished.WaitForNotificationWithTimeout(absl::Seconds(30)));
  EXPECT_TRUE(outcome.status.ok()) << outcome.status;
}

TEST(InferenceExecutor, ADeadlineThatPassesDuringTheServiceTimeIsAnsweredDeadlineExceeded) {
  auto model = std::make_shared<FakeModel>(false);
  InferenceExecutor executor(WithCost("single:per_batch=60s"));
  Outcome outcome;
  auto task = MakeTask(model, {1, 2}, &outcome);
  task->deadline = absl::Now() + absl::Milliseconds(50);
  ASSERT_TRUE(executor.Submit(task).ok());
  ASSERT_TRUE(outcome.finished.WaitForNotificationWithTimeout(absl::Seconds(30)));
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kDeadlineExceeded) << outcome.status;
}

TEST(InferenceExecutor, ACancelDuringTheServiceTimeIsAnsweredCancelled) {
  auto model = std::make_shared<FakeModel>(false);
  InferenceExecutor executor(WithCost("single:per_batch=60s"));
  Outcome outcome;
  std::atomic<bool> cancelled{false};
  auto task = MakeTask(model, {1, 2}, &outcome);
  task->cancelled = &cancelled;
  ASSERT_TRUE(executor.Submit(task).ok());
  while (model->runs() == 0) std::this_thread::yield();  // the run is done; its service time is running
  cancelled = true;
  ASSERT_TRUE(outcome.finished.WaitForNotificationWithTimeout(absl::Seconds(30)));
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kCancelled) << outcome.status;
}

}  // namespace
}  // namespace faultdrill::server
