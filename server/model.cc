#include "server/model.h"

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
  if (deadline_ != absl::InfiniteFuture() && absl::Now() >= deadline_) {
    return absl::DeadlineExceededError("the request's deadline passed");
  }
  return absl::OkStatus();
}

}  // namespace faultdrill::server
