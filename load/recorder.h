// The recorder: turns completed requests into per-window results and a
// per-second series, in memory that does not grow with the request count.
//
// Attribution is by INTENDED send time: a request belongs to every window that
// contains its intended time, and to the second its intended time falls in.
// Latency ("corrected") runs from the intended time to completion, so a
// stalled target or a client that fell behind shows up in it (no coordinated
// omission); service time runs from the actual send.
//
// Successful and failed calls are kept apart: a call that failed fast (the
// server is down, UNAVAILABLE in 0.4 ms) is not latency of the service, and
// mixed in it would make p99 DROP during an outage. Each window and each
// second has a corrected-latency histogram of its successful calls and one
// of its failed calls; the latency of every call (WindowResult::latency,
// SecondSample::p50_ms...) is their merge, computed when read, so Record
// costs what it did with one histogram. Service time is kept for every call.
// Live() and TakeInterval() report the p99 of successful calls.
//
// Memory: three histograms per window (fixed), two whole-run ones and a
// scratch one, and a ring of `open_seconds` pairs of per-second histograms
// for seconds that may still receive completions; older seconds are folded
// into a compact series (about 60 bytes per second: every call, successful
// and failed p50/p90/p99/max as floats, plus 8 per distinct error code in
// that second). A completion whose second was already folded still counts
// in its windows and in late_completions(), not in the series.
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
  double p99_ms = 0;        // corrected, over the successful calls so far (0: none yet)
  uint64_t late_completions = 0;
};

// The requests that COMPLETED between two Recorder::TakeInterval calls, for
// conditions judged while the load runs (abort_when).
struct IntervalStats {
  uint64_t completed = 0;
  uint64_t errors = 0;
  Duration p99{0};  // corrected latency of the successful calls; 0 when none succeeded
  uint64_t ok() const { return completed >= errors ? completed - errors : 0; }
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
  // Corrected latency, successful and failed calls apart.
  struct SplitHistogram {
    LatencyHistogram ok;
    LatencyHistogram failed;
    void Record(bool succeeded, Duration value) { (succeeded ? ok : failed).Record(value); }
    void Reset() {
      ok.Reset();
      failed.Reset();
    }
  };
  struct WindowAccumulator {
    Window window;
    SplitHistogram corrected;
    LatencyHistogram service;
    uint64_t ok = 0;
    uint64_t errors = 0;
    std::array<uint64_t, kStatusCodeCount> by_code{};
  };
  struct OpenSecond {
    int64_t second = -1;  // -1: unused
    SplitHistogram corrected;
    uint32_t requests = 0;
    uint32_t errors = 0;
    std::array<uint32_t, kStatusCodeCount> by_code{};
  };
  struct CompactLatency {  // SecondLatency in floats
    float p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
    static CompactLatency Of(const SecondLatency& l) {
      return {float(l.p50_ms), float(l.p90_ms), float(l.p99_ms), float(l.max_ms)};
    }
    SecondLatency Expand() const { return {p50_ms, p90_ms, p99_ms, max_ms}; }
  };
  struct FinishedSecond {
    uint32_t requests = 0;
    uint32_t errors = 0;
    CompactLatency all, ok, failed;
    uint32_t codes_begin = 0;  // into finished_codes_; ends at the next one's begin
  };
  struct CodeCount {
    uint32_t code = 0;
    uint32_t count = 0;
  };

  void AdvanceTo(int64_t second) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FoldOldest() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // `open` as a sample; `scratch` holds the merge of its two histograms.
  static SecondSample ToSample(uint32_t second, const OpenSecond& open, LatencyHistogram& scratch);

  // Constant after construction.
  const int open_seconds_;

  mutable std::mutex mu_;
  std::vector<WindowAccumulator> windows_ ABSL_GUARDED_BY(mu_);
  LatencyHistogram total_ok_corrected_ ABSL_GUARDED_BY(mu_);
  uint64_t completed_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t errors_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t late_ ABSL_GUARDED_BY(mu_) = 0;
  LatencyHistogram interval_ok_corrected_ ABSL_GUARDED_BY(mu_);
  uint64_t interval_completed_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t interval_errors_ ABSL_GUARDED_BY(mu_) = 0;
  // For merging ok and failed histograms when a second is folded or read.
  mutable LatencyHistogram scratch_ ABSL_GUARDED_BY(mu_);
  std::vector<OpenSecond> ring_ ABSL_GUARDED_BY(mu_);  // slot = second % open_seconds_
  int64_t newest_second_ ABSL_GUARDED_BY(mu_) = -1;
  std::vector<FinishedSecond> finished_ ABSL_GUARDED_BY(mu_);  // index = second
  std::vector<CodeCount> finished_codes_ ABSL_GUARDED_BY(mu_);

  std::atomic<uint64_t> sent_{0};
  std::atomic<int64_t> latest_sent_ns_{0};
};

}  // namespace faultdrill::load

#endif  // FAULTDRILL_LOAD_RECORDER_H_
