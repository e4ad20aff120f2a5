// `pod-kill`: deletes Kubernetes pods that match a label selector, through
// `kubectl` run with an argument vector (never a shell): first
// `kubectl get pods -n NS -l SELECTOR --field-selector status.phase=Running -o name`,
// then `kubectl delete pod -n NS [--grace-period=N] --wait=false NAME...` for
// `count` of them (chosen with the run's seed). Kubernetes recreates the pods
// of a Deployment or StatefulSet, so there is nothing to undo and nothing is
// journaled.
//
//   - {kind: pod-kill, at: 10s, selector: "app=model-server", namespace: serving, count: 1}
#ifndef FAULTDRILL_INJECTORS_POD_KILL_H_
#define FAULTDRILL_INJECTORS_POD_KILL_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "injectors/registry.h"
#include "injectors/victim_choice.h"
#include "injectors/victim_kill.h"

namespace faultdrill::injectors {

struct PodKillSettings {
  std::string name;
  std::string selector;                  // a label selector, passed to kubectl as is
  std::string pod_namespace = "default";
  std::string context;                   // empty: kubectl's current context
  VictimCount count;
  std::optional<int64_t> grace_period_s;  // nullopt: each pod's own grace period
  std::string kubectl = "kubectl";        // a path, or a name looked up on PATH
  uint64_t seed = 1;
  std::optional<Duration> active_for;     // `for:`, for SLO windows only
  Duration timeout = std::chrono::seconds(30);  // per kubectl call
};

// The argument vectors, exposed for tests.
std::vector<std::string> ListPodsCommand(const PodKillSettings& settings);
std::vector<std::string> DeletePodsCommand(const PodKillSettings& settings, const std::vector<std::string>& pods);
// The pod names in `kubectl get pods -o name` output ("pod/NAME" lines).
std::vector<std::string> ParsePodNames(const std::string& output);

class PodKillInjector final : public VictimKillInjector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  // Counters: pods_matched, pods_killed. Killed: "namespace/name" of each
  // pod deleted.
  explicit PodKillInjector(PodKillSettings settings);

  // After Apply, also names the pods deleted.
  std::string Describe() const override;
  std::vector<std::string> Touches() const override;

 private:
  std::vector<std::string> ListCommand() const override { return ListPodsCommand(settings_); }
  // FailedPrecondition for a name that cannot be a pod's.
  absl::StatusOr<std::vector<std::string>> Candidates(const std::string& output) const override;
  std::string Selection() const override;
  std::vector<std::string> KillCommand(const std::vector<std::string>& pods) const override {
    return DeletePodsCommand(settings_, pods);
  }
  std::string KilledName(const std::string& pod) const override;

  const PodKillSettings settings_;
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_POD_KILL_H_
