// The seam between faults and the processes they act on. Process faults only
// ever touch a TargetProcess that faultdrill launched (or, in a later issue,
// one a scenario names explicitly); tests substitute a fake.
#ifndef FAULTDRILL_INJECTORS_TARGET_PROCESS_H_
#define FAULTDRILL_INJECTORS_TARGET_PROCESS_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "core/duration.h"

namespace faultdrill::injectors {

class TargetProcess {
 public:
  virtual ~TargetProcess() = default;

  // A short name for messages, e.g. "faultdrill-model-server".
  virtual std::string name() const = 0;
  // The pid of the running process, or 0 when it is not running.
  virtual pid_t pid() const = 0;
  // Whether the process is alive (reaps it if it has exited).
  virtual bool Running() = 0;
  // Sends `signal` to the process. FailedPrecondition when it is not running.
  virtual absl::Status Signal(int signal) = 0;
  // Waits up to `timeout` for the process to exit. DeadlineExceeded if it did not.
  virtual absl::Status WaitForExit(Duration timeout) = 0;
  // Starts the process again with the same command and environment. The
  // previous instance must have exited. Does not wait for readiness.
  virtual absl::Status Restart() = 0;
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_TARGET_PROCESS_H_
