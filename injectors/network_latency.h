// `network-latency`: adds delay (± jitter) to the traffic of an interface
// (tc netem) or to gRPC calls through the fault proxy.
//
//   - {kind: network-latency, at: 20s, for: 10s, delay: 100ms, jitter: 10ms, via: proxy}
//   - {kind: network-latency, at: 20s, for: 10s, via: netem, interface: eth0,
//      delay: 100ms, jitter: 20ms, distribution: normal, correlation: 25%}
#ifndef FAULTDRILL_INJECTORS_NETWORK_LATENCY_H_
#define FAULTDRILL_INJECTORS_NETWORK_LATENCY_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "injectors/network_fault.h"

namespace faultdrill::injectors {

struct NetworkLatency {
  Duration delay{0};
  Duration jitter{0};
  std::string distribution;  // netem: normal, pareto, paretonormal; empty: uniform
  double correlation = 0;    // netem: of each delay with the previous one (fraction)
  double reorder = 0;        // netem: fraction of packets sent at once, ahead of the delayed ones
  double duplicate = 0;      // netem: fraction of packets sent twice
  double corrupt = 0;        // netem: fraction of packets with one flipped bit
};

// netem delay DELAY [JITTER [CORRELATION]] [distribution D] [reorder P]
// [duplicate P] [corrupt P]
QdiscSpec NetemLatencyQdisc(const NetworkLatency& latency);
// kDelay with delay and jitter.
ProxyRule LatencyProxyRule(const NetworkLatency& latency, ProxyRule base);

absl::StatusOr<std::unique_ptr<Injector>> CreateNetworkLatency(const FaultSpec& spec, InjectorContext& context);

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_NETWORK_LATENCY_H_
