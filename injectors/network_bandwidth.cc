#include "injectors/network_bandwidth.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace faultdrill::injectors {

uint64_t DefaultBurstBytes(uint64_t bits_per_second) {
  return std::max(bits_per_second / 8 / 100, kMinDefaultBurstBytes);
}

QdiscSpec TbfQdisc(const NetworkBandwidth& bandwidth) {
  QdiscSpec qdisc{{"tbf", "rate", TcRate(bandwidth.bits_per_second), "burst", std::to_string(bandwidth.burst_bytes)}};
  if (bandwidth.limit_bytes) {
    qdisc.args.insert(qdisc.args.end(), {"limit", std::to_string(*bandwidth.limit_bytes)});
  } else {
    qdisc.args.insert(qdisc.args.end(), {"latency", TcTime(bandwidth.latency)});
  }
  return qdisc;
}

ProxyRule BandwidthProxyRule(const NetworkBandwidth& bandwidth, ProxyRule base) {
  base.action = ProxyRule::Action::kBandwidth;
  base.fraction = 1.0;
  base.bytes_per_second = static_cast<double>(bandwidth.bits_per_second) / 8;
  return base;
}

absl::StatusOr<std::unique_ptr<Injector>> CreateNetworkBandwidth(const FaultSpec& spec, InjectorContext& context) {
  ParamReader params(spec.params, absl::StrCat("fault '", spec.name, "' (network-bandwidth)"));
  if (absl::Status s =
          params.CheckKnownKeys({"via", "interface", "netns", "method", "rate", "burst", "limit", "latency"});
      !s.ok()) {
    return s;
  }
  auto route = ReadNetworkRoute(params, {"burst", "limit", "latency"}, {});
  if (!route.ok()) return route.status();

  NetworkBandwidth bandwidth;
  auto rate_text = params.String("rate");
  if (!rate_text.ok()) return rate_text.status();
  auto rate = ParseBitRate(*rate_text);
  if (!rate.ok()) return params.Error("rate", std::string(rate.status().message()));
  bandwidth.bits_per_second = *rate;
  auto burst = params.Bytes("burst", DefaultBurstBytes(*rate));
  if (!burst.ok()) return burst.status();
  if (*burst < 1500) return params.Error("burst", "must be at least 1500 bytes (one full-size Ethernet packet)");
  bandwidth.burst_bytes = *burst;
  if (params.Has("limit") && params.Has("latency")) return params.Error("latency", "give `limit` or `latency`, not both");
  if (params.Has("limit")) {
    auto limit = params.Bytes("limit");
    if (!limit.ok()) return limit.status();
    if (*limit == 0) return params.Error("limit", "must be greater than zero");
    bandwidth.limit_bytes = *limit;
  }
  auto latency = params.Dur("latency", kDefaultTbfLatency);
  if (!latency.ok()) return latency.status();
  if (latency->count() <= 0) return params.Error("latency", "must be greater than zero");
  bandwidth.latency = *latency;

  NetworkFaultSettings settings = BaseNetworkSettings(spec, context.scenario, *route);
  settings.what = absl::StrCat("limit the bandwidth to ", TcRate(bandwidth.bits_per_second));
  if (route->via == NetworkVia::kNetem) {
    settings.qdisc = TbfQdisc(bandwidth);
  } else {
    settings.rule = BandwidthProxyRule(bandwidth, settings.rule);
  }
  return std::make_unique<NetworkFaultInjector>(std::move(settings), context.run);
}

}  // namespace faultdrill::injectors
