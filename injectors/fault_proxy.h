// The gRPC-aware fault proxy: a separate process (faultdrill-proxy) that
// faultdrill starts between the load driver and the target when a scenario
// has a fault with `via: proxy`. It passes every call through until told
// otherwise; faults install rules (per method, per fraction of calls) and
// remove them on revert. Works without privileges.
//
// CONTRACT (written by the lead; implemented in fault_proxy.cc and the
// faultdrill-proxy binary). The runner calls ScenarioUsesProxy, then
// FaultProxy::Start with the target's endpoint, sends the load to endpoint(),
// and hands the proxy to injectors through RunState::set_proxy.
#ifndef FAULTDRILL_INJECTORS_FAULT_PROXY_H_
#define FAULTDRILL_INJECTORS_FAULT_PROXY_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "core/duration.h"
#include "core/journal.h"
#include "core/scenario.h"

namespace faultdrill::injectors {

// One fault the proxy applies to matching calls.
struct ProxyRule {
  enum class Action {
    kDelay,      // hold the call for delay ± jitter before passing it on
    kAbort,      // answer with `status` (a gRPC status code) and `message`, never reach the target
    kDeadline,   // hold the call until the client's deadline has passed (DEADLINE_EXCEEDED)
    kReset,      // reset the client's TCP connection
    kBlackhole,  // never answer (the client's deadline ends it)
    kBandwidth,  // limit the bytes per second in both directions
    kCorrupt,    // flip `flips` random bits in the response payload
  };
  Action action = Action::kDelay;
  // Short ("ModelInfer") or full ("/inference.GRPCInferenceService/ModelInfer")
  // method name; empty: every method.
  std::string method;
  double fraction = 1.0;  // of the matching calls, chosen at random (seeded)
  Duration delay{0};
  Duration jitter{0};
  int status = 14;  // kAbort: a grpc::StatusCode, UNAVAILABLE by default
  std::string message;
  double bytes_per_second = 0;  // kBandwidth
  int flips = 1;                // kCorrupt
  uint64_t seed = 1;
};

// The binary details (grpc-status-details-bin) of every status the proxy
// answers itself (abort, deadline), so that a client tells the proxy's
// injected errors from the target's own: poison-inputs does not count them as
// the target's answers. Statuses passed on from the target keep their details.
inline constexpr char kProxyInjectedDetails[] = "faultdrill-proxy: injected";

// What the proxy did for one rule.
struct ProxyRuleStats {
  int64_t matched = 0;   // calls the rule applied to (requests affected)
  int64_t passed = 0;    // calls that matched the method but fell outside the fraction
};

class FaultProxy {
 public:
  // Starts faultdrill-proxy on a free 127.0.0.1 port in front of `upstream`
  // ("host:port"), journals how to stop it, and waits until it accepts calls.
  // `work_dir`: where its log goes (proxy.log).
  static absl::StatusOr<std::unique_ptr<FaultProxy>> Start(const std::string& upstream, const std::string& work_dir,
                                                           Journal& journal);
  virtual ~FaultProxy() = default;

  // "127.0.0.1:PORT": where the load driver sends its calls.
  virtual std::string endpoint() const = 0;
  // Installs (or replaces) the rule called `id` (the fault's name).
  virtual absl::Status SetRule(const std::string& id, const ProxyRule& rule) = 0;
  // Removes it; OK when there is none.
  virtual absl::Status ClearRule(const std::string& id) = 0;
  virtual absl::StatusOr<ProxyRuleStats> Stats(const std::string& id) = 0;
};

// Whether any fault of `scenario` has `via: proxy` (or is a proxy-only kind).
bool ScenarioUsesProxy(const Scenario& scenario);

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_FAULT_PROXY_H_
