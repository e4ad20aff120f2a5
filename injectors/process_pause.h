// `process-pause`: SIGSTOP the launched target for `for:`, then SIGCONT. The
// process keeps its sockets, so clients see a stall rather than a refusal —
// the fault that shows coordinated omission in a load tool. With `pid`,
// `pid_file` or `process_name` it pauses that process instead. The SIGCONT is
// journaled before the SIGSTOP, so `faultdrill recover` resumes a process
// that an interrupted run left stopped.
//
//   - {kind: process-pause, at: 10s, for: 1s}
//   - {kind: process-pause, at: 10s, for: 1s, process_name: redis-server}
#ifndef FAULTDRILL_INJECTORS_PROCESS_PAUSE_H_
#define FAULTDRILL_INJECTORS_PROCESS_PAUSE_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "injectors/injector.h"
#include "injectors/process_fault.h"
#include "injectors/registry.h"

namespace faultdrill::injectors {

class ProcessPauseInjector final : public Injector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  ProcessPauseInjector(std::string name, Duration pause_for, ProcessSelector process, InjectorContext& context)
      : name_(std::move(name)),
        pause_for_(pause_for),
        process_(std::move(process), context.targets, name_),
        run_(context.run) {}

  std::string Describe() const override;
  std::optional<Duration> ActiveFor() const override { return pause_for_; }
  // Journals continue-process for the process, then sends SIGSTOP.
  absl::Status Apply() override;
  // Sends SIGCONT if this fault stopped the process and it is still alive.
  absl::Status Revert() override;
  std::map<std::string, int64_t> Counters() const override;
  std::vector<std::string> Touches() const override;

 private:
  const std::string name_;
  const Duration pause_for_;
  SelectedProcess process_;
  RunState& run_;
  std::atomic<bool> paused_{false};
  std::atomic<int64_t> pauses_{0};
  std::atomic<int64_t> resumes_{0};
  std::atomic<int64_t> paused_pid_{0};
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_PROCESS_PAUSE_H_
