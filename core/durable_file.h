// Whole-file reads, and whole-file writes that survive a crash: readers see
// the old file or the whole new one, never a part. Used for reports, golden
// masters, the undo journal's restores and the files faults rewrite.
#ifndef FAULTDRILL_CORE_DURABLE_FILE_H_
#define FAULTDRILL_CORE_DURABLE_FILE_H_

#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace faultdrill {

// The whole file. Errors name the path: NotFound (no such file or folder),
// PermissionDenied, Internal.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// Replaces `path`: `fill` writes the new contents to a uniquely named
// temporary file beside it (".<name>.faultdrill-XXXXXX"), which is then given
// `mode`, flushed to disk, renamed over `path`, and the folder flushed. On any
// error the temporary file is removed and `path` is left as it was. Errors
// name the path and the system's reason: NotFound when the folder does not
// exist, PermissionDenied, ResourceExhausted when the disk is full, Internal
// otherwise (or what `fill` returned). Concurrent writers of one path leave
// one complete version.
absl::Status ReplaceFileDurably(const std::string& path, mode_t mode, const std::function<absl::Status(int fd)>& fill);

// ReplaceFileDurably with `contents`. Keeps the permission bits of the file it
// replaces; a new file gets 0644.
absl::Status WriteFileAtomically(const std::string& path, std::string_view contents);

// Writes all of `contents` to `fd` (retrying short writes and EINTR); errors name `path`.
absl::Status WriteAll(int fd, std::string_view contents, const std::string& path);

// Removes `path` if it exists (and flushes the folder when it did).
absl::Status RemoveFileIfExists(const std::string& path);

}  // namespace faultdrill

#endif  // FAULTDRILL_CORE_DURABLE_FILE_H_
