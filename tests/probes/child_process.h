// A child process for probe tests: started from an argument vector with
// posix_spawn, killed (SIGKILL) and reaped on destruction.
#ifndef FAULTDRILL_TESTS_PROBES_CHILD_PROCESS_H_
#define FAULTDRILL_TESTS_PROBES_CHILD_PROCESS_H_

#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

extern char** environ;

namespace faultdrill::testing {

class ChildProcess {
 public:
  // argv[0] is a path (or a name on PATH). pid() is 0 when it could not start.
  explicit ChildProcess(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    if (::posix_spawnp(&pid_, args[0], nullptr, nullptr, args.data(), environ) != 0) pid_ = 0;
  }
  ~ChildProcess() {
    Kill();
    Reap();
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void Kill() {
    if (pid_ > 0 && !reaped_) ::kill(pid_, SIGKILL);
  }
  // Waits for it to exit; returns the waitpid status.
  int Reap() {
    if (pid_ <= 0 || reaped_) return status_;
    ::waitpid(pid_, &status_, 0);
    reaped_ = true;
    return status_;
  }

 private:
  pid_t pid_ = 0;
  bool reaped_ = false;
  int status_ = -1;
};

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_PROBES_CHILD_PROCESS_H_
