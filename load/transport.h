// The narrow seam between the load driver and the wire: one asynchronous
// unary inference call. GrpcTransport is the real one; tests use a fake.
#ifndef FAULTDRILL_LOAD_TRANSPORT_H_
#define FAULTDRILL_LOAD_TRANSPORT_H_

#include <grpcpp/support/status.h>

#include <chrono>

#include "absl/functional/any_invocable.h"
#include "proto/grpc_service.pb.h"

namespace faultdrill::load {

class InferenceTransport {
 public:
  // Called exactly once per Infer, on a transport thread (possibly before
  // Infer returns). `response` is valid only during the call; it is the
  // transport's own buffer, not a copy: read it, or Swap() it out to keep it.
  // It is empty unless the status is OK. The callback may call Infer again.
  using Callback = absl::AnyInvocable<void(const grpc::Status& status, inference::ModelInferResponse& response)>;

  virtual ~InferenceTransport() = default;

  // Starts one call. `request` must stay valid until `done` runs. The call
  // fails with DEADLINE_EXCEEDED at `deadline`. Thread-safe.
  virtual void Infer(const inference::ModelInferRequest& request, std::chrono::system_clock::time_point deadline,
                     Callback done) = 0;
};

}  // namespace faultdrill::load

#endif  // FAULTDRILL_LOAD_TRANSPORT_H_
