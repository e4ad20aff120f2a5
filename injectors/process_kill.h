// `process-kill`: sends a signal (default SIGKILL) to the launched target and,
// after `restart_after` (or `for`), starts it again. Without a restart the
// target stays down until the fault is reverted at the end of the run.
//
//   - {kind: process-kill, at: 10s, signal: SIGKILL, restart_after: 2s}
#ifndef FAULTDRILL_INJECTORS_PROCESS_KILL_H_
#define FAULTDRILL_INJECTORS_PROCESS_KILL_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "injectors/injector.h"
#include "injectors/registry.h"

namespace faultdrill::injectors {

struct ProcessKillSettings {
  std::string name;
  int signal = 9;
  std::optional<Duration> restart_after;  // nullopt: no restart until revert
  Duration exit_timeout = std::chrono::seconds(10);  // how long Apply waits for the exit
};

class ProcessKillInjector final : public Injector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  ProcessKillInjector(ProcessKillSettings settings, Targets& targets)
      : settings_(std::move(settings)), targets_(targets) {}

  std::string Describe() const override;
  std::optional<Duration> ActiveFor() const override { return settings_.restart_after; }
  absl::Status Apply() override;
  // Restarts the target if it is not running.
  absl::Status Revert() override;
  std::map<std::string, int64_t> Counters() const override;

 private:
  const ProcessKillSettings settings_;
  Targets& targets_;
  std::atomic<int64_t> signals_sent_{0};
  std::atomic<int64_t> restarts_{0};
  std::atomic<int64_t> killed_pid_{0};
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_PROCESS_KILL_H_
