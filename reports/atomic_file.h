// Whole-file reads and atomic writes for report files.
#ifndef FAULTDRILL_REPORTS_ATOMIC_FILE_H_
#define FAULTDRILL_REPORTS_ATOMIC_FILE_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace faultdrill::reports {

// Writes `contents` to `path` so that readers see either the old file or the
// whole new one, never a part: a uniquely named temporary file in the same
// folder (mode 0644), written, flushed to disk, then renamed over `path`. On
// any error the temporary file is removed, `path` is left as it was, and the
// status names the path and the system's reason (NotFound when the folder does
// not exist, PermissionDenied, ResourceExhausted when the disk is full,
// Internal otherwise). Thread-safe; concurrent writers of one path leave one
// complete version.
absl::Status WriteFileAtomically(const std::string& path, std::string_view contents);

// The whole file. NotFound, PermissionDenied or Internal, naming the path.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_ATOMIC_FILE_H_
