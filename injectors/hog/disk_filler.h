// `faultdrill-hog disk`: one file that fills its filesystem to a fill level
// (or by a number of bytes), removed when released.
#ifndef FAULTDRILL_INJECTORS_HOG_DISK_FILLER_H_
#define FAULTDRILL_INJECTORS_HOG_DISK_FILLER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "injectors/disk_space.h"
#include "injectors/hog/hold.h"

namespace faultdrill::hog {

// Creates `file` (it must not exist yet), sizes it with fallocate (or writes
// zeros where the filesystem cannot fallocate) so that `request` is met, and
// removes it when the Hold is destroyed. FailedPrecondition when the file
// exists or cannot be created, ResourceExhausted when the space is not there;
// the file is gone again after any error.
absl::StatusOr<std::unique_ptr<Hold>> FillDisk(const std::string& file, const injectors::DiskFillRequest& request,
                                               injectors::FilesystemStats& stats);

}  // namespace faultdrill::hog

#endif  // FAULTDRILL_INJECTORS_HOG_DISK_FILLER_H_
