#include "load/shadow_transport.h"

#include <atomic>
#include <memory>

namespace faultdrill::load {

struct ShadowTransport::Pair {
  Duration sent{0};
  grpc::Status primary_status;
  inference::ModelInferResponse primary;
  grpc::Status candidate_status;
  inference::ModelInferResponse candidate;
  std::atomic<int> answers{0};  // the second answer settles the pair
};

ShadowTransport::ShadowTransport(InferenceTransport& primary, InferenceTransport& candidate,
                                 Recorder& candidate_recorder, Clock& clock, Comparator comparator)
    : primary_(primary),
      candidate_(candidate),
      candidate_recorder_(candidate_recorder),
      clock_(clock),
      comparator_(std::move(comparator)) {}

ShadowTransport::~ShadowTransport() { Drain(); }

void ShadowTransport::Drain() {
  std::unique_lock lock(mu_);
  drained_.wait(lock, [this] { return pending_ == 0; });
}

void ShadowTransport::Infer(const inference::ModelInferRequest& request,
                            std::chrono::system_clock::time_point deadline, Callback done) {
  auto pair = std::make_shared<Pair>();
  pair->sent = clock_.Now() - start_;
  candidate_recorder_.NoteSent(pair->sent, pair->sent);
  {
    std::lock_guard lock(mu_);
    pending_ += 2;  // both answers: either may settle the pair
  }
  // The candidate first: the primary's callback may already re-send
  // (closed loop) and must not overtake its own shadow.
  candidate_.Infer(request, deadline, [this, pair](const grpc::Status& status, inference::ModelInferResponse& response) {
    candidate_recorder_.Record({pair->sent, pair->sent, clock_.Now() - start_, status.error_code()});
    pair->candidate_status = status;
    pair->candidate.Swap(&response);
    if (pair->answers.fetch_add(1) == 1) Settle(*pair);
    std::lock_guard lock(mu_);
    if (--pending_ == 0) drained_.notify_all();
  });
  primary_.Infer(request, deadline,
                 [this, pair, done = std::move(done)](const grpc::Status& status,
                                                      inference::ModelInferResponse& response) mutable {
                   done(status, response);
                   pair->primary_status = status;
                   pair->primary.Swap(&response);
                   if (pair->answers.fetch_add(1) == 1) Settle(*pair);
                   std::lock_guard lock(mu_);
                   if (--pending_ == 0) drained_.notify_all();
                 });
}

void ShadowTransport::Settle(Pair& pair) {
  if (comparator_) comparator_(pair.sent, pair.primary_status, pair.primary, pair.candidate_status, pair.candidate);
}

}  // namespace faultdrill::load
