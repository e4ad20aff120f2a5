// A process faultdrill starts and owns: argument vector (never a shell), output
// to a log file, killed with the parent (PR_SET_PDEATHSIG) so a dead faultdrill
// never leaves it behind, and stopped on destruction.
//
// The process leads a process group of its own, and everything it starts
// (a wrapper script's server, a server's workers) stays in that group unless
// it leaves it on purpose: signals and Stop go to the whole group, so no child
// of the target outlives the run. PR_SET_PDEATHSIG reaches only the leader;
// for the rest, with `journal` set, every start journals a stop-process-group
// step (injectors/undo.h) before Start or Restart returns, so that
// `faultdrill recover` ends the group after faultdrill itself was SIGKILLed.
// Every process launched carries a token of its own in kLaunchTokenVariable,
// which tells the group from a later one with the same id once the leader is
// gone.
#ifndef FAULTDRILL_INJECTORS_LAUNCHED_PROCESS_H_
#define FAULTDRILL_INJECTORS_LAUNCHED_PROCESS_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "core/journal.h"
#include "injectors/target_process.h"

namespace faultdrill::injectors {

struct LaunchOptions {
  std::vector<std::string> command;  // command[0]: a path, or a name looked up on PATH
  std::vector<std::pair<std::string, std::string>> env;  // added to the inherited environment
  std::string log_file;  // stdout and stderr are appended here; empty: inherited
  // Where each start journals how to stop the process group, under the
  // "fault" name `journal_name` (marked done once Stop has ended the group).
  // Null: not journaled. Must outlive the process.
  Journal* journal = nullptr;
  std::string journal_name;
};

// One exit of the launched process (its group leader).
struct ProcessExit {
  pid_t pid = 0;
  int status = 0;  // as from waitpid
  std::chrono::steady_clock::time_point at;
};

// "exited with status 1", "killed by SIGSEGV".
std::string DescribeExit(int status);

class LaunchedProcess final : public TargetProcess {
 public:
  // Starts the process. NotFound when command[0] cannot be found,
  // Internal when it cannot be started or its group cannot be journaled
  // (nothing is left running then).
  static absl::StatusOr<std::unique_ptr<LaunchedProcess>> Start(LaunchOptions options);

  // Stops the process group: SIGTERM, then SIGKILL after a grace period.
  ~LaunchedProcess() override;
  LaunchedProcess(const LaunchedProcess&) = delete;
  LaunchedProcess& operator=(const LaunchedProcess&) = delete;

  std::string name() const override;
  pid_t pid() const override;
  bool Running() override;
  // Sends `signal` to the whole process group.
  absl::Status Signal(int signal) override;
  absl::Status WaitForExit(Duration timeout) override;
  // Ends what is left of the previous group first (SIGKILL), then starts again.
  absl::Status Restart() override;

  // SIGTERM to the group, wait up to `grace` for the leader and every other
  // process of the group to end, then SIGKILL the group. Returns the
  // leader's exit status (as from waitpid) or -1 when it was not running.
  int Stop(Duration grace);
  // The last exit status (as from waitpid), or -1 while running / never exited.
  int last_exit_status() const;
  // The process group of the latest start (the leader's pid), 0 before.
  pid_t process_group() const;

  // `observer` is called, on a thread of the process's, each time the
  // process exits without faultdrill having ended it: not after Stop, nor
  // after a Signal other than SIGSTOP, SIGCONT and SIGHUP (which faults send
  // to pause and reload). Replaces the previous observer; an empty one
  // removes it. Returns once no call of the previous observer is running.
  void SetUnexpectedExitObserver(std::function<void(const ProcessExit&)> observer);

 private:
  explicit LaunchedProcess(LaunchOptions options);
  absl::Status Spawn() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Called by the thread that reaped `pid`: whether the exit was unexpected.
  bool Exited(pid_t pid, int status);
  // Sends `signal` to the latest group while it is still ours; false when
  // nothing of it is left.
  bool SignalGroup(int signal);
  // Waits up to `timeout` until the leader has been reaped and no process
  // is left in its group.
  bool WaitForGroupExit(Duration timeout);

  const LaunchOptions options_;
  const std::string token_;    // kLaunchTokenVariable's value for this process
  std::string resolved_path_;  // set once by Start

  mutable absl::Mutex mu_;
  pid_t pid_ ABSL_GUARDED_BY(mu_) = 0;
  pid_t pgid_ ABSL_GUARDED_BY(mu_) = 0;  // the latest leader's pid, kept after it exits
  uint64_t leader_start_time_ ABSL_GUARDED_BY(mu_) = 0;
  int last_exit_status_ ABSL_GUARDED_BY(mu_) = -1;
  bool ended_by_us_ ABSL_GUARDED_BY(mu_) = false;  // since the latest start

  // Shared with the threads that reap the process, which may outlive it.
  struct ObserverSlot {
    void Notify(const ProcessExit& exit);
    absl::Mutex mu;
    std::function<void(const ProcessExit&)> observer ABSL_GUARDED_BY(mu);
  };
  const std::shared_ptr<ObserverSlot> observer_slot_ = std::make_shared<ObserverSlot>();
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_LAUNCHED_PROCESS_H_
