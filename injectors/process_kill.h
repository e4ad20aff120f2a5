// `process-kill`: sends a signal (default SIGKILL) to the launched target and,
// after `restart_after` (or `for`), starts it again. Without a restart the
// target stays down until the fault is reverted at the end of the run.
// With `pid`, `pid_file` or `process_name` it signals that process instead;
// faultdrill did not start it, so it cannot restart it (no `restart_after`).
//
//   - {kind: process-kill, at: 10s, signal: SIGKILL, restart_after: 2s}
//   - {kind: process-kill, at: 10s, signal: SIGTERM, pid_file: /run/worker.pid}
#ifndef FAULTDRILL_INJECTORS_PROCESS_KILL_H_
#define FAULTDRILL_INJECTORS_PROCESS_KILL_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "injectors/injector.h"
#include "injectors/process_fault.h"
#include "injectors/registry.h"

namespace faultdrill::injectors {

struct ProcessKillSettings {
  std::string name;
  ProcessSelector process;  // default: the launched target
  int signal = 9;
  std::optional<Duration> restart_after;  // nullopt: no restart until revert
  Duration exit_timeout = std::chrono::seconds(10);  // how long Apply waits for the exit
};

class ProcessKillInjector final : public Injector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  ProcessKillInjector(ProcessKillSettings settings, Targets& targets)
      : settings_(settings), process_(settings.process, targets, settings.name) {}

  std::string Describe() const override;
  std::optional<Duration> ActiveFor() const override { return settings_.restart_after; }
  absl::Status Apply() override;
  // Restarts the launched target if it is not running; an explicit process
  // is left as it is.
  absl::Status Revert() override;
  std::map<std::string, int64_t> Counters() const override;
  std::vector<std::string> Touches() const override;

 private:
  const ProcessKillSettings settings_;
  SelectedProcess process_;
  std::atomic<int64_t> signals_sent_{0};
  std::atomic<int64_t> restarts_{0};
  std::atomic<int64_t> killed_pid_{0};
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_PROCESS_KILL_H_
