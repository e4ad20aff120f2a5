// Maps a probe's `kind:` to the code that builds it. Creating a probe
// validates its kind-specific keys (file:line:col errors) and touches
// nothing, so `validate` and `plan` use the same path as `run`: what a probe
// needs from the run (the target's endpoint, the launched process) is asked
// through ProbeContext when it checks, not when it is built.
#ifndef FAULTDRILL_PROBES_REGISTRY_H_
#define FAULTDRILL_PROBES_REGISTRY_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/kind_registry.h"
#include "core/scenario.h"
#include "probes/probe.h"

namespace faultdrill::probes {

// What probes may ask of the run. The runner fills it before the first
// check; every function may be called from any thread and returns "not yet"
// (empty / nullopt) before the target is up.
struct ProbeContext {
  const Scenario& scenario;
  // The target's endpoint ("host:port"), empty before the target is up.
  std::function<std::string()> target_endpoint = [] { return std::string(); };
  // The embedded reference server's metrics URL ("http://127.0.0.1:PORT/metrics"),
  // empty when the target exposes none.
  std::function<std::string()> target_metrics_url = [] { return std::string(); };
  // The pid of the process faultdrill launched (embedded server or
  // target.launch), if one is running now; it changes when a fault restarts it.
  std::function<std::optional<int>()> launched_pid = [] { return std::optional<int>(); };
  // The file the launched target's stdout and stderr go to, empty when none.
  std::function<std::string()> launched_log = [] { return std::string(); };
};

// Creates a probe of one kind from its spec: validates every key (located
// errors) and touches nothing until the probe's first Check.
using ProbeRegistryBase = KindRegistry<Probe, ProbeSpec, const ProbeContext&>;
using ProbeFactory = ProbeRegistryBase::Factory;

// Register(kind, summary, factory); Create(spec, context): an unknown kind is
// a located error that lists the known kinds, and the context must outlive
// the probe; Kinds(): kind -> one-line summary, sorted.
class Registry : public ProbeRegistryBase {
 public:
  Registry() : ProbeRegistryBase("probe") {}

  // The registry with every built-in probe kind.
  static const Registry& Default();
};

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_REGISTRY_H_
