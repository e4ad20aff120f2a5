#include "load/load_driver.h"

#include <algorithm>
#include <optional>

namespace faultdrill::load {
namespace {

void AtomicMax(std::atomic<uint64_t>& target, uint64_t value) {
  uint64_t seen = target.load(std::memory_order_relaxed);
  while (value > seen && !target.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
}

void AtomicMax(std::atomic<int64_t>& target, int64_t value) {
  int64_t seen = target.load(std::memory_order_relaxed);
  while (value > seen && !target.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
}

}  // namespace

LoadDriver::LoadDriver(const LoadSpec& spec, const RequestSource& source, InferenceTransport& transport,
                       Recorder& recorder, Clock& clock, LoadDriverOptions options)
    : spec_(spec),
      source_(source),
      transport_(transport),
      recorder_(recorder),
      clock_(clock),
      options_(options) {}

LoadDriver::~LoadDriver() {
  std::unique_lock lock(mu_);
  all_returned_.wait(lock, [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return callbacks_pending_ == 0; });
}

void LoadDriver::SetInterceptor(RequestInterceptor* interceptor) {
  interceptor_.store(interceptor, std::memory_order_release);
}

void LoadDriver::SetResponseObserver(ResponseObserver* observer) {
  observer_.store(observer, std::memory_order_release);
}

LoadStats LoadDriver::Run(Clock::TimePoint start, std::stop_token stop) {
  start_ = start;
  // Deadlines are wall-clock for gRPC; anchor them to the run's clock once.
  wall_at_start_ = std::chrono::system_clock::now() - (clock_.Now() - start_);

  if (spec_.mode == LoadMode::kOpen) {
    RunOpenLoop(stop);
  } else {
    RunClosedLoop(stop);
  }
  LoadStats stats;
  stats.stopped = stop.stop_requested();
  // A sender that fell behind kept sending past `duration`: the load lasted that long.
  stats.load_length = stats.stopped ? std::clamp(Offset(), Duration(0), spec_.duration)
                                    : std::max(Offset(), spec_.duration);
  Drain(stop);

  stats.sent = sent_.load();
  stats.substituted = substituted_.load();
  stats.completed = completed_.load();
  stats.abandoned = in_flight_.load();
  stats.max_in_flight = max_in_flight_.load();
  stats.late_sends = late_sends_.load();
  stats.max_send_lag = Duration(max_send_lag_ns_.load());
  stats.cap_waits = cap_waits_;
  const double length_s = ToSeconds(stats.load_length);
  stats.achieved_rps = length_s > 0 ? double(stats.completed) / length_s : 0;
  return stats;
}

void LoadDriver::RunOpenLoop(std::stop_token stop) {
  const OpenLoopSchedule schedule(spec_.rate, spec_.ramp, spec_.duration);
  for (uint64_t n = 0;; ++n) {
    const std::optional<Duration> intended = schedule.IntendedTime(n);
    if (!intended) {
      // The load lasts its whole duration, even if the last request came earlier.
      clock_.SleepUntil(start_ + spec_.duration, stop);
      return;
    }
    if (clock_.Now() < start_ + *intended && !clock_.SleepUntil(start_ + *intended, stop)) return;
    if (in_flight_.load() >= options_.max_in_flight) {
      ++cap_waits_;
      while (in_flight_.load() >= options_.max_in_flight) {
        if (!clock_.SleepUntil(clock_.Now() + options_.poll_interval, stop)) return;
      }
    }
    if (stop.stop_requested()) return;
    Send(next_seq_.fetch_add(1), *intended);
  }
}

void LoadDriver::RunClosedLoop(std::stop_token stop) {
  const Duration now = Offset();
  for (int worker = 0; worker < spec_.concurrency; ++worker) Send(next_seq_.fetch_add(1), now);
  clock_.SleepUntil(start_ + spec_.duration, stop);
  stopping_.store(true);
}

void LoadDriver::Drain(std::stop_token stop) {
  stopping_.store(true);
  const Clock::TimePoint give_up = clock_.Now() + spec_.deadline + options_.drain_margin;
  while (in_flight_.load() > 0 && clock_.Now() < give_up) {
    if (!clock_.SleepUntil(std::min(clock_.Now() + options_.poll_interval, give_up), stop)) return;
  }
}

void LoadDriver::Send(uint64_t seq, Duration intended) {
  const inference::ModelInferRequest* request = &source_.At(seq);
  RequestInterceptor* substituted_by = nullptr;
  if (RequestInterceptor* interceptor = interceptor_.load(std::memory_order_acquire)) {
    if (const inference::ModelInferRequest* substitute = interceptor->Substitute(seq, *request)) {
      request = substitute;
      substituted_by = interceptor;
    }
  }
  const Duration sent = Offset();
  const Duration lag = sent - intended;
  if (lag > options_.late_threshold) {
    late_sends_.fetch_add(1, std::memory_order_relaxed);
    AtomicMax(max_send_lag_ns_, lag.count());
  }
  AtomicMax(max_in_flight_, in_flight_.fetch_add(1) + 1);
  sent_.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard lock(mu_);
    ++callbacks_pending_;
  }
  const auto deadline =
      wall_at_start_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(sent + spec_.deadline);
  if (substituted_by != nullptr) {
    substituted_.fetch_add(1, std::memory_order_relaxed);
    transport_.Infer(*request, deadline,
                     [this, seq, substituted_by, request, sent](const grpc::Status& status,
                                                                 inference::ModelInferResponse&) {
                       OnSubstitutedComplete(seq, substituted_by, request, sent, status);
                     });
    return;
  }
  recorder_.NoteSent(intended, sent);
  transport_.Infer(*request, deadline,
                   [this, seq, intended, sent](const grpc::Status& status, inference::ModelInferResponse& response) {
                     if (status.ok()) {
                       if (ResponseObserver* observer = observer_.load(std::memory_order_acquire)) {
                         observer->OnResponse(seq, intended, response);
                       }
                     }
                     OnComplete(intended, sent, status.error_code());
                   });
}

void LoadDriver::OnComplete(Duration intended, Duration sent, grpc::StatusCode code) {
  const Duration done = Offset();
  recorder_.Record({intended, sent, done, code});
  Finish(done);
}

void LoadDriver::OnSubstitutedComplete(uint64_t seq, RequestInterceptor* interceptor,
                                       const inference::ModelInferRequest* request, Duration sent,
                                       const grpc::Status& status) {
  const Duration done = Offset();
  interceptor->OnSubstitutedComplete({.seq = seq,
                                      .request = request,
                                      .code = status.error_code(),
                                      .error_details = status.error_details(),
                                      .service_time = done - sent});
  Finish(done);
}

void LoadDriver::Finish(Duration done) {
  completed_.fetch_add(1, std::memory_order_relaxed);
  in_flight_.fetch_sub(1);
  // Closed loop: this worker is free now, so its next request is intended now.
  if (spec_.mode == LoadMode::kClosed && !stopping_.load()) Send(next_seq_.fetch_add(1), done);
  std::lock_guard lock(mu_);
  if (--callbacks_pending_ == 0) all_returned_.notify_all();
}

}  // namespace faultdrill::load
