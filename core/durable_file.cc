#include "core/durable_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
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

constexpr std::string_view kTemporaryMark = ".faultdrill-";

// ".<name>.faultdrill-<pid>-<suffix>" in `folder`.
std::string TemporaryName(const std::string& folder, const std::string& name, std::string_view suffix) {
  return fmt::format("{}/.{}{}{}-{}", folder, name, kTemporaryMark, ::getpid(), suffix);
}

// Six characters of [A-Za-z0-9], as mkstemp uses.
std::string RandomSuffix() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char bytes[6] = {};
  if (::getrandom(bytes, sizeof(bytes), 0) != ssize_t(sizeof(bytes))) {
    // No entropy source: the pid in the name and the EEXIST retry keep names unique.
    static std::atomic<uint64_t> counter{0};
    const uint64_t n = counter.fetch_add(1) ^ uint64_t(::time(nullptr));
    std::memcpy(bytes, &n, sizeof(bytes));
  }
  std::string suffix;
  for (unsigned char b : bytes) suffix += kAlphabet[b % (sizeof(kAlphabet) - 1)];
  return suffix;
}

// Errors of open(O_TMPFILE) that mean "this kernel or file system cannot",
// not "this folder is wrong".
bool TmpfileUnsupported(int error) { return error == EOPNOTSUPP || error == EISDIR || error == EINVAL; }

// An unnamed file can be linked only through /proc/self/fd (AT_EMPTY_PATH
// needs CAP_DAC_READ_SEARCH), so it is used only where /proc is mounted.
bool ProcSelfFdUsable() {
  static const bool usable = ::access("/proc/self/fd", X_OK) == 0;
  return usable;
}

// The pid in a temporary name, or 0 when `entry` is not one.
pid_t TemporaryFileOwner(std::string_view entry) {
  if (entry.empty() || entry[0] != '.') return 0;
  const size_t mark = entry.rfind(kTemporaryMark);
  if (mark == std::string_view::npos) return 0;
  std::string_view rest = entry.substr(mark + kTemporaryMark.size());
  const size_t dash = rest.find('-');
  if (dash == 0 || dash == std::string_view::npos || rest.size() - dash - 1 != 6) return 0;
  pid_t pid = 0;
  for (char c : rest.substr(0, dash)) {
    if (c < '0' || c > '9' || pid > 100'000'000) return 0;
    pid = pid * 10 + (c - '0');
  }
  return pid;
}

bool ProcessAlive(pid_t pid) { return pid == ::getpid() || ::kill(pid, 0) == 0 || errno == EPERM; }

}  // namespace

absl::StatusOr<std::vector<std::string>> RemoveStaleTemporaryFiles(const std::string& folder) {
  std::vector<std::string> removed;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(folder.c_str()), &::closedir);
  if (dir == nullptr) {
    if (errno == ENOENT) return removed;
    return ErrnoStatus(errno, "list", folder);
  }
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(dir.get());
    if (entry == nullptr) break;
    const pid_t owner = TemporaryFileOwner(entry->d_name);
    if (owner <= 0 || ProcessAlive(owner)) continue;
    std::string path = fmt::format("{}/{}", folder, entry->d_name);
    if (::unlink(path.c_str()) != 0) {
      if (errno == ENOENT) continue;  // another sweep was first
      return ErrnoStatus(errno, "remove the stale temporary file", path);
    }
    removed.push_back(std::move(path));
  }
  if (errno != 0) return ErrnoStatus(errno, "list", folder);
  if (!removed.empty()) SyncFolderOf(removed.front());
  return removed;
}


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

absl::StatusOr<std::unique_ptr<DurableFileWriter>> DurableFileWriter::Create(const std::string& path, mode_t mode) {
  if (path.empty()) return absl::InvalidArgumentError("cannot write to an empty path");
  const auto [folder, name] = Split(path);
  // Best effort: a folder that cannot be listed is reported by the open below.
  (void)RemoveStaleTemporaryFiles(folder);
  if (ProcSelfFdUsable()) {
    const int fd = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, mode & 0777);
    if (fd >= 0) return std::unique_ptr<DurableFileWriter>(new DurableFileWriter(path, mode, fd, ""));
    if (!TmpfileUnsupported(errno)) return ErrnoStatus(errno, "create a temporary file for", path);
  }
  std::string temp = TemporaryName(folder, name, "XXXXXX");
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "create a temporary file for", path);
  return std::unique_ptr<DurableFileWriter>(new DurableFileWriter(path, mode, fd, std::move(temp)));
}

DurableFileWriter::~DurableFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

absl::Status DurableFileWriter::Append(std::string_view data) {
  if (fd_ < 0) return absl::FailedPreconditionError(fmt::format("{} is already committed", path_));
  return WriteAll(fd_, data, path_);
}

absl::Status DurableFileWriter::LinkUnnamed(std::string* named) {
  const std::string self = fmt::format("/proc/self/fd/{}", fd_);
  // No file yet: the name itself, in one step.
  if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, path_.c_str(), AT_SYMLINK_FOLLOW) == 0) {
    *named = path_;
    return absl::OkStatus();
  }
  if (errno != EEXIST) return ErrnoStatus(errno, "link the new version of", path_);
  const auto [folder, name] = Split(path_);
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string temp = TemporaryName(folder, name, RandomSuffix());
    if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, temp.c_str(), AT_SYMLINK_FOLLOW) == 0) {
      *named = std::move(temp);
      return absl::OkStatus();
    }
    if (errno != EEXIST) return ErrnoStatus(errno, "link the new version of", path_);
  }
  return absl::InternalError(fmt::format("cannot find a free temporary name beside {}", path_));
}

absl::Status DurableFileWriter::Commit() {
  if (fd_ < 0 || committed_) return absl::FailedPreconditionError(fmt::format("{} is already committed", path_));
  const std::string& shown = temp_.empty() ? path_ : temp_;
  absl::Status status;
  if (::fchmod(fd_, mode_) != 0) status = ErrnoStatus(errno, "set the mode of", shown);
  if (status.ok() && ::fsync(fd_) != 0) status = ErrnoStatus(errno, "flush", shown);
  if (status.ok() && temp_.empty()) {
    std::string named;
    status = LinkUnnamed(&named);
    // Linked straight to path_: done but for the folder. Else renamed below.
    if (status.ok() && named == path_) committed_ = true;
    if (status.ok() && !committed_) temp_ = std::move(named);
  }
  if (::close(fd_) != 0 && status.ok()) status = ErrnoStatus(errno, "close", shown);
  fd_ = -1;
  if (status.ok() && !committed_) {
    if (::rename(temp_.c_str(), path_.c_str()) != 0) {
      status = ErrnoStatus(errno, "rename to", path_);
    } else {
      committed_ = true;
    }
  }
  if (!status.ok()) return status;  // the destructor removes a named temporary file
  SyncFolderOf(path_);
  return absl::OkStatus();
}

absl::Status ReplaceFileDurably(const std::string& path, mode_t mode,
                                const std::function<absl::Status(int fd)>& fill) {
  auto writer = DurableFileWriter::Create(path, mode);
  if (!writer.ok()) return writer.status();
  if (absl::Status status = fill((*writer)->fd()); !status.ok()) return status;
  return (*writer)->Commit();
}

mode_t ExistingModeOr(const std::string& path, mode_t otherwise) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : otherwise;
}

absl::Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  auto writer = DurableFileWriter::Create(path, ExistingModeOr(path, 0644));
  if (!writer.ok()) return writer.status();
  if (absl::Status status = (*writer)->Append(contents); !status.ok()) return status;
  return (*writer)->Commit();
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
