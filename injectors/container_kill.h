// `container-kill`: sends a signal (default SIGKILL) to Docker containers
// chosen by `label` or `container_name`, through `docker` run with an
// argument vector (never a shell): `docker ps -q --filter label=L` (or
// `name=N`), then
// `docker kill --signal S ID...` for `count` of them (chosen with the run's
// seed). Docker's restart policy (or an orchestrator) brings them back, so
// there is nothing to undo and nothing is journaled.
//
//   - {kind: container-kill, at: 10s, label: "com.example.role=model-server", count: 1}
#ifndef FAULTDRILL_INJECTORS_CONTAINER_KILL_H_
#define FAULTDRILL_INJECTORS_CONTAINER_KILL_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "injectors/injector.h"
#include "injectors/registry.h"
#include "injectors/victim_choice.h"

namespace faultdrill::injectors {

struct ContainerKillSettings {
  std::string name;
  std::string filter;  // "label=..." or "name=..." for `docker ps --filter`
  int signal = 9;
  VictimCount count;
  std::string docker = "docker";  // a path, or a name looked up on PATH
  uint64_t seed = 1;
  std::optional<Duration> active_for;  // `for:`, for SLO windows only
  Duration timeout = std::chrono::seconds(30);  // per docker call
};

// The argument vectors, exposed for tests.
std::vector<std::string> ListContainersCommand(const ContainerKillSettings& settings);
std::vector<std::string> KillContainersCommand(const ContainerKillSettings& settings,
                                               const std::vector<std::string>& ids);
// The container ids in `docker ps -q` output (lines of 12 to 64 hex digits).
std::vector<std::string> ParseContainerIds(const std::string& output);

class ContainerKillInjector final : public Injector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  explicit ContainerKillInjector(ContainerKillSettings settings) : settings_(std::move(settings)) {}

  // After Apply, also names the containers signalled.
  std::string Describe() const override;
  std::optional<Duration> ActiveFor() const override { return settings_.active_for; }
  absl::Status Apply() override;
  // Nothing to undo: the restart policy brings the containers back.
  absl::Status Revert() override { return absl::OkStatus(); }
  std::map<std::string, int64_t> Counters() const override;
  std::vector<std::string> Touches() const override;
  std::vector<Need> Needs() const override;

  // The ids of the containers signalled, for the record.
  std::vector<std::string> Killed() const;

 private:
  const ContainerKillSettings settings_;
  mutable absl::Mutex mu_;
  std::vector<std::string> killed_ ABSL_GUARDED_BY(mu_);
  std::atomic<int64_t> containers_matched_{0};
  std::atomic<int64_t> containers_killed_{0};
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_CONTAINER_KILL_H_
