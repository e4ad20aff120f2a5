// `network-partition`: cuts the target off: every packet of an interface is
// dropped (tc netem loss 100%), or every gRPC call through the fault proxy is
// blackholed (never answered; the client's deadline ends it) or reset.
//
//   - {kind: network-partition, at: 20s, for: 5s, via: proxy}
//   - {kind: network-partition, at: 20s, for: 5s, via: netem, interface: eth0}
#ifndef FAULTDRILL_INJECTORS_NETWORK_PARTITION_H_
#define FAULTDRILL_INJECTORS_NETWORK_PARTITION_H_

#include <memory>

#include "absl/status/statusor.h"
#include "injectors/network_fault.h"

namespace faultdrill::injectors {

// netem loss 100%
QdiscSpec NetemPartitionQdisc();
// `as` (blackhole or reset) on every matching call.
ProxyRule PartitionProxyRule(ProxyRule::Action as, ProxyRule base);

absl::StatusOr<std::unique_ptr<Injector>> CreateNetworkPartition(const FaultSpec& spec, InjectorContext& context);

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_NETWORK_PARTITION_H_
