#include "core/durable_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "fmt/format.h"

namespace faultdrill {
namespace {

absl::Status ErrnoStatus(int error, std::string_view action, const std::string& path) {
  const std::string message =
      fmt::format("cannot {} {}: {}", action, path, std::error_code(error, std::generic_category()).message());
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::PermissionDeniedError(message);
    case ENOSPC:
    case EDQUOT:
      return absl::ResourceExhaustedError(message);
    default:
      return absl::InternalError(message);
  }
}

// The folder and the file name of `path` ("." for a bare name).
std::pair<std::string, std::string> Split(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

// Makes a rename or unlink durable; a folder that cannot be opened is not an error.
void SyncFolderOf(const std::string& path) {
  const int dir = ::open(Split(path).first.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return;
  ::fsync(dir);
  ::close(dir);
}

}  // namespace

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "open", path);
  std::string contents;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) contents.reserve(size_t(st.st_size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      return ErrnoStatus(error, "read", path);
    }
    if (n == 0) break;
    contents.append(buffer, size_t(n));
  }
  ::close(fd);
  return contents;
}

absl::Status WriteAll(int fd, std::string_view contents, const std::string& path) {
  while (!contents.empty()) {
    const ssize_t n = ::write(fd, contents.data(), contents.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "write", path);
    }
    contents.remove_prefix(size_t(n));
  }
  return absl::OkStatus();
}

absl::Status ReplaceFileDurably(const std::string& path, mode_t mode,
                                const std::function<absl::Status(int fd)>& fill) {
  if (path.empty()) return absl::InvalidArgumentError("cannot write to an empty path");
  const auto [folder, name] = Split(path);
  std::string temp = fmt::format("{}/.{}.faultdrill-XXXXXX", folder, name);
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "create a temporary file for", path);
  absl::Status status = fill(fd);
  if (status.ok() && ::fchmod(fd, mode) != 0) status = ErrnoStatus(errno, "set the mode of", temp);
  if (status.ok() && ::fsync(fd) != 0) status = ErrnoStatus(errno, "flush", temp);
  if (::close(fd) != 0 && status.ok()) status = ErrnoStatus(errno, "close", temp);
  if (status.ok() && ::rename(temp.c_str(), path.c_str()) != 0) status = ErrnoStatus(errno, "rename to", path);
  if (!status.ok()) {
    ::unlink(temp.c_str());
    return status;
  }
  SyncFolderOf(path);
  return absl::OkStatus();
}

absl::Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  struct stat st {};
  const mode_t mode = ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
  return ReplaceFileDurably(path, mode, [&](int fd) { return WriteAll(fd, contents, path); });
}

absl::Status RemoveFileIfExists(const std::string& path) {
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return absl::OkStatus();
    return ErrnoStatus(errno, "remove", path);
  }
  SyncFolderOf(path);
  return absl::OkStatus();
}

}  // namespace faultdrill
