#include "server/model.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace faultdrill::server {

const TensorSignature* ModelSignature::FindInput(std::string_view name) const {
  for (const TensorSignature& input : inputs) {
    if (input.name == name) return &input;
  }
  return nullptr;
}

const TensorSignature* ModelSignature::FindOutput(std::string_view name) const {
  for (const TensorSignature& output : outputs) {
    if (output.name == name) return &output;
  }
  return nullptr;
}

absl::Status Interrupt::Check() const {
  if (cancelled_ != nullptr && cancelled_->load(std::memory_order_relaxed)) {
    return absl::CancelledError("the request was cancelled");
  }
  // gRPC turns the client's timeout into this wall-clock deadline with
  // clock_gettime; compare with the same clock. absl::Now() extrapolates from
  // the cycle counter between re-reads, so after a clock step (NTP, or
  // clock-skew's libfaketime) it lags by up to ~2 s and would expire requests
  // that still have their whole deadline ahead.
  if (deadline_ != absl::InfiniteFuture() && absl::FromChrono(std::chrono::system_clock::now()) >= deadline_) {
    return absl::DeadlineExceededError("the request's deadline passed");
  }
  return absl::OkStatus();
}

absl::Status Interrupt::SleepUntil(std::chrono::steady_clock::time_point end) const {
  constexpr auto kCheckEvery = std::chrono::milliseconds(1);
  while (true) {
    if (absl::Status status = Check(); !status.ok()) return status;
    const auto now = std::chrono::steady_clock::now();
    if (now >= end) return absl::OkStatus();
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(end - now, kCheckEvery));
  }
}

}  // namespace faultdrill::server
