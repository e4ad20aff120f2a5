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

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "injectors/registry.h"
#include "injectors/victim_choice.h"
#include "injectors/victim_kill.h"

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

class ContainerKillInjector final : public VictimKillInjector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  // Counters: containers_matched, containers_killed. Killed: the ids of the
  // containers signalled.
  explicit ContainerKillInjector(ContainerKillSettings settings);

  // After Apply, also names the containers signalled.
  std::string Describe() const override;
  std::vector<std::string> Touches() const override;

 private:
  std::vector<std::string> ListCommand() const override { return ListContainersCommand(settings_); }
  absl::StatusOr<std::vector<std::string>> Candidates(const std::string& output) const override {
    return ParseContainerIds(output);
  }
  std::string Selection() const override { return settings_.filter; }
  std::vector<std::string> KillCommand(const std::vector<std::string>& ids) const override {
    return KillContainersCommand(settings_, ids);
  }

  const ContainerKillSettings settings_;
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_CONTAINER_KILL_H_
