// The seam through which a run looks at the answers themselves, not only at
// their timing: golden-master comparison reads every response's outputs.
#ifndef FAULTDRILL_LOAD_RESPONSE_OBSERVER_H_
#define FAULTDRILL_LOAD_RESPONSE_OBSERVER_H_

#include <cstdint>

#include "core/duration.h"
#include "proto/grpc_service.pb.h"

namespace faultdrill::load {

class ResponseObserver {
 public:
  virtual ~ResponseObserver() = default;

  // Called for every call of the load (not substituted ones) that completed
  // OK, on a transport thread, before the Recorder sees it. `seq` is the
  // request's sequence number (RequestSource::At(seq) was sent), `intended`
  // its intended send time. `response` is the transport's buffer, valid only
  // during the call: read it, do not keep it. Thread-safe and cheap.
  virtual void OnResponse(uint64_t seq, Duration intended, const inference::ModelInferResponse& response) = 0;
};

}  // namespace faultdrill::load

#endif  // FAULTDRILL_LOAD_RESPONSE_OBSERVER_H_
