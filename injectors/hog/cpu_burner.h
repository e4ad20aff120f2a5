// `faultdrill-hog cpu`: N threads that spin until released.
#ifndef FAULTDRILL_INJECTORS_HOG_CPU_BURNER_H_
#define FAULTDRILL_INJECTORS_HOG_CPU_BURNER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "injectors/hog/hold.h"

namespace faultdrill::hog {

// Starts `threads` busy threads (1..4096). They stop and are joined when the
// Hold is destroyed.
absl::StatusOr<std::unique_ptr<Hold>> BurnCpu(int threads);

}  // namespace faultdrill::hog

#endif  // FAULTDRILL_INJECTORS_HOG_CPU_BURNER_H_
