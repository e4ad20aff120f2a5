#include "injectors/process_pause.h"

#include <signal.h>

#include "absl/strings/str_cat.h"
#include "injectors/undo.h"

namespace faultdrill::injectors {

absl::StatusOr<std::unique_ptr<Injector>> ProcessPauseInjector::Create(const FaultSpec& spec,
                                                                       InjectorContext& context) {
  ParamReader params(spec.params, absl::StrCat("fault '", spec.name, "' (process-pause)"));
  if (absl::Status s = params.CheckKnownKeys({"pid", "pid_file", "process_name"}); !s.ok()) return s;
  auto process = ReadProcessSelector(params, spec, context.scenario);
  if (!process.ok()) return process.status();
  if (!spec.duration.has_value()) {
    return LocatedError(spec.where, absl::StrCat("fault '", spec.name,
                                                 "' (process-pause): missing required key 'for' "
                                                 "(how long the process stays stopped)"));
  }
  return std::make_unique<ProcessPauseInjector>(spec.name, *spec.duration, *std::move(process), context);
}

std::string ProcessPauseInjector::Describe() const {
  return absl::StrCat("SIGSTOP ", process_.selector().Describe(), " for ", FormatDuration(pause_for_),
                      ", then SIGCONT");
}

absl::Status ProcessPauseInjector::Apply() {
  auto target = process_.Find();
  if (!target.ok()) return target.status();
  const pid_t pid = (*target)->pid();
  if (pid <= 0) {
    return absl::FailedPreconditionError(absl::StrCat("fault '", name_, "': ", (*target)->name(),
                                                      " is not running"));
  }
  auto recorded = run_.journal().RecordUndo(name_, "process-pause", MakeContinueProcess(pid, ProcessStartTime(pid)));
  if (!recorded.ok()) return recorded.status();
  if (absl::Status s = (*target)->Signal(SIGSTOP); !s.ok()) return s;
  paused_ = true;
  paused_pid_ = pid;
  ++pauses_;
  return absl::OkStatus();
}

absl::Status ProcessPauseInjector::Revert() {
  if (!paused_.exchange(false)) return absl::OkStatus();
  TargetProcess* target = process_.found();
  if (target == nullptr || !target->Running()) return absl::OkStatus();  // died while stopped: nothing to resume
  if (absl::Status s = target->Signal(SIGCONT); !s.ok()) return s;
  ++resumes_;
  return absl::OkStatus();
}

std::vector<std::string> ProcessPauseInjector::Touches() const {
  return {absl::StrCat("process: ", process_.selector().Describe(), " (SIGSTOP, then SIGCONT)")};
}

std::map<std::string, int64_t> ProcessPauseInjector::Counters() const {
  return {{"pauses", pauses_}, {"resumes", resumes_}, {"paused_pid", paused_pid_}};
}

}  // namespace faultdrill::injectors
