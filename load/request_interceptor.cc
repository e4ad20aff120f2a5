#include "load/request_interceptor.h"

namespace faultdrill::load {

const inference::ModelInferRequest* InterceptorChain::Substitute(uint64_t seq,
                                                                 const inference::ModelInferRequest& planned) {
  for (RequestInterceptor* member : members_) {
    if (const inference::ModelInferRequest* substitute = member->Substitute(seq, planned)) return substitute;
  }
  return nullptr;
}

void InterceptorChain::OnSubstitutedComplete(const SubstitutedCall& call) {
  for (RequestInterceptor* member : members_) member->OnSubstitutedComplete(call);
}

}  // namespace faultdrill::load
