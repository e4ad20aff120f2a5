// The seam through which a fault substitutes some of the load's requests
// (poison-inputs) and learns how each substituted call was answered.
//
// Calls whose request was substituted are the fault's traffic, not the
// service's: the load driver hands their outcome to the interceptor that
// substituted them and NOT to the Recorder, so poisoned requests never count
// in the service's latency, throughput or error rate (an INVALID_ARGUMENT
// answer to a malformed request is the service doing its job).
#ifndef FAULTDRILL_LOAD_REQUEST_INTERCEPTOR_H_
#define FAULTDRILL_LOAD_REQUEST_INTERCEPTOR_H_

#include <grpcpp/support/status_code_enum.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/duration.h"
#include "proto/grpc_service.pb.h"

namespace faultdrill::load {

// How one substituted call ended.
struct SubstitutedCall {
  uint64_t seq = 0;
  // The request that was sent: the pointer Substitute returned.
  const inference::ModelInferRequest* request = nullptr;
  grpc::StatusCode code = grpc::StatusCode::OK;
  // The status's binary details (grpc-status-details-bin), valid during the
  // callback: who ended the call, when a fault proxy did (injectors/fault_proxy.h).
  std::string_view error_details;
  Duration service_time{0};  // from the send to the answer (or error)
};

class RequestInterceptor {
 public:
  virtual ~RequestInterceptor() = default;

  // The request to send as the seq-th instead of `planned`, or nullptr to send
  // `planned`. Called from the sending thread and, in closed loop, transport
  // threads: thread-safe and cheap (no allocation). The returned request must
  // stay valid until its call completes.
  virtual const inference::ModelInferRequest* Substitute(uint64_t seq,
                                                         const inference::ModelInferRequest& planned) = 0;

  // Called exactly once for every call this interceptor substituted, when it
  // completes, on a transport thread: thread-safe and cheap.
  virtual void OnSubstitutedComplete(const SubstitutedCall& call) {}
};

// Several interceptors installed as one (a scenario with two poison-inputs
// faults). Substitute asks the members in order; the first that substitutes
// wins. A completion is forwarded to EVERY member, so each member must ignore
// completions of requests it did not return. Members are added before the
// chain is installed and must outlive it.
class InterceptorChain final : public RequestInterceptor {
 public:
  void Add(RequestInterceptor* member) { members_.push_back(member); }
  bool empty() const { return members_.empty(); }

  const inference::ModelInferRequest* Substitute(uint64_t seq,
                                                 const inference::ModelInferRequest& planned) override;
  void OnSubstitutedComplete(const SubstitutedCall& call) override;

 private:
  std::vector<RequestInterceptor*> members_;
};

}  // namespace faultdrill::load

#endif  // FAULTDRILL_LOAD_REQUEST_INTERCEPTOR_H_
