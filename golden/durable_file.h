// Whole-file reads and durable, atomic whole-file writes for the masters.
#ifndef FAULTDRILL_GOLDEN_DURABLE_FILE_H_
#define FAULTDRILL_GOLDEN_DURABLE_FILE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace faultdrill::golden {

// The whole file. NotFound when it does not exist; other errors name the path.
absl::StatusOr<std::string> ReadFileContents(const std::string& path);

// Replaces `path` atomically: writes a temporary file beside it, fsyncs it,
// renames it over `path` and fsyncs the folder. On error `path` is unchanged
// and the temporary file is removed.
absl::Status WriteFileDurably(const std::string& path, std::string_view contents);

// Removes `path` if it exists (and fsyncs the folder when it did).
absl::Status RemoveFileIfExists(const std::string& path);

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_DURABLE_FILE_H_
