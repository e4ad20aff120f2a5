// A process faultdrill did not start, that a scenario names explicitly (by
// pid, pid file or process name). It is known by its pid AND its start time
// (ProcessStartTime), so a pid that a later process has taken over is never
// signalled. faultdrill cannot restart it.
#ifndef FAULTDRILL_INJECTORS_EXISTING_PROCESS_H_
#define FAULTDRILL_INJECTORS_EXISTING_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "injectors/target_process.h"

namespace faultdrill::injectors {

class ExistingProcess final : public TargetProcess {
 public:
  // The process that has `pid` now. NotFound when there is none (a zombie
  // counts as none); FailedPrecondition for pid 1 and for faultdrill itself.
  static absl::StatusOr<std::unique_ptr<ExistingProcess>> Attach(pid_t pid);

  // Its command name (/proc/PID/comm) when it was attached.
  std::string name() const override { return name_; }
  // The pid while it is the same process and alive; 0 once it has exited.
  pid_t pid() const override;
  bool Running() override;
  // PermissionDenied when faultdrill may not signal it (another user's).
  absl::Status Signal(int signal) override;
  // Polls /proc every few milliseconds; a zombie has exited.
  absl::Status WaitForExit(Duration timeout) override;
  // Always FailedPrecondition: faultdrill did not start it.
  absl::Status Restart() override;

  uint64_t start_time() const { return start_time_; }

 private:
  ExistingProcess(pid_t pid, uint64_t start_time, std::string name)
      : pid_(pid), start_time_(start_time), name_(std::move(name)) {}

  const pid_t pid_;
  const uint64_t start_time_;
  const std::string name_;
};

// Whether `pid` is the live (not zombie) process that started at `start_time`.
bool IsSameLiveProcess(pid_t pid, uint64_t start_time);

// The pids of the processes called `name` — their command name
// (/proc/PID/comm, at most 15 characters) or the last path component of their
// argv[0] — leaving out faultdrill itself, zombies and kernel threads. Sorted.
std::vector<pid_t> FindProcessesByName(const std::string& name);

// The pid in a pid file: one decimal number, whitespace around it allowed.
// NotFound when the file cannot be read; InvalidArgument when it holds no pid.
absl::StatusOr<pid_t> ReadPidFile(const std::string& path);

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_EXISTING_PROCESS_H_
