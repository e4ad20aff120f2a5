// A bounded FIFO of pending work that forms dynamic batches.
//
// T is a pointer-like, movable type (e.g. std::unique_ptr<Task>) whose pointee
// has `std::string batch_key` (empty: the item always runs alone) and
// `int64_t rows`. TryPush never blocks: when the queue holds `capacity` items it
// refuses, so the caller can answer RESOURCE_EXHAUSTED at once. PopBatch hands a
// worker the oldest item and, when that item is batchable, gathers queued items
// with the same key, in FIFO order, until they hold `max_rows` rows or `window`
// has passed since the first was taken.
//
// Thread-safe. After Stop, TryPush refuses and PopBatch drains what is left,
// then returns an empty batch.
#ifndef FAULTDRILL_SERVER_WORK_QUEUE_H_
#define FAULTDRILL_SERVER_WORK_QUEUE_H_

#include <cstdint>
#include <deque>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace faultdrill::server {

template <typename T>
class WorkQueue {
 public:
  explicit WorkQueue(size_t capacity) : capacity_(capacity) {}
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Moves `item` in and returns true, or returns false (leaving `item` as it
  // was) when the queue is full or stopped.
  bool TryPush(T& item) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    if (stopped_ || items_.size() >= capacity_) return false;
    items_.push_back(std::move(item));
    ++pushes_;
    cv_.SignalAll();
    return true;
  }

  // Blocks until an item is available (or the queue is stopped and empty, when
  // it returns an empty batch), then forms a batch as described above.
  std::vector<T> PopBatch(int64_t max_rows, absl::Duration window) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    while (items_.empty() && !stopped_) cv_.Wait(&mu_);
    std::vector<T> batch;
    if (items_.empty()) return batch;
    batch.push_back(std::move(items_.front()));
    items_.pop_front();
    if (batch[0]->batch_key.empty()) return batch;

    const absl::Time deadline = absl::Now() + window;
    int64_t rows = batch[0]->rows;
    bool full = rows >= max_rows;
    while (!full) {
      for (auto it = items_.begin(); it != items_.end() && !full;) {
        if ((*it)->batch_key != batch[0]->batch_key) {
          ++it;
        } else if (rows + (*it)->rows > max_rows) {
          full = true;  // the next one in line does not fit: run what we have
        } else {
          rows += (*it)->rows;
          batch.push_back(std::move(*it));
          it = items_.erase(it);
          full = rows >= max_rows;
        }
      }
      if (full || stopped_) break;
      const uint64_t seen = pushes_;
      while (pushes_ == seen && !stopped_) {
        if (cv_.WaitWithDeadline(&mu_, deadline)) break;  // timed out
      }
      if (pushes_ == seen) break;
    }
    return batch;
  }

  void Stop() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    stopped_ = true;
    cv_.SignalAll();
  }

  size_t size() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return items_.size();
  }

  size_t capacity() const { return capacity_; }

 private:
  const size_t capacity_;

  mutable absl::Mutex mu_;
  absl::CondVar cv_;
  std::deque<T> items_ ABSL_GUARDED_BY(mu_);
  uint64_t pushes_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_WORK_QUEUE_H_
