// `faultdrill-hog memory`: anonymous memory, every page written, touched again
// every second so that it stays resident rather than drifting to swap.
#ifndef FAULTDRILL_INJECTORS_HOG_MEMORY_HOLDER_H_
#define FAULTDRILL_INJECTORS_HOG_MEMORY_HOLDER_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "injectors/hog/hold.h"

namespace faultdrill::hog {

// Maps `bytes` of anonymous memory and writes every page. The helper makes
// itself the OOM killer's first choice (oom_score_adj 1000), so memory
// pressure taken too far ends the helper, not the target under test.
// ResourceExhausted when the memory cannot be mapped.
absl::StatusOr<std::unique_ptr<Hold>> HoldMemory(uint64_t bytes);

}  // namespace faultdrill::hog

#endif  // FAULTDRILL_INJECTORS_HOG_MEMORY_HOLDER_H_
