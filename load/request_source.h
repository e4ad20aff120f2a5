// Where the load's requests come from: built once before the run, then only
// read, so the hot path neither builds nor copies a request.
#ifndef FAULTDRILL_LOAD_REQUEST_SOURCE_H_
#define FAULTDRILL_LOAD_REQUEST_SOURCE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/scenario.h"
#include "proto/grpc_service.pb.h"

namespace faultdrill::load {

// A fixed, non-empty set of requests, cycled through by sequence number.
// Immutable after construction: At() may be called from any thread, and the
// returned reference stays valid for the source's lifetime.
class RequestSource {
 public:
  virtual ~RequestSource() = default;
  // The request to send as the seq-th request (cycling: seq % size()).
  virtual const inference::ModelInferRequest& At(uint64_t seq) const = 0;
  virtual size_t size() const = 0;
};

// The plain implementation: a vector of prebuilt requests. `requests` must not
// be empty.
class VectorRequestSource final : public RequestSource {
 public:
  explicit VectorRequestSource(std::vector<inference::ModelInferRequest> requests);
  const inference::ModelInferRequest& At(uint64_t seq) const override {
    return requests_[seq % requests_.size()];
  }
  size_t size() const override { return requests_.size(); }

 private:
  const std::vector<inference::ModelInferRequest> requests_;
};

}  // namespace faultdrill::load

#endif  // FAULTDRILL_LOAD_REQUEST_SOURCE_H_
