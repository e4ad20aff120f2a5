#include "injectors/journal_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "injectors/undo.h"

namespace faultdrill::injectors {
namespace {

struct Holder {
  pid_t pid = 0;
  uint64_t start_time = 0;
  // Whether it is a process that is still running (and not this one).
  bool Alive() const { return pid > 0 && pid != ::getpid() && start_time != 0 && ProcessStartTime(pid) == start_time; }
};

// "PID START_TIME\n", as Acquire writes it; {0, 0} for anything else (an
// empty file: released, or never held).
Holder ReadHolder(int fd) {
  char text[64] = {};
  const ssize_t n = ::pread(fd, text, sizeof(text) - 1, 0);
  Holder holder;
  unsigned long long start = 0;
  long pid = 0;
  if (n > 0 && std::sscanf(text, "%ld %llu", &pid, &start) == 2 && pid > 0) {
    holder.pid = static_cast<pid_t>(pid);
    holder.start_time = start;
  }
  return holder;
}

absl::Status InUse(const std::string& dir, const Holder& holder) {
  const std::string who = holder.pid > 0 ? fmt::format("faultdrill pid {}", holder.pid) : "another faultdrill";
  return absl::FailedPreconditionError(fmt::format(
      "the journal {} is held by a drill that is still running ({}): wait for it to end, or stop it with Ctrl-C "
      "or SIGTERM (it reverts its own faults)",
      dir, who));
}

}  // namespace

std::string JournalLockFile(const std::string& dir) { return (std::filesystem::path(dir) / "lock").string(); }

absl::StatusOr<std::unique_ptr<JournalLock>> JournalLock::Acquire(const std::string& dir) {
  const std::string path = JournalLockFile(dir);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return absl::InternalError(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  std::unique_ptr<JournalLock> lock(new JournalLock(fd));  // closes fd on every return below
  int locked;
  do {
    locked = ::flock(fd, LOCK_EX | LOCK_NB);
  } while (locked != 0 && errno == EINTR);
  if (locked != 0) {
    if (errno == EWOULDBLOCK) return InUse(dir, ReadHolder(fd));
    return absl::InternalError(fmt::format("cannot lock {}: {}", path, std::strerror(errno)));
  }
  if (const Holder holder = ReadHolder(fd); holder.Alive()) return InUse(dir, holder);
  const std::string me = fmt::format("{} {}\n", ::getpid(), ProcessStartTime(::getpid()));
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, me.data(), me.size(), 0) != static_cast<ssize_t>(me.size()) ||
      ::fsync(fd) != 0) {
    return absl::InternalError(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  }
  lock->held_ = true;
  return lock;
}

JournalLock::~JournalLock() {
  // Only the holder clears the file: a refused Acquire leaves the holder's pid in it.
  if (held_) (void)::ftruncate(fd_, 0);
  ::close(fd_);  // lets go of the flock
}

}  // namespace faultdrill::injectors
