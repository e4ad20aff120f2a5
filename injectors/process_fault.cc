#include "injectors/process_fault.h"

#include "absl/strings/str_cat.h"

namespace faultdrill::injectors {

absl::Status RequireLaunchedTarget(const FaultSpec& spec, const Scenario& scenario) {
  if (scenario.target.embedded || scenario.target.launch.has_value()) return absl::OkStatus();
  return LocatedError(spec.where,
                      absl::StrCat("fault '", spec.name, "' (", spec.kind,
                                   ") acts on a process faultdrill launches, but the target has "
                                   "neither `embedded: true` nor `launch:`"));
}

absl::StatusOr<TargetProcess*> LaunchedTarget(const Targets& targets, const std::string& fault_name) {
  if (targets.launched() == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("fault '", fault_name, "': no launched target process"));
  }
  return targets.launched();
}

}  // namespace faultdrill::injectors
