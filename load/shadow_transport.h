// Shadow traffic: every call goes to the primary target AND to a candidate
// (a fixed or upgraded build on mirrored traffic), so the candidate's
// answers and latency can be judged against the primary's before rollout.
//
// The load sees only the primary: `done` runs with the primary's status and
// response, exactly as through the primary transport alone. The candidate's
// calls are timed into their own Recorder (from their actual send, which is
// the primary's send too), and once both answers of a call are in, the pair
// is handed to the comparator on the thread of the later answer.
//
// Memory: one small heap object per call in flight holds the earlier answer
// until the later one arrives (the primary's response is swapped out of its
// buffer, not copied).
//
// Thread-safety: Infer from any thread. Both transports, the recorder, the
// clock and the comparator must outlive every call.
#ifndef FAULTDRILL_LOAD_SHADOW_TRANSPORT_H_
#define FAULTDRILL_LOAD_SHADOW_TRANSPORT_H_

#include <functional>

#include "core/clock.h"
#include "core/duration.h"
#include "load/recorder.h"
#include "load/transport.h"

namespace faultdrill::load {

class ShadowTransport final : public InferenceTransport {
 public:
  // (time of the send since the load's start, primary's answer, candidate's answer).
  using Comparator = std::function<void(Duration sent, const grpc::Status& primary_status,
                                        const inference::ModelInferResponse& primary,
                                        const grpc::Status& candidate_status,
                                        const inference::ModelInferResponse& candidate)>;

  ShadowTransport(InferenceTransport& primary, InferenceTransport& candidate, Recorder& candidate_recorder,
                  Clock& clock, Comparator comparator);

  // Times are offsets from `start` (the load's start).
  void SetStart(Clock::TimePoint start) { start_ = start; }

  void Infer(const inference::ModelInferRequest& request, std::chrono::system_clock::time_point deadline,
             Callback done) override;

 private:
  struct Pair;
  void Settle(Pair& pair);

  InferenceTransport& primary_;
  InferenceTransport& candidate_;
  Recorder& candidate_recorder_;
  Clock& clock_;
  const Comparator comparator_;
  Clock::TimePoint start_{};
};

}  // namespace faultdrill::load

#endif  // FAULTDRILL_LOAD_SHADOW_TRANSPORT_H_
