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
#include "core/scenario.h"
#include "injectors/injector.h"
#include "injectors/target_process.h"

namespace faultdrill::injectors {

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

// What an injector may use. Outlives every injector created with it.
struct InjectorContext {
  const Scenario& scenario;
  Targets& targets;
};

using InjectorFactory =
    std::function<absl::StatusOr<std::unique_ptr<Injector>>(const FaultSpec&, InjectorContext&)>;

class Registry {
 public:
  // The registry with every built-in fault kind.
  static const Registry& Default();

  void Register(std::string kind, std::string summary, InjectorFactory factory);

  // An unknown kind is a located error that lists the known kinds.
  absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context) const;

  // kind -> one-line summary, sorted.
  std::map<std::string, std::string> Kinds() const;

 private:
  struct Entry {
    std::string summary;
    InjectorFactory factory;
  };
  std::map<std::string, Entry> entries_;
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_REGISTRY_H_
