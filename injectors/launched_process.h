// A process faultdrill starts and owns: argument vector (never a shell), output
// to a log file, killed with the parent (PR_SET_PDEATHSIG) so a dead faultdrill
// never leaves it behind, and stopped on destruction.
#ifndef FAULTDRILL_INJECTORS_LAUNCHED_PROCESS_H_
#define FAULTDRILL_INJECTORS_LAUNCHED_PROCESS_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "injectors/target_process.h"

namespace faultdrill::injectors {

struct LaunchOptions {
  std::vector<std::string> command;  // command[0]: a path, or a name looked up on PATH
  std::vector<std::pair<std::string, std::string>> env;  // added to the inherited environment
  std::string log_file;  // stdout and stderr are appended here; empty: inherited
};

class LaunchedProcess final : public TargetProcess {
 public:
  // Starts the process. NotFound when command[0] cannot be found,
  // Internal when it cannot be started.
  static absl::StatusOr<std::unique_ptr<LaunchedProcess>> Start(LaunchOptions options);

  // Stops the process: SIGTERM, then SIGKILL after a grace period.
  ~LaunchedProcess() override;
  LaunchedProcess(const LaunchedProcess&) = delete;
  LaunchedProcess& operator=(const LaunchedProcess&) = delete;

  std::string name() const override;
  pid_t pid() const override;
  bool Running() override;
  absl::Status Signal(int signal) override;
  absl::Status WaitForExit(Duration timeout) override;
  absl::Status Restart() override;

  // SIGTERM, wait up to `grace`, then SIGKILL. Returns the exit status
  // (as from waitpid) or -1 when it was not running.
  int Stop(Duration grace);
  // The last exit status (as from waitpid), or -1 while running / never exited.
  int last_exit_status() const;

 private:
  explicit LaunchedProcess(LaunchOptions options) : options_(std::move(options)) {}
  absl::Status Spawn() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const LaunchOptions options_;
  std::string resolved_path_;  // set once by Start

  mutable absl::Mutex mu_;
  pid_t pid_ ABSL_GUARDED_BY(mu_) = 0;
  int last_exit_status_ ABSL_GUARDED_BY(mu_) = -1;
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_LAUNCHED_PROCESS_H_
