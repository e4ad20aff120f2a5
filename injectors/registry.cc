#include "injectors/registry.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "injectors/process_kill.h"
#include "injectors/process_pause.h"

namespace faultdrill::injectors {

const Registry& Registry::Default() {
  static const Registry* registry = [] {
    auto* r = new Registry();
    r->Register("process-kill", "send a signal (default SIGKILL) to the launched target, optionally restart it",
                &ProcessKillInjector::Create);
    r->Register("process-pause", "SIGSTOP the launched target for a while, then SIGCONT",
                &ProcessPauseInjector::Create);
    return r;
  }();
  return *registry;
}

void Registry::Register(std::string kind, std::string summary, InjectorFactory factory) {
  entries_[std::move(kind)] = Entry{std::move(summary), std::move(factory)};
}

absl::StatusOr<std::unique_ptr<Injector>> Registry::Create(const FaultSpec& spec,
                                                           InjectorContext& context) const {
  auto it = entries_.find(spec.kind);
  if (it == entries_.end()) {
    std::vector<std::string> kinds;
    for (const auto& [kind, entry] : entries_) kinds.push_back(kind);
    return LocatedError(spec.where, absl::StrCat("unknown fault kind '", spec.kind,
                                                 "' (known: ", absl::StrJoin(kinds, ", "), ")"));
  }
  return it->second.factory(spec, context);
}

std::map<std::string, std::string> Registry::Kinds() const {
  std::map<std::string, std::string> kinds;
  for (const auto& [kind, entry] : entries_) kinds[kind] = entry.summary;
  return kinds;
}

}  // namespace faultdrill::injectors
