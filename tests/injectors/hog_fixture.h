// What the resource-fault tests look at in real processes: CPU time and
// resident memory from /proc, whether a process is gone, a small tmpfs to
// fill, and a helper started under a parent the test can kill.
#ifndef FAULTDRILL_TESTS_INJECTORS_HOG_FIXTURE_H_
#define FAULTDRILL_TESTS_INJECTORS_HOG_FIXTURE_H_

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/common/files.h"

namespace faultdrill::testing {

inline std::string HogBinary() { return BinDir() + "/faultdrill-hog"; }

// Polls `done` every 10 ms until it is true or `timeout` passes.
inline bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// /proc/PID/stat's fields after the command name: [0] is field 3 (state).
inline std::vector<std::string> ProcStatFields(pid_t pid) {
  std::string stat = ReadWholeFile("/proc/" + std::to_string(pid) + "/stat");
  std::vector<std::string> fields;
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return fields;
  std::istringstream rest(stat.substr(close + 2));
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

// User plus system CPU time of `pid`, in clock ticks (fields 14 and 15).
inline uint64_t CpuTicks(pid_t pid) {
  std::vector<std::string> fields = ProcStatFields(pid);
  if (fields.size() < 13) return 0;
  return std::stoull(fields[11]) + std::stoull(fields[12]);
}

// VmRSS of `pid`, in bytes.
inline uint64_t ResidentBytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

// No such process, or only its zombie left for someone else to reap.
inline bool ProcessGone(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
  std::vector<std::string> fields = ProcStatFields(pid);
  return fields.empty() || fields[0] == "Z" || fields[0] == "X";
}

inline bool FileExists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// The fraction of the filesystem of `path` in use, as df counts it.
inline double UsedFraction(const std::string& path) {
  struct statvfs s {};
  if (::statvfs(path.c_str(), &s) != 0) return -1;
  double used = static_cast<double>(s.f_blocks - s.f_bfree);
  return used / (used + static_cast<double>(s.f_bavail));
}

// A tmpfs of `size` (mount(8) syntax, "8m") mounted on a fresh temporary
// folder, unmounted on destruction. Needs CAP_SYS_ADMIN: check error().
class TmpfsMount {
 public:
  explicit TmpfsMount(const std::string& size) {
    if (dir_.path().empty()) {
      error_ = "cannot make a temporary folder";
      return;
    }
    std::string options = "size=" + size + ",mode=0755";
    if (::mount("tmpfs", dir_.path().c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
      error_ = std::string("cannot mount a tmpfs (needs CAP_SYS_ADMIN): ") + std::strerror(errno);
      return;
    }
    mounted_ = true;
  }
  ~TmpfsMount() {
    if (mounted_) ::umount2(dir_.path().c_str(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  const std::string& path() const { return dir_.path(); }
  // Empty when mounted.
  const std::string& error() const { return error_; }

 private:
  TempDir dir_;
  std::string error_;
  bool mounted_ = false;
};

// A helper started by an intermediate parent process that the test can kill,
// as faultdrill would be killed: this process forks the parent, the parent
// forks and execs `argv` (output to `log`) and then waits forever. The test
// process becomes a child subreaper, so the orphaned helper is reparented to
// it and ExitStatus can reap it.
struct Grandchild {
  pid_t parent = 0;
  pid_t pid = 0;
};

inline Grandchild StartUnderAParent(const std::vector<std::string>& argv, const std::string& log) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  int fds[2];
  if (::pipe(fds) != 0) return {};
  Grandchild started;
  started.parent = ::fork();
  if (started.parent == 0) {
    // Only async-signal-safe calls from here on.
    ::close(fds[0]);
    pid_t helper = ::fork();
    if (helper == 0) {
      int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(out, 1);
      ::dup2(out, 2);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    (void)::write(fds[1], &helper, sizeof(helper));
    ::close(fds[1]);
    for (;;) ::pause();
  }
  ::close(fds[1]);
  if (::read(fds[0], &started.pid, sizeof(started.pid)) != sizeof(started.pid)) started.pid = 0;
  ::close(fds[0]);
  return started;
}

// SIGKILLs the parent and reaps it.
inline void KillParent(const Grandchild& child) {
  ::kill(child.parent, SIGKILL);
  int status = 0;
  ::waitpid(child.parent, &status, 0);
}

// Reaps the helper once it exits (after its parent was killed, it is this
// process's child): its wait status, or -1 when it is still running after `timeout`.
inline int ExitStatus(const Grandchild& child, std::chrono::milliseconds timeout) {
  int status = -1;
  bool reaped = WaitUntil([&] { return ::waitpid(child.pid, &status, WNOHANG) == child.pid; }, timeout);
  return reaped ? status : -1;
}

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_INJECTORS_HOG_FIXTURE_H_
