// A transport for driver tests on the EventClock: each call completes
// `service_time` after it is sent, with the status `status_for` picks; a
// client-side stall makes Infer itself block (in simulated time), as a stuck
// send path would.
#ifndef FAULTDRILL_TESTS_LOAD_FAKE_TRANSPORT_H_
#define FAULTDRILL_TESTS_LOAD_FAKE_TRANSPORT_H_

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "load/transport.h"
#include "tests/load/event_clock.h"

namespace faultdrill::load::testing {

class FakeTransport : public InferenceTransport {
 public:
  FakeTransport(EventClock& clock, Duration service_time) : clock_(clock), service_time_(service_time) {}

  // The first call sent at or after `at` blocks the caller
  // for `length`: the calls after it go out late.
  void StallSendAt(Clock::TimePoint at, Duration length) { stall_at_ = at, stall_length_ = length; }
  void SetStatusFor(std::function<grpc::StatusCode(uint64_t call)> status_for) { status_for_ = std::move(status_for); }
  // Completions may not arrive before this time (a server-side pause).
  void HoldCompletionsUntil(Clock::TimePoint until) { hold_until_ = until; }

  void Infer(const inference::ModelInferRequest& request, std::chrono::system_clock::time_point deadline,
             Callback done) override {
    const uint64_t call = calls_++;
    requests_.push_back(&request);
    deadlines_.push_back(deadline);
    ++in_flight_;
    max_in_flight_ = std::max(max_in_flight_, in_flight_);
    if (stall_at_ && clock_.Now() >= *stall_at_) {
      stall_at_.reset();
      clock_.SleepUntil(clock_.Now() + stall_length_, {});
    }
    const grpc::StatusCode code = status_for_ ? status_for_(call) : grpc::StatusCode::OK;
    const Clock::TimePoint at = std::max(clock_.Now() + service_time_, hold_until_);
    auto shared = std::make_shared<Callback>(std::move(done));
    clock_.Schedule(at, [this, shared, code] {
      --in_flight_;
      inference::ModelInferResponse response;
      (*shared)(grpc::Status(code, code == grpc::StatusCode::OK ? "" : "fake"), response);
    });
  }

  uint64_t calls() const { return calls_; }
  uint64_t in_flight() const { return in_flight_; }
  uint64_t max_in_flight() const { return max_in_flight_; }
  const std::vector<const inference::ModelInferRequest*>& requests() const { return requests_; }
  const std::vector<std::chrono::system_clock::time_point>& deadlines() const { return deadlines_; }

 private:
  EventClock& clock_;
  const Duration service_time_;
  std::optional<Clock::TimePoint> stall_at_;
  Duration stall_length_{0};
  Clock::TimePoint hold_until_{};
  std::function<grpc::StatusCode(uint64_t)> status_for_;
  uint64_t calls_ = 0;
  uint64_t in_flight_ = 0;
  uint64_t max_in_flight_ = 0;
  std::vector<const inference::ModelInferRequest*> requests_;
  std::vector<std::chrono::system_clock::time_point> deadlines_;
};

}  // namespace faultdrill::load::testing

#endif  // FAULTDRILL_TESTS_LOAD_FAKE_TRANSPORT_H_
