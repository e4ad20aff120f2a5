// The load driver: sends a scenario's requests through a transport on an open-
// or closed-loop schedule and hands every completion to the Recorder.
//
// Open loop (LoadSpec.mode == kOpen): request n is meant to go at
// OpenLoopSchedule::IntendedTime(n). Latency is recorded from that INTENDED
// time, so when the sender falls behind, or waits because `max_in_flight`
// calls are outstanding, or the target stalls, the delay shows in the
// corrected latency (no coordinated omission). A request is never dropped for
// being late: it is sent as soon as the sender can, and counted in late_sends.
//
// Closed loop (kClosed): `concurrency` workers; each sends its next request
// the moment its previous one completes (ok or not), so exactly `concurrency`
// calls are in flight; a request's intended time is when its worker was free.
//
// Deadline: each call's deadline is its ACTUAL send time + LoadSpec.deadline,
// not intended + deadline, so a client that fell behind still gives the target
// the full deadline instead of sending calls that are already expired (their
// lateness is in the corrected latency anyway).
//
// Every wait (the schedule, the in-flight cap, the drain) goes through the
// Clock, so a fake clock drives the whole driver in tests.
//
// Thread-safety: Run is called once, from one thread. Completions arrive on
// transport threads. The destructor waits until every callback the driver
// handed to the transport has returned, so the transport must complete every
// call (GrpcTransport does, by deadline or cancellation). The source,
// transport, recorder and clock must outlive the driver.
#ifndef FAULTDRILL_LOAD_LOAD_DRIVER_H_
#define FAULTDRILL_LOAD_LOAD_DRIVER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stop_token>

#include "absl/base/thread_annotations.h"
#include "core/clock.h"
#include "core/duration.h"
#include "core/scenario.h"
#include "load/recorder.h"
#include "load/request_interceptor.h"
#include "load/request_source.h"
#include "load/response_observer.h"
#include "load/schedule.h"
#include "load/transport.h"

namespace faultdrill::load {

struct LoadStats {
  uint64_t sent = 0;
  uint64_t completed = 0;         // callbacks received by the time Run returned
  uint64_t abandoned = 0;         // still in flight when the drain gave up
  double achieved_rps = 0;        // completed / load_length
  uint64_t max_in_flight = 0;
  uint64_t late_sends = 0;        // sent more than late_threshold after the intended time
  Duration max_send_lag{0};       // the worst of those
  uint64_t cap_waits = 0;         // sends that first waited for the in-flight cap
  Duration load_length{0};        // from start to the end of sending
  bool stopped = false;           // `stop` ended the load early
  uint64_t substituted = 0;       // of `sent`: requests an interceptor replaced (not in the Recorder)
};

struct LoadDriverOptions {
  uint64_t max_in_flight = 20000;             // open loop: cap on outstanding calls
  Duration drain_margin = std::chrono::seconds(1);  // drain waits deadline + this at most
  Duration late_threshold = std::chrono::milliseconds(1);
  Duration poll_interval = std::chrono::milliseconds(1);  // re-check period while capped or draining
};

class LoadDriver {
 public:
  LoadDriver(const LoadSpec& spec, const RequestSource& source, InferenceTransport& transport,
             Recorder& recorder, Clock& clock, LoadDriverOptions options = {});
  ~LoadDriver();
  LoadDriver(const LoadDriver&) = delete;
  LoadDriver& operator=(const LoadDriver&) = delete;

  // Installs (or, with nullptr, removes) the interceptor; any thread, any time.
  // It must outlive its installation and the calls it substituted. Calls it
  // substitutes go to its OnSubstitutedComplete instead of the Recorder
  // (load/request_interceptor.h); they still count in LoadStats.sent and
  // .completed, and in LoadStats.substituted.
  void SetInterceptor(RequestInterceptor* interceptor);

  // Installs (or removes) the observer that sees every OK response of the
  // load (load/response_observer.h); any thread, any time. It must outlive
  // its installation and the calls in flight.
  void SetResponseObserver(ResponseObserver* observer);

  // Runs the load from `start` (offset 0 of every recorded time) for
  // spec.duration or until `stop`, then waits up to deadline + drain_margin
  // for the calls in flight (not at all once `stop` is requested).
  LoadStats Run(Clock::TimePoint start, std::stop_token stop);

 private:
  void RunOpenLoop(std::stop_token stop);
  void RunClosedLoop(std::stop_token stop);
  void Drain(std::stop_token stop);
  void Send(uint64_t seq, Duration intended);
  void OnComplete(Duration intended, Duration sent, grpc::StatusCode code);
  // A substituted call: its outcome goes to `interceptor`, not the Recorder.
  void OnSubstitutedComplete(uint64_t seq, RequestInterceptor* interceptor,
                             const inference::ModelInferRequest* request, Duration sent, const grpc::Status& status);
  void Finish(Duration done);
  Duration Offset() const { return clock_.Now() - start_; }

  // Constant after construction (start_ and the anchors once Run begins).
  const LoadSpec spec_;
  const RequestSource& source_;
  InferenceTransport& transport_;
  Recorder& recorder_;
  Clock& clock_;
  const LoadDriverOptions options_;
  Clock::TimePoint start_{};
  std::chrono::system_clock::time_point wall_at_start_{};

  std::atomic<RequestInterceptor*> interceptor_{nullptr};
  std::atomic<ResponseObserver*> observer_{nullptr};
  std::atomic<bool> stopping_{false};  // closed loop: workers stop re-sending
  std::atomic<uint64_t> next_seq_{0};
  std::atomic<uint64_t> sent_{0};
  std::atomic<uint64_t> substituted_{0};
  std::atomic<uint64_t> completed_{0};
  std::atomic<uint64_t> in_flight_{0};
  std::atomic<uint64_t> max_in_flight_{0};
  std::atomic<uint64_t> late_sends_{0};
  std::atomic<int64_t> max_send_lag_ns_{0};
  uint64_t cap_waits_ = 0;  // sending thread only

  std::mutex mu_;
  std::condition_variable all_returned_;
  uint64_t callbacks_pending_ ABSL_GUARDED_BY(mu_) = 0;  // handed to the transport, not yet returned
};

}  // namespace faultdrill::load

#endif  // FAULTDRILL_LOAD_LOAD_DRIVER_H_
