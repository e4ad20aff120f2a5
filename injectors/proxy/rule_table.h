// The rules faultdrill-proxy applies, and the decision for one call: which
// rules select it and what they add up to. Pure logic (no gRPC), so the
// matching and fraction rules are tested without a proxy.
//
// How rules combine: each rule decides on its own (its method filter, its own
// seeded draw against its fraction), in the order the rules were first set.
// The effects of every rule that selects a call add up: delays (with their
// jitter) are summed; bandwidth limits all apply, so the slowest one governs;
// corruptions all apply, their flips summed. Of the ending actions (abort,
// deadline, reset, blackhole) the first selected one wins, after the delays;
// a later ending action that is shadowed by it does not count the call.
#ifndef FAULTDRILL_INJECTORS_PROXY_RULE_TABLE_H_
#define FAULTDRILL_INJECTORS_PROXY_RULE_TABLE_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "injectors/fault_proxy.h"

namespace faultdrill::injectors::proxy {

using SteadyTime = std::chrono::steady_clock::time_point;

// Whether `filter` (a rule's method: empty, short "ModelInfer" or full
// "/inference.GRPCInferenceService/ModelInfer") selects the call `full_method`.
bool MethodMatches(std::string_view filter, std::string_view full_method);

// Whether the action ends the call instead of passing it on.
bool EndsCall(ProxyRule::Action action);

// One bandwidth-limited link, shared by every call its rule selects, so the
// limit holds for all of them together. Thread-safe.
class Pacer {
 public:
  explicit Pacer(double bytes_per_second) : bytes_per_second_(bytes_per_second) {}

  // Puts `bytes` on the link at `now` (after what is already on it) and
  // returns when they will have crossed it.
  SteadyTime Reserve(size_t bytes, SteadyTime now);

 private:
  const double bytes_per_second_;
  absl::Mutex mu_;
  SteadyTime free_at_ ABSL_GUARDED_BY(mu_);
};

// What the proxy does with one call, decided when it arrives.
struct CallPlan {
  Duration delay{0};  // before anything else
  // The ending action, if a rule selected one; nullopt: pass the call on.
  std::optional<ProxyRule::Action> ending;
  int status = 14;  // kAbort
  std::string message;
  std::vector<std::shared_ptr<Pacer>> pacers;  // every message waits for all of them
  int flips = 0;                               // per response message
  uint64_t corrupt_seed = 0;

  bool touches_messages() const { return !pacers.empty() || flips > 0; }
};

// The installed rules, keyed by id, in the order they were first set.
// Thread-safe.
class RuleTable {
 public:
  // Installs `rule` as `id`; a rule already called `id` is replaced in place
  // (its position kept, its counts started again).
  void Set(const std::string& id, const ProxyRule& rule);
  // Removes `id`; its counts stay readable through Stats. Nothing to do when absent.
  void Clear(const std::string& id);
  // The counts of `id` (active, or the last one cleared); nullopt when never set.
  std::optional<ProxyRuleStats> Stats(const std::string& id) const;
  size_t size() const;

  // Decides for one call of `full_method` and counts it in the rules' stats.
  CallPlan Plan(std::string_view full_method);

 private:
  struct Entry {
    std::string id;
    ProxyRule rule;
    std::mt19937_64 random;
    std::shared_ptr<Pacer> pacer;  // kBandwidth
    ProxyRuleStats stats;
  };
  static Entry MakeEntry(const std::string& id, const ProxyRule& rule);

  mutable absl::Mutex mu_;
  std::vector<Entry> rules_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, ProxyRuleStats> cleared_ ABSL_GUARDED_BY(mu_);
};

}  // namespace faultdrill::injectors::proxy

#endif  // FAULTDRILL_INJECTORS_PROXY_RULE_TABLE_H_
