// A table of kinds ("process-kill", "health") to a one-line summary and a
// factory: the shared core of the fault registry (injectors/registry.h) and
// the probe registry (probes/registry.h).
//
// `Spec` has `kind` (std::string) and `where` (SourceLocation); `Context` is
// passed to the factory as it is (a reference type for a context object).
// Registration happens once, before any Create; after that the registry is
// read-only and safe to use from any thread.
#ifndef FAULTDRILL_CORE_KIND_REGISTRY_H_
#define FAULTDRILL_CORE_KIND_REGISTRY_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/source_location.h"

namespace faultdrill {

template <typename Product, typename Spec, typename Context>
class KindRegistry {
 public:
  using Factory = std::function<absl::StatusOr<std::unique_ptr<Product>>(const Spec&, Context)>;

  // `noun` names the kinds in errors: "fault" -> "unknown fault kind 'x'".
  explicit KindRegistry(std::string noun) : noun_(std::move(noun)) {}

  void Register(std::string kind, std::string summary, Factory factory) {
    entries_[std::move(kind)] = Entry{std::move(summary), std::move(factory)};
  }

  // An unknown kind is a located error (spec.where) that lists the known kinds.
  absl::StatusOr<std::unique_ptr<Product>> Create(const Spec& spec, Context context) const {
    auto it = entries_.find(spec.kind);
    if (it == entries_.end()) {
      std::vector<std::string> kinds;
      for (const auto& [kind, entry] : entries_) kinds.push_back(kind);
      return LocatedError(spec.where, absl::StrCat("unknown ", noun_, " kind '", spec.kind, "' (known: ",
                                                   absl::StrJoin(kinds, ", "), ")"));
    }
    return it->second.factory(spec, context);
  }

  // kind -> one-line summary, sorted.
  std::map<std::string, std::string> Kinds() const {
    std::map<std::string, std::string> kinds;
    for (const auto& [kind, entry] : entries_) kinds[kind] = entry.summary;
    return kinds;
  }

 private:
  struct Entry {
    std::string summary;
    Factory factory;
  };
  std::string noun_;
  std::map<std::string, Entry> entries_;
};

}  // namespace faultdrill

#endif  // FAULTDRILL_CORE_KIND_REGISTRY_H_
