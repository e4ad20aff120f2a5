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
// clock and the comparator must outlive the ShadowTransport, whose
// destructor waits for the candidate's calls.
#ifndef FAULTDRILL_LOAD_SHADOW_TRANSPORT_H_
#define FAULTDRILL_LOAD_SHADOW_TRANSPORT_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

#include "absl/base/thread_annotations.h"

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
  // Waits for every candidate call (Drain).
  ~ShadowTransport() override;
  ShadowTransport(const ShadowTransport&) = delete;
  ShadowTransport& operator=(const ShadowTransport&) = delete;

  // Blocks until both calls of every Infer so far have completed and their
  // pair was settled (the transports complete every call by its deadline).
  // Call it before reading the candidate's recorder or the comparisons.
  void Drain();

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

  std::mutex mu_;
  std::condition_variable drained_;
  uint64_t pending_ ABSL_GUARDED_BY(mu_) = 0;  // callbacks (two per call) not yet returned
};

}  // namespace faultdrill::load

#endif  // FAULTDRILL_LOAD_SHADOW_TRANSPORT_H_
