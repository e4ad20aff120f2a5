// Runs validated inference requests on a fixed pool of worker threads behind a
// bounded queue, forming dynamic batches for batchable models.
//
// Submit never blocks: a full queue is refused (ResourceExhausted) and the
// caller answers the client at once. A worker that takes a task whose deadline
// has passed or whose client cancelled answers without computing. Tasks of a
// batchable model (same model instance, same parameters) that wait together are
// concatenated along dimension 0, run as one, and split back; a row's result is
// the same whether it ran alone or in a batch. With a cost model, a worker
// answers no earlier than the run's configured service time after it took the
// run, so capacity is set by configuration, not by the CPU.
#ifndef FAULTDRILL_SERVER_INFERENCE_EXECUTOR_H_
#define FAULTDRILL_SERVER_INFERENCE_EXECUTOR_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/cost_model.h"
#include "server/model.h"
#include "server/request_validation.h"
#include "server/work_queue.h"

namespace faultdrill::server {

struct InferTask {
  std::shared_ptr<const Model> model;
  ValidatedRequest request;
  absl::Time deadline = absl::InfiniteFuture();
  // Set when the client goes away. May be null; otherwise it must stay valid
  // until `done` has been called.
  const std::atomic<bool>* cancelled = nullptr;
  // Called exactly once, on a worker thread, with every signature output of the
  // model (in signature order) or the error.
  std::function<void(absl::StatusOr<std::vector<Tensor>>)> done;

  // Filled by Submit, read by the queue.
  std::string batch_key;
  int64_t rows = 1;
};

struct ExecutorOptions {
  size_t queue_size = 256;
  int workers = 2;
  absl::Duration batch_window = absl::Microseconds(500);
  int64_t max_batch_rows = 64;
  // How long a run occupies its worker at least (see cost_model.h); empty: as
  // long as the computation takes.
  CostModel cost;
};

// Counters, for tests and benchmarks.
struct ExecutorStats {
  int64_t batches = 0;         // model runs
  int64_t batched_tasks = 0;   // tasks that ran inside a batch of two or more
  int64_t rejected = 0;        // refused because the queue was full
  int64_t expired = 0;         // answered without computing (deadline or cancel)
};

class InferenceExecutor {
 public:
  explicit InferenceExecutor(const ExecutorOptions& options);
  ~InferenceExecutor();  // Stop()
  InferenceExecutor(const InferenceExecutor&) = delete;
  InferenceExecutor& operator=(const InferenceExecutor&) = delete;

  // Queues `task` and takes it (it becomes null), or returns ResourceExhausted
  // (queue full) or Unavailable (stopped) and leaves it with the caller, whose
  // `done` has not been called.
  absl::Status Submit(std::unique_ptr<InferTask>& task);

  // Waits until every submitted task has been answered (its `done` returned) or
  // `deadline` passes; true when idle. New tasks may still be submitted.
  bool WaitUntilIdle(absl::Time deadline) ABSL_LOCKS_EXCLUDED(pending_mu_);

  // Refuses new tasks, lets the workers finish every queued one, joins them.
  // Idempotent.
  void Stop();

  ExecutorStats stats() const;

  // Tasks waiting for a worker now (not those being computed).
  size_t queue_depth() const { return queue_.size(); }

 private:
  void WorkerLoop();
  void RunBatch(std::vector<std::unique_ptr<InferTask>> batch);
  // When the run of `tasks` that started at `started` may be answered.
  std::chrono::steady_clock::time_point ServiceEnd(std::chrono::steady_clock::time_point started,
                                                   const std::vector<std::unique_ptr<InferTask>>& tasks) const;
  // Calls task.done(result) and counts the task as answered.
  void Answer(InferTask& task, absl::StatusOr<std::vector<Tensor>> result)
      ABSL_LOCKS_EXCLUDED(pending_mu_);

  // Constant after construction.
  const ExecutorOptions options_;

  WorkQueue<std::unique_ptr<InferTask>> queue_;
  std::vector<std::thread> workers_;  // joined by Stop; touched only by ctor/Stop
  std::atomic<bool> stopped_{false};

  absl::Mutex pending_mu_;
  int64_t pending_ ABSL_GUARDED_BY(pending_mu_) = 0;  // submitted, not yet answered

  std::atomic<int64_t> batches_{0};
  std::atomic<int64_t> batched_tasks_{0};
  std::atomic<int64_t> rejected_{0};
  std::atomic<int64_t> expired_{0};
};

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_INFERENCE_EXECUTOR_H_
