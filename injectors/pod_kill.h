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

class PodKillInjector final : public Injector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  explicit PodKillInjector(PodKillSettings settings) : settings_(std::move(settings)) {}

  // After Apply, also names the pods deleted.
  std::string Describe() const override;
  std::optional<Duration> ActiveFor() const override { return settings_.active_for; }
  absl::Status Apply() override;
  // Nothing to undo: Kubernetes recreates the pods.
  absl::Status Revert() override { return absl::OkStatus(); }
  std::map<std::string, int64_t> Counters() const override;
  std::vector<std::string> Touches() const override;
  std::vector<Need> Needs() const override;

  // The pods deleted ("namespace/name"), for the record.
  std::vector<std::string> Killed() const;

 private:
  const PodKillSettings settings_;
  mutable absl::Mutex mu_;
  std::vector<std::string> killed_ ABSL_GUARDED_BY(mu_);
  std::atomic<int64_t> pods_matched_{0};
  std::atomic<int64_t> pods_killed_{0};
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_POD_KILL_H_
