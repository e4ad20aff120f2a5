// What the four network fault kinds (network-latency, network-loss,
// network-bandwidth, network-partition) share. Each kind turns its keys into
// a NetworkFaultSettings at load time; one NetworkFaultInjector applies it,
// either of two ways, chosen with `via:`:
//
//   netem  a root qdisc on a named interface (tc; netem, or tbf for
//          bandwidth), optionally inside a network namespace (`netns:`).
//          Needs CAP_NET_ADMIN, tc (iproute2) and, for netem, the kernel
//          module sch_netem. Apply refuses to replace a root qdisc that
//          someone else added, journals `delete-qdisc` before running tc, and
//          Revert deletes the qdisc again.
//   proxy  a rule on the run's gRPC fault proxy (injectors/fault_proxy.h),
//          per method and per fraction of calls; no privileges needed.
//
// `via:` may be left out when `interface:` is given (then it is netem); a
// fault with neither is an error, so that nobody gets a proxy by accident.
#ifndef FAULTDRILL_INJECTORS_NETWORK_FAULT_H_
#define FAULTDRILL_INJECTORS_NETWORK_FAULT_H_

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/param_node.h"
#include "injectors/fault_proxy.h"
#include "injectors/injector.h"
#include "injectors/registry.h"

namespace faultdrill::injectors {

enum class NetworkVia { kNetem, kProxy };

// Where a root qdisc goes.
struct QdiscTarget {
  std::string interface;
  std::string netns;  // a named network namespace (ip netns); empty: faultdrill's own
};

// The words after `tc qdisc add dev DEV root`, e.g. {"netem", "delay", "100ms"}.
struct QdiscSpec {
  std::vector<std::string> args;
  bool uses_netem() const { return !args.empty() && args.front() == "netem"; }
};

// --- tc argument vectors (pure) ---

// tc [-n NETNS] qdisc add dev DEV root ARGS...
std::vector<std::string> TcAddRootQdiscArgv(const QdiscTarget& target, const QdiscSpec& qdisc);
// tc [-n NETNS] qdisc show dev DEV root
std::vector<std::string> TcShowRootQdiscArgv(const QdiscTarget& target);
// tc's spelling of a time ("100ms", "250us": whole microseconds), a fraction
// as a percentage (0.005 -> "0.5%") and a rate in bits per second ("1mbit").
std::string TcTime(Duration d);
std::string TcPercent(double fraction);
std::string TcRate(uint64_t bits_per_second);

// From the output of `tc qdisc show dev DEV root`: the root qdisc someone
// added ("tbf 8001:"), or "" when the interface has the kernel's default
// (handle 0:, e.g. noqueue, pfifo_fast, fq_codel, mq).
std::string AddedRootQdisc(std::string_view tc_show_output);

// "1mbit", "500kbit", "1.5gbit", "100bit" (bits per second, as tc writes
// them), "125kB/s", "1MiB/s" (a size per second) or a bare number (bytes per
// second), as bits per second; greater than zero.
absl::StatusOr<uint64_t> ParseBitRate(std::string_view text);

// --- what the machine has (pure parts take the file contents / folders) ---

// Whether /proc/PID/status text grants CAP_NET_ADMIN (bit 12 of CapEff).
bool StatusHasCapNetAdmin(std::string_view proc_status);
// Whether kernel module `name` is loaded (sys_module/NAME exists) or can be
// loaded or is built in (named in modules_dir/modules.dep or modules.builtin).
bool KernelModuleAvailable(const std::string& name, const std::string& sys_module, const std::string& modules_dir);

Need CapNetAdminNeed();  // this process, /proc/self/status
Need TcNeed();           // tc on PATH
Need NetemModuleNeed();  // /sys/module, /lib/modules/$(uname -r)

// --- settings and the injector ---

struct NetworkFaultSettings {
  std::string name;  // the fault's name; the proxy rule's id
  std::string kind;  // e.g. "network-latency"
  std::string what;  // what it does, for Describe: "add 100ms ± 10ms latency"
  std::optional<Duration> active_for;
  NetworkVia via = NetworkVia::kNetem;
  QdiscTarget target;  // kNetem
  QdiscSpec qdisc;     // kNetem
  ProxyRule rule;      // kProxy
};

// The keys every network fault reads besides its own. Read via/interface/
// netns/method (and reject the keys of the other mode) with ReadNetworkRoute.
struct NetworkRoute {
  NetworkVia via = NetworkVia::kNetem;
  QdiscTarget target;  // kNetem
  std::string method;  // kProxy; empty: every method
};

// Reads `via`, `interface`, `netns` and `method`. `netem_only` and
// `proxy_only` name the kind's keys that only one mode takes: giving one in
// the other mode is a located error.
absl::StatusOr<NetworkRoute> ReadNetworkRoute(const ParamReader& params,
                                              std::initializer_list<std::string_view> netem_only,
                                              std::initializer_list<std::string_view> proxy_only);

// Reads `as:` (proxy only): blackhole or reset, for loss and partition.
absl::StatusOr<ProxyRule::Action> ReadDropAction(const ParamReader& params, std::string_view fallback);

// The common part of a settings object: name, kind, active_for, via, target,
// and the proxy rule's method and seed (from the scenario's seed and the
// fault's name, so that two runs choose the same calls).
NetworkFaultSettings BaseNetworkSettings(const FaultSpec& spec, const Scenario& scenario, const NetworkRoute& route);

class NetworkFaultInjector final : public Injector {
 public:
  NetworkFaultInjector(NetworkFaultSettings settings, RunState& run)
      : settings_(std::move(settings)), run_(run) {}

  const NetworkFaultSettings& settings() const { return settings_; }

  std::string Describe() const override;
  std::optional<Duration> ActiveFor() const override { return settings_.active_for; }
  // netem: refuses (FailedPrecondition) when the interface has a root qdisc
  // someone else added; journals delete-qdisc, then adds the qdisc.
  // proxy: FailedPrecondition when the run has no fault proxy; sets the rule.
  absl::Status Apply() override;
  // netem: deletes the root qdisc it added; proxy: clears the rule.
  absl::Status Revert() override;
  // qdiscs_added (netem); requests_affected (proxy, the rule's matched calls).
  std::map<std::string, int64_t> Counters() const override;
  std::vector<std::string> Touches() const override;
  std::vector<Need> Needs() const override;

 private:
  absl::Status AddQdisc();
  absl::Status SetProxyRule();

  const NetworkFaultSettings settings_;
  RunState& run_;
  std::atomic<bool> qdisc_added_{false};
  std::atomic<bool> rule_set_{false};
  std::atomic<int64_t> qdiscs_added_{0};
  std::atomic<int64_t> requests_affected_{0};
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_NETWORK_FAULT_H_
