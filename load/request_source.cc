#include "load/request_source.h"

#include <cstdlib>
#include <utility>

namespace faultdrill::load {

VectorRequestSource::VectorRequestSource(std::vector<inference::ModelInferRequest> requests)
    : requests_(std::move(requests)) {
  if (requests_.empty()) std::abort();  // broken invariant: callers reject empty sets
}

}  // namespace faultdrill::load
