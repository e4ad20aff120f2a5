#include "injectors/process_pause.h"

#include <signal.h>

#include "absl/strings/str_cat.h"
#include "injectors/process_fault.h"

namespace faultdrill::injectors {

absl::StatusOr<std::unique_ptr<Injector>> ProcessPauseInjector::Create(const FaultSpec& spec,
                                                                       InjectorContext& context) {
  ParamReader params(spec.params, absl::StrCat("fault '", spec.name, "' (process-pause)"));
  if (absl::Status s = params.CheckKnownKeys({}); !s.ok()) return s;
  if (absl::Status s = RequireLaunchedTarget(spec, context.scenario); !s.ok()) return s;
  if (!spec.duration.has_value()) {
    return LocatedError(spec.where, absl::StrCat("fault '", spec.name,
                                                 "' (process-pause): missing required key 'for' "
                                                 "(how long the process stays stopped)"));
  }
  return std::make_unique<ProcessPauseInjector>(spec.name, *spec.duration, context.targets);
}

std::string ProcessPauseInjector::Describe() const {
  return absl::StrCat("SIGSTOP the launched target for ", FormatDuration(pause_for_), ", then SIGCONT");
}

absl::Status ProcessPauseInjector::Apply() {
  auto target = LaunchedTarget(targets_, name_);
  if (!target.ok()) return target.status();
  if (absl::Status s = (*target)->Signal(SIGSTOP); !s.ok()) return s;
  paused_ = true;
  ++pauses_;
  return absl::OkStatus();
}

absl::Status ProcessPauseInjector::Revert() {
  if (!paused_.exchange(false)) return absl::OkStatus();
  auto target = LaunchedTarget(targets_, name_);
  if (!target.ok()) return target.status();
  if (!(*target)->Running()) return absl::OkStatus();  // died while stopped: nothing to resume
  if (absl::Status s = (*target)->Signal(SIGCONT); !s.ok()) return s;
  ++resumes_;
  return absl::OkStatus();
}

std::map<std::string, int64_t> ProcessPauseInjector::Counters() const {
  return {{"pauses", pauses_}, {"resumes", resumes_}};
}

}  // namespace faultdrill::injectors
