// `process-pause`: SIGSTOP the launched target for `for:`, then SIGCONT. The
// process keeps its sockets, so clients see a stall rather than a refusal —
// the fault that shows coordinated omission in a load tool.
//
//   - {kind: process-pause, at: 10s, for: 1s}
#ifndef FAULTDRILL_INJECTORS_PROCESS_PAUSE_H_
#define FAULTDRILL_INJECTORS_PROCESS_PAUSE_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "injectors/injector.h"
#include "injectors/registry.h"

namespace faultdrill::injectors {

class ProcessPauseInjector final : public Injector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  ProcessPauseInjector(std::string name, Duration pause_for, Targets& targets)
      : name_(std::move(name)), pause_for_(pause_for), targets_(targets) {}

  std::string Describe() const override;
  std::optional<Duration> ActiveFor() const override { return pause_for_; }
  absl::Status Apply() override;
  // Sends SIGCONT if this fault stopped the process.
  absl::Status Revert() override;
  std::map<std::string, int64_t> Counters() const override;

 private:
  const std::string name_;
  const Duration pause_for_;
  Targets& targets_;
  std::atomic<bool> paused_{false};
  std::atomic<int64_t> pauses_{0};
  std::atomic<int64_t> resumes_{0};
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_PROCESS_PAUSE_H_
