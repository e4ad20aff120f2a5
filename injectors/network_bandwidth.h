// `network-bandwidth`: limits the throughput of an interface (tc tbf, a token
// bucket: needs no netem) or of gRPC calls through the fault proxy.
//
//   - {kind: network-bandwidth, at: 20s, for: 10s, rate: 1mbit, via: proxy}
//   - {kind: network-bandwidth, at: 20s, for: 10s, rate: 1mbit, burst: 32KiB, via: netem, interface: eth0}
#ifndef FAULTDRILL_INJECTORS_NETWORK_BANDWIDTH_H_
#define FAULTDRILL_INJECTORS_NETWORK_BANDWIDTH_H_

#include <cstdint>
#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "injectors/network_fault.h"

namespace faultdrill::injectors {

// tbf drops every packet larger than its burst, so the default burst is
// larger than any packet: loopback's MTU is 64 KiB.
inline constexpr uint64_t kMinDefaultBurstBytes = 80 * 1024;
inline constexpr Duration kDefaultTbfLatency = std::chrono::milliseconds(100);

struct NetworkBandwidth {
  uint64_t bits_per_second = 0;
  uint64_t burst_bytes = 0;              // tbf: bytes that may pass at once
  std::optional<uint64_t> limit_bytes;   // tbf: queue length in bytes; or
  Duration latency = kDefaultTbfLatency; // tbf: the longest a packet may wait (when no limit)
};

// The default burst: 10ms at the rate, at least kMinDefaultBurstBytes.
uint64_t DefaultBurstBytes(uint64_t bits_per_second);
// tbf rate RATE burst BURST (limit LIMIT | latency LATENCY)
QdiscSpec TbfQdisc(const NetworkBandwidth& bandwidth);
// kBandwidth at the rate in bytes per second.
ProxyRule BandwidthProxyRule(const NetworkBandwidth& bandwidth, ProxyRule base);

absl::StatusOr<std::unique_ptr<Injector>> CreateNetworkBandwidth(const FaultSpec& spec, InjectorContext& context);

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_NETWORK_BANDWIDTH_H_
