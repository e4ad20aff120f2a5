#include "injectors/process_kill.h"

#include <signal.h>

#include "absl/strings/str_cat.h"
#include "injectors/process_fault.h"
#include "injectors/signal_names.h"

namespace faultdrill::injectors {

absl::StatusOr<std::unique_ptr<Injector>> ProcessKillInjector::Create(const FaultSpec& spec,
                                                                      InjectorContext& context) {
  ParamReader params(spec.params, absl::StrCat("fault '", spec.name, "' (process-kill)"));
  if (absl::Status s = params.CheckKnownKeys(
          {"signal", "restart_after", "exit_timeout", "pid", "pid_file", "process_name"});
      !s.ok()) {
    return s;
  }
  auto process = ReadProcessSelector(params, spec, context.scenario);
  if (!process.ok()) return process.status();

  ProcessKillSettings settings;
  settings.name = spec.name;
  settings.process = *process;
  auto signal_text = params.String("signal", "SIGKILL");
  if (!signal_text.ok()) return signal_text.status();
  std::optional<int> signal = ParseSignal(*signal_text);
  if (!signal || *signal == SIGSTOP || *signal == SIGCONT) {
    return params.Error("signal", absl::StrCat("'", *signal_text,
                                               "' is not a signal that ends a process (use SIGKILL, "
                                               "SIGTERM, SIGINT, SIGQUIT, SIGABRT, SIGSEGV; "
                                               "process-pause stops a process)"));
  }
  settings.signal = *signal;

  auto restart_after = params.OptionalDur("restart_after");
  if (!restart_after.ok()) return restart_after.status();
  if (restart_after->has_value() && spec.duration.has_value()) {
    return params.Error("restart_after", "give either `restart_after` or `for`, not both");
  }
  settings.restart_after = restart_after->has_value() ? *restart_after : spec.duration;
  if (settings.restart_after && settings.process.is_explicit()) {
    const std::string problem = absl::StrCat(settings.process.Describe(),
                                             ": faultdrill did not start it; cannot restart");
    if (restart_after->has_value()) return params.Error("restart_after", problem);
    return LocatedError(spec.where, absl::StrCat(params.context(), ": for: ", problem,
                                                 " (leave out `for:`)"));
  }
  if (settings.restart_after && settings.restart_after->count() <= 0) {
    return params.Error("restart_after", "must be greater than zero");
  }
  auto exit_timeout = params.Dur("exit_timeout", std::chrono::seconds(10));
  if (!exit_timeout.ok()) return exit_timeout.status();
  settings.exit_timeout = *exit_timeout;
  return std::make_unique<ProcessKillInjector>(std::move(settings), context.targets);
}

std::string ProcessKillInjector::Describe() const {
  std::string text = absl::StrCat(SignalName(settings_.signal), " ", settings_.process.Describe());
  if (settings_.process.is_explicit()) {
    absl::StrAppend(&text, " (not started by faultdrill: not restarted)");
  } else if (settings_.restart_after) {
    absl::StrAppend(&text, ", restart it after ", FormatDuration(*settings_.restart_after));
  } else {
    absl::StrAppend(&text, ", restart it when the run ends");
  }
  return text;
}

absl::Status ProcessKillInjector::Apply() {
  auto target = process_.Find();
  if (!target.ok()) return target.status();
  killed_pid_ = (*target)->pid();
  if (absl::Status s = (*target)->Signal(settings_.signal); !s.ok()) return s;
  ++signals_sent_;
  return (*target)->WaitForExit(settings_.exit_timeout);
}

absl::Status ProcessKillInjector::Revert() {
  if (signals_sent_ == 0 || settings_.process.is_explicit()) return absl::OkStatus();
  auto target = process_.Find();
  if (!target.ok()) return target.status();
  if ((*target)->Running()) return absl::OkStatus();
  if (absl::Status s = (*target)->Restart(); !s.ok()) return s;
  ++restarts_;
  return absl::OkStatus();
}

std::vector<std::string> ProcessKillInjector::Touches() const {
  return {absl::StrCat("process: ", settings_.process.Describe(), " (", SignalName(settings_.signal), ")")};
}

std::map<std::string, int64_t> ProcessKillInjector::Counters() const {
  return {{"signals_sent", signals_sent_}, {"restarts", restarts_}, {"killed_pid", killed_pid_}};
}

}  // namespace faultdrill::injectors
