// `network-loss`: drops a fraction of the packets of an interface (tc netem
// loss) or, through the fault proxy, resets (or blackholes) that fraction of
// gRPC calls.
//
//   - {kind: network-loss, at: 20s, for: 10s, loss: 5%, via: proxy, as: reset}
//   - {kind: network-loss, at: 20s, for: 10s, loss: 5%, correlation: 25%, via: netem, interface: eth0}
#ifndef FAULTDRILL_INJECTORS_NETWORK_LOSS_H_
#define FAULTDRILL_INJECTORS_NETWORK_LOSS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "injectors/network_fault.h"

namespace faultdrill::injectors {

struct NetworkLoss {
  double loss = 0;         // fraction of packets (netem) or calls (proxy)
  double correlation = 0;  // netem: of each loss decision with the previous one
  ProxyRule::Action as = ProxyRule::Action::kReset;  // proxy: what a lost call sees
};

// netem loss LOSS [CORRELATION]
QdiscSpec NetemLossQdisc(const NetworkLoss& loss);
// `as` (reset or blackhole) on fraction `loss` of the calls.
ProxyRule LossProxyRule(const NetworkLoss& loss, ProxyRule base);

absl::StatusOr<std::unique_ptr<Injector>> CreateNetworkLoss(const FaultSpec& spec, InjectorContext& context);

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_NETWORK_LOSS_H_
