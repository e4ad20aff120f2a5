// The recorder: turns completed requests into per-window results and a
// per-second series, in memory that does not grow with the request count.
//
// Attribution is by INTENDED send time: a request belongs to every window that
// contains its intended time, and to the second its intended time falls in.
// Latency ("corrected") runs from the intended time to completion, so a
// stalled target or a client that fell behind shows up in it (no coordinated
// omission); service time runs from the actual send. Both histograms include
// every completed request, ok or not: a request that timed out was waited for.
//
// Memory: two histograms per window (fixed), one whole-run histogram, and a
// ring of `open_seconds` per-second histograms for seconds that may still
// receive completions; older seconds are folded into a compact series (about
// 24 bytes per second plus 8 per distinct error code in that second). A
// completion whose second was already folded still counts in its windows and
// in late_completions(), not in the series.
//
// Thread-safety: every method may be called from any thread concurrently.
// Record takes one short lock (a few histogram increments); NoteSent is
// lock-free.
#ifndef FAULTDRILL_LOAD_RECORDER_H_
#define FAULTDRILL_LOAD_RECORDER_H_

#include <grpcpp/support/status_code_enum.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "core/duration.h"
#include "core/run_result.h"
#include "core/timeline.h"
#include "load/latency_histogram.h"
#include "load/status_code_name.h"

namespace faultdrill::load {

// One finished request; all times are offsets from the start of the load.
struct Completion {
  Duration intended{0};  // when the schedule meant to send it
  Duration sent{0};      // when it was handed to the transport
  Duration done{0};      // when its response (or error) arrived
  grpc::StatusCode code = grpc::StatusCode::OK;
};

// A snapshot for a progress line.
struct LiveStats {
  Duration elapsed{0};                // latest send offset noted
  uint64_t last_second_requests = 0;  // completed, intended in the last full second
  uint64_t sent = 0;
  uint64_t completed = 0;
  uint64_t errors = 0;
  uint64_t in_flight = 0;   // sent - completed (0 when sends are not noted)
  double p99_ms = 0;        // corrected, over everything completed so far
  uint64_t late_completions = 0;
};

// The requests that COMPLETED between two Recorder::TakeInterval calls, for
// conditions judged while the load runs (abort_when).
struct IntervalStats {
  uint64_t completed = 0;
  uint64_t errors = 0;
  Duration p99{0};  // corrected latency
  double error_rate() const { return completed ? double(errors) / double(completed) : 0.0; }
};

struct RecorderOptions {
  // Seconds kept open for out-of-order completions. Completions arrive at most
  // `deadline` after their send, so 2 * deadline + 2 s is ample.
  int open_seconds = 8;

  static RecorderOptions ForDeadline(Duration deadline);
};

class Recorder {
 public:
  // `windows` are offsets from the load start (core/timeline.h); their order
  // is the order of WindowResults().
  explicit Recorder(std::vector<Window> windows, RecorderOptions options = {});
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  void Record(const Completion& completion);

  // Notes that a request was handed to the transport (for Live()).
  void NoteSent(Duration intended, Duration sent);

  LiveStats Live() const;

  // What completed since the previous call (or the start), then starts over.
  IntervalStats TakeInterval();

  // One result per window, in constructor order. A window reaching past
  // `run_length_actual` (an aborted run) is cut there; throughput is ok
  // requests per second of the (cut) window.
  std::vector<WindowResult> WindowResults(Duration run_length_actual) const;

  // Every second from 0 to the latest second with a completion, dense.
  std::vector<SecondSample> Series() const;

  uint64_t late_completions() const;
  // Per-second histograms currently in use (bounded by open_seconds).
  size_t open_second_count() const;
  // Bytes the recorder holds (object, histograms, series), for benchmarks.
  size_t RetainedBytes() const;

 private:
  struct WindowAccumulator {
    Window window;
    LatencyHistogram corrected;
    LatencyHistogram service;
    uint64_t ok = 0;
    uint64_t errors = 0;
    std::array<uint64_t, kStatusCodeCount> by_code{};
  };
  struct OpenSecond {
    int64_t second = -1;  // -1: unused
    LatencyHistogram corrected;
    uint32_t requests = 0;
    uint32_t errors = 0;
    std::array<uint32_t, kStatusCodeCount> by_code{};
  };
  struct FinishedSecond {
    uint32_t requests = 0;
    uint32_t errors = 0;
    float p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
    uint32_t codes_begin = 0;  // into finished_codes_; ends at the next one's begin
  };
  struct CodeCount {
    uint32_t code = 0;
    uint32_t count = 0;
  };

  void AdvanceTo(int64_t second) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FoldOldest() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  static SecondSample ToSample(uint32_t second, const OpenSecond& open);

  // Constant after construction.
  const int open_seconds_;

  mutable std::mutex mu_;
  std::vector<WindowAccumulator> windows_ ABSL_GUARDED_BY(mu_);
  LatencyHistogram total_corrected_ ABSL_GUARDED_BY(mu_);
  uint64_t completed_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t errors_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t late_ ABSL_GUARDED_BY(mu_) = 0;
  LatencyHistogram interval_corrected_ ABSL_GUARDED_BY(mu_);
  uint64_t interval_errors_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<OpenSecond> ring_ ABSL_GUARDED_BY(mu_);  // slot = second % open_seconds_
  int64_t newest_second_ ABSL_GUARDED_BY(mu_) = -1;
  std::vector<FinishedSecond> finished_ ABSL_GUARDED_BY(mu_);  // index = second
  std::vector<CodeCount> finished_codes_ ABSL_GUARDED_BY(mu_);

  std::atomic<uint64_t> sent_{0};
  std::atomic<int64_t> latest_sent_ns_{0};
};

}  // namespace faultdrill::load

#endif  // FAULTDRILL_LOAD_RECORDER_H_
