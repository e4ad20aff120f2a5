#include "server/inference_executor.h"

#include <utility>

#include "server/strings.h"

namespace faultdrill::server {
namespace {

// Tasks share a batch only when they run on the same model instance (a reload
// makes a new one) with the same parameters.
std::string BatchKey(const InferTask& task) {
  if (!task.model->signature().batchable) return "";
  std::string key = Cat(task.model->signature().name, "@",
                                 reinterpret_cast<uintptr_t>(task.model.get()));
  for (const auto& [name, value] : task.request.parameters) key += Cat(";", name, "=", value);
  return key;
}

absl::StatusOr<std::vector<Tensor>> CheckFinite(absl::StatusOr<std::vector<Tensor>> outputs,
                                                std::string_view model) {
  if (!outputs.ok()) return outputs;
  for (const Tensor& output : *outputs) {
    if (!AllFinite(output)) {
      return absl::InternalError(Cat("model ", model, " produced non-finite values in ",
                                              output.name, " (are its weights corrupted?)"));
    }
  }
  return outputs;
}

}  // namespace

InferenceExecutor::InferenceExecutor(const ExecutorOptions& options)
    : options_(options), queue_(options.queue_size) {
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

InferenceExecutor::~InferenceExecutor() { Stop(); }

absl::Status InferenceExecutor::Submit(std::unique_ptr<InferTask>& task) {
  task->batch_key = BatchKey(*task);
  task->rows = task->request.rows;
  if (stopped_.load()) return absl::UnavailableError("the server is shutting down");
  {
    absl::MutexLock lock(&pending_mu_);
    ++pending_;
  }
  if (!queue_.TryPush(task)) {
    {
      absl::MutexLock lock(&pending_mu_);
      --pending_;
    }
    rejected_.fetch_add(1, std::memory_order_relaxed);
    return absl::ResourceExhaustedError(Cat(
        "the server's work queue is full (", queue_.capacity(), " requests waiting); retry later"));
  }
  return absl::OkStatus();
}

bool InferenceExecutor::WaitUntilIdle(absl::Time deadline) {
  absl::MutexLock lock(&pending_mu_);
  return pending_mu_.AwaitWithDeadline(
      absl::Condition(+[](int64_t* pending) { return *pending == 0; }, &pending_), deadline);
}

void InferenceExecutor::Answer(InferTask& task, absl::StatusOr<std::vector<Tensor>> result) {
  task.done(std::move(result));
  absl::MutexLock lock(&pending_mu_);
  --pending_;
}

void InferenceExecutor::Stop() {
  if (stopped_.exchange(true)) return;
  queue_.Stop();
  for (std::thread& worker : workers_) worker.join();
}

ExecutorStats InferenceExecutor::stats() const {
  return {batches_.load(), batched_tasks_.load(), rejected_.load(), expired_.load()};
}

void InferenceExecutor::WorkerLoop() {
  while (true) {
    std::vector<std::unique_ptr<InferTask>> batch =
        queue_.PopBatch(options_.max_batch_rows, options_.batch_window);
    if (batch.empty()) return;
    RunBatch(std::move(batch));
  }
}

std::chrono::steady_clock::time_point InferenceExecutor::ServiceEnd(
    std::chrono::steady_clock::time_point started, const std::vector<std::unique_ptr<InferTask>>& tasks) const {
  if (options_.cost.empty()) return started;
  const Model& model = *tasks[0]->model;
  TokenCounts total;
  for (const auto& task : tasks) {
    const TokenCounts tokens = model.CountTokens(task->request.inputs, task->request.parameters);
    total.input += tokens.input;
    total.output += tokens.output;
  }
  return started + absl::ToChronoNanoseconds(options_.cost.ServiceTime(model.signature().name, total));
}

void InferenceExecutor::RunBatch(std::vector<std::unique_ptr<InferTask>> batch) {
  const auto started = std::chrono::steady_clock::now();
  // Answer the tasks nobody waits for any more without computing.
  std::vector<std::unique_ptr<InferTask>> live;
  for (std::unique_ptr<InferTask>& task : batch) {
    const absl::Status status = Interrupt(task->deadline, task->cancelled).Check();
    if (status.ok()) {
      live.push_back(std::move(task));
    } else {
      expired_.fetch_add(1, std::memory_order_relaxed);
      Answer(*task, status);
    }
  }
  if (live.empty()) return;
  batches_.fetch_add(1, std::memory_order_relaxed);
  const Model& model = *live[0]->model;
  const std::string& name = model.signature().name;

  const auto service_end = ServiceEnd(started, live);

  if (live.size() == 1) {
    InferTask& task = *live[0];
    const Interrupt interrupt(task.deadline, task.cancelled);
    absl::StatusOr<std::vector<Tensor>> outputs =
        CheckFinite(model.Run(task.request.inputs, task.request.parameters, interrupt), name);
    // A request whose deadline passes while its service time runs out is
    // answered as a real server answers one that ran out of time mid-run.
    if (absl::Status paced = interrupt.SleepUntil(service_end); outputs.ok() && !paced.ok()) {
      outputs = paced;
    }
    Answer(task, std::move(outputs));
    return;
  }

  batched_tasks_.fetch_add(static_cast<int64_t>(live.size()), std::memory_order_relaxed);
  std::vector<Tensor> merged;
  for (size_t i = 0; i < live[0]->request.inputs.size(); ++i) {
    std::vector<const Tensor*> parts;
    for (const auto& task : live) parts.push_back(&task->request.inputs[i]);
    merged.push_back(ConcatRows(parts));
  }
  std::vector<int64_t> rows;
  for (const auto& task : live) rows.push_back(task->rows);
  // A batch is short (one matrix product); it runs to the end once started.
  absl::StatusOr<std::vector<Tensor>> outputs =
      CheckFinite(model.Run(merged, live[0]->request.parameters, Interrupt()), name);
  Interrupt().SleepUntil(service_end).IgnoreError();
  if (!outputs.ok()) {
    for (const auto& task : live) Answer(*task, outputs.status());
    return;
  }
  std::vector<std::vector<Tensor>> per_task(live.size());
  for (const Tensor& output : *outputs) {
    std::vector<Tensor> pieces = SplitRows(output, rows);
    for (size_t t = 0; t < live.size(); ++t) per_task[t].push_back(std::move(pieces[t]));
  }
  for (size_t t = 0; t < live.size(); ++t) Answer(*live[t], std::move(per_task[t]));
}

}  // namespace faultdrill::server
