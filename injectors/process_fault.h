// What process faults share: finding the process they act on, and checking at
// load time that the scenario gives them one.
#ifndef FAULTDRILL_INJECTORS_PROCESS_FAULT_H_
#define FAULTDRILL_INJECTORS_PROCESS_FAULT_H_

#include "absl/status/statusor.h"
#include "core/scenario.h"
#include "injectors/registry.h"
#include "injectors/target_process.h"

namespace faultdrill::injectors {

// A located error unless the scenario has a process faultdrill launches
// (target.embedded or target.launch).
absl::Status RequireLaunchedTarget(const FaultSpec& spec, const Scenario& scenario);

// The launched target at apply time; FailedPrecondition when there is none.
absl::StatusOr<TargetProcess*> LaunchedTarget(const Targets& targets, const std::string& fault_name);

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_PROCESS_FAULT_H_
