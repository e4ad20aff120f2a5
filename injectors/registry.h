// Maps a scenario's `kind:` to the injector that implements it. Creating an
// injector validates its kind-specific keys (file:line:col errors) and touches
// nothing, so `validate` and `plan` use the same path as `run`.
#ifndef FAULTDRILL_INJECTORS_REGISTRY_H_
#define FAULTDRILL_INJECTORS_REGISTRY_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/journal.h"
#include "core/kind_registry.h"
#include "core/scenario.h"
#include "injectors/injector.h"
#include "injectors/target_process.h"

namespace faultdrill::injectors {

class FaultProxy;

// The processes a run owns. The runner fills it once the target is launched;
// injectors look it up when they apply, not when they are created.
class Targets {
 public:
  // The target faultdrill launched (embedded server or target.launch), or null.
  TargetProcess* launched() const { return launched_; }
  void set_launched(TargetProcess* process) { launched_ = process; }

 private:
  TargetProcess* launched_ = nullptr;
};

// Where a run keeps what its faults leave: the undo journal and a work folder
// (helper logs, libfaketime's timestamp file). The runner sets both before
// the target is launched; until then (validate, plan, unit tests) the journal
// is in memory and the work folder is empty.
class RunState {
 public:
  RunState() : in_memory_(Journal::InMemory()) {}

  Journal& journal() const { return journal_ ? *journal_ : *in_memory_; }
  void set_journal(Journal* journal) { journal_ = journal; }

  // The run's output folder (out/<name>/); the embedded server's weights are
  // in work_dir()/models/. Empty until the run starts.
  const std::string& work_dir() const { return work_dir_; }
  void set_work_dir(std::string dir) { work_dir_ = std::move(dir); }

  // The fault proxy between the load and the target, when the scenario uses
  // one (injectors/fault_proxy.h); null otherwise.
  FaultProxy* proxy() const { return proxy_; }
  void set_proxy(FaultProxy* proxy) { proxy_ = proxy; }

 private:
  std::unique_ptr<Journal> in_memory_;
  Journal* journal_ = nullptr;
  std::string work_dir_;
  FaultProxy* proxy_ = nullptr;
};

// What an injector may use. Outlives every injector created with it.
struct InjectorContext {
  const Scenario& scenario;
  Targets& targets;
  RunState& run;
};

using InjectorRegistryBase = KindRegistry<Injector, FaultSpec, InjectorContext&>;
using InjectorFactory = InjectorRegistryBase::Factory;

// Register(kind, summary, factory); Create(spec, context): an unknown kind is
// a located error that lists the known kinds; Kinds(): kind -> one-line
// summary, sorted.
class Registry : public InjectorRegistryBase {
 public:
  Registry() : InjectorRegistryBase("fault") {}

  // The registry with every built-in fault kind.
  static const Registry& Default();
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_REGISTRY_H_
