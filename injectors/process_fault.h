// What process faults share: finding the process they act on, and checking at
// load time that the scenario gives them one. By default that is the target
// faultdrill launched; a scenario may name another process explicitly with
// `pid`, `pid_file` or `process_name` (at most one of them).
#ifndef FAULTDRILL_INJECTORS_PROCESS_FAULT_H_
#define FAULTDRILL_INJECTORS_PROCESS_FAULT_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "core/param_node.h"
#include "core/scenario.h"
#include "injectors/registry.h"
#include "injectors/target_process.h"

namespace faultdrill::injectors {

// A located error unless the scenario has a process faultdrill launches
// (target.embedded or target.launch).
absl::Status RequireLaunchedTarget(const FaultSpec& spec, const Scenario& scenario);

// The launched target at apply time; FailedPrecondition when there is none.
absl::StatusOr<TargetProcess*> LaunchedTarget(const Targets& targets, const std::string& fault_name);

// Which process a fault acts on, as the scenario says.
struct ProcessSelector {
  enum class Kind { kLaunched, kPid, kPidFile, kProcessName };
  Kind kind = Kind::kLaunched;
  pid_t pid = 0;           // kPid
  std::string pid_file;    // kPidFile, resolved against the scenario's folder
  std::string process_name;  // kProcessName

  bool is_explicit() const { return kind != Kind::kLaunched; }
  // "the launched target", "pid 4242", "the process in pid file /run/x.pid",
  // "the process named 'nginx'".
  std::string Describe() const;
};

// Reads `pid`, `pid_file` or `process_name` (at most one; the caller lists
// them in CheckKnownKeys). With none of them the fault acts on the launched
// target, which the scenario must then have. Errors are located.
absl::StatusOr<ProcessSelector> ReadProcessSelector(const ParamReader& params, const FaultSpec& spec,
                                                    const Scenario& scenario);

// The process a fault acts on, found when the fault is applied: the launched
// target, or the one the scenario names, which must exist then (with
// `process_name`, exactly one process of that name). An explicit process is
// found once and kept, so that revert acts on the same process even if the
// pid file changes meanwhile. Not thread-safe: Apply and Revert never overlap.
class SelectedProcess {
 public:
  SelectedProcess(ProcessSelector selector, const Targets& targets, std::string fault_name)
      : selector_(std::move(selector)), targets_(targets), fault_name_(std::move(fault_name)) {}

  const ProcessSelector& selector() const { return selector_; }

  // Finds the process (again, for the launched target). FailedPrecondition or
  // NotFound, naming the fault, when there is none.
  absl::StatusOr<TargetProcess*> Find();
  // The process Find found, for revert; null before Find succeeded.
  TargetProcess* found() const;

 private:
  const ProcessSelector selector_;
  const Targets& targets_;
  const std::string fault_name_;
  std::unique_ptr<TargetProcess> attached_;  // an explicit process, once found
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_PROCESS_FAULT_H_
