// Whole-file reads, and whole-file writes that survive a crash: readers see
// the old file or the whole new one, never a part, and a process killed at
// any point of a write (even by SIGKILL) leaves no partial file behind under
// any name. Used for reports, golden masters, the undo journal's backups and
// restores, and the files faults rewrite.
//
// How: the new contents go to an unnamed temporary file (O_TMPFILE) in the
// target's folder; only once it is complete and flushed is it given a name
// (linkat through /proc/self/fd) and renamed over the target, then the
// folder is flushed. A kill before the link leaves nothing; a kill between
// the link and the rename (two system calls, no data written) leaves a
// complete copy under a temporary name. Where the file system has no
// O_TMPFILE (or /proc is not mounted), the temporary file is named from the
// start. Temporary names are ".<name>.faultdrill-<pid>-XXXXXX"; the next
// durable write into the same folder, and `faultdrill recover` in the folders
// its journal names, remove those whose process <pid> is gone
// (RemoveStaleTemporaryFiles).
#ifndef FAULTDRILL_CORE_DURABLE_FILE_H_
#define FAULTDRILL_CORE_DURABLE_FILE_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace faultdrill {

// The whole file. Errors name the path: NotFound (no such file or folder),
// PermissionDenied, Internal.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// A new version of one file, written piece by piece and published at once by
// Commit. Until then no one sees it under any name. Destroying the writer
// without a successful Commit abandons the new version and leaves `path` as
// it was. Not thread-safe; one writer per object (concurrent writers of one
// path each publish a complete version, the last rename wins).
class DurableFileWriter {
 public:
  // Opens the temporary file in `path`'s folder, which it first clears of
  // stale temporary files. The new file will get `mode` (exactly, not
  // masked). Errors name the path and the system's reason: NotFound when the
  // folder does not exist, PermissionDenied, ResourceExhausted when the disk
  // is full, Internal otherwise; InvalidArgument for an empty path.
  static absl::StatusOr<std::unique_ptr<DurableFileWriter>> Create(const std::string& path, mode_t mode);

  DurableFileWriter(const DurableFileWriter&) = delete;
  DurableFileWriter& operator=(const DurableFileWriter&) = delete;
  ~DurableFileWriter();

  // The open temporary file, for writers that fill it themselves (read-write).
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  // Whether the temporary file has no name (O_TMPFILE) rather than a
  // temporary one; for tests and benchmarks.
  bool unnamed() const { return temp_.empty(); }

  // Appends all of `data` (retrying short writes and EINTR).
  absl::Status Append(std::string_view data);

  // Sets the mode, flushes the file to disk, puts it in place of `path` and
  // flushes the folder. On error `path` is left as it was and nothing is left
  // behind. Call once.
  absl::Status Commit();

 private:
  DurableFileWriter(std::string path, mode_t mode, int fd, std::string temp)
      : path_(std::move(path)), mode_(mode), fd_(fd), temp_(std::move(temp)) {}
  // Gives the unnamed file a name: `path_` when there is none yet, else a
  // temporary name, returned in `*named`.
  absl::Status LinkUnnamed(std::string* named);

  const std::string path_;
  const mode_t mode_;
  int fd_;            // -1 once closed
  std::string temp_;  // the temporary name; empty while the file is unnamed
  bool committed_ = false;
};

// Replaces `path`: `fill` writes the new contents to the writer's fd, then
// the writer commits (DurableFileWriter). On any error `path` is left as it
// was and no temporary file remains. Errors as DurableFileWriter::Create and
// Commit, or what `fill` returned.
absl::Status ReplaceFileDurably(const std::string& path, mode_t mode, const std::function<absl::Status(int fd)>& fill);

// ReplaceFileDurably with `contents`. Keeps the permission bits of the file it
// replaces; a new file gets 0644.
absl::Status WriteFileAtomically(const std::string& path, std::string_view contents);

// The permission bits of `path`, or `otherwise` when there is no such file:
// the mode for a durable write that keeps the mode of the file it replaces.
mode_t ExistingModeOr(const std::string& path, mode_t otherwise);

// Writes all of `contents` to `fd` (retrying short writes and EINTR); errors name `path`.
absl::Status WriteAll(int fd, std::string_view contents, const std::string& path);

// Removes `path` if it exists (and flushes the folder when it did).
absl::Status RemoveFileIfExists(const std::string& path);

// Removes the temporary files of durable writes in `folder` whose writing
// process has ended (".<name>.faultdrill-<pid>-XXXXXX" with no process
// <pid>), and returns their paths. A missing folder holds none. Files of a
// live process (a write in progress) are left alone.
absl::StatusOr<std::vector<std::string>> RemoveStaleTemporaryFiles(const std::string& folder);

}  // namespace faultdrill

#endif  // FAULTDRILL_CORE_DURABLE_FILE_H_
