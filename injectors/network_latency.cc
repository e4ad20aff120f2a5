#include "injectors/network_latency.h"

#include "absl/strings/str_cat.h"
#include "fmt/format.h"

namespace faultdrill::injectors {

QdiscSpec NetemLatencyQdisc(const NetworkLatency& latency) {
  QdiscSpec qdisc{{"netem", "delay", TcTime(latency.delay)}};
  if (latency.jitter.count() > 0) {
    qdisc.args.push_back(TcTime(latency.jitter));
    if (latency.correlation > 0) qdisc.args.push_back(TcPercent(latency.correlation));
    if (!latency.distribution.empty()) qdisc.args.insert(qdisc.args.end(), {"distribution", latency.distribution});
  }
  if (latency.reorder > 0) qdisc.args.insert(qdisc.args.end(), {"reorder", TcPercent(latency.reorder)});
  if (latency.duplicate > 0) qdisc.args.insert(qdisc.args.end(), {"duplicate", TcPercent(latency.duplicate)});
  if (latency.corrupt > 0) qdisc.args.insert(qdisc.args.end(), {"corrupt", TcPercent(latency.corrupt)});
  return qdisc;
}

ProxyRule LatencyProxyRule(const NetworkLatency& latency, ProxyRule base) {
  base.action = ProxyRule::Action::kDelay;
  base.fraction = 1.0;
  base.delay = latency.delay;
  base.jitter = latency.jitter;
  return base;
}

absl::StatusOr<std::unique_ptr<Injector>> CreateNetworkLatency(const FaultSpec& spec, InjectorContext& context) {
  ParamReader params(spec.params, absl::StrCat("fault '", spec.name, "' (network-latency)"));
  if (absl::Status s = params.CheckKnownKeys({"via", "interface", "netns", "method", "delay", "jitter",
                                              "distribution", "correlation", "reorder", "duplicate", "corrupt"});
      !s.ok()) {
    return s;
  }
  auto route = ReadNetworkRoute(params, {"distribution", "correlation", "reorder", "duplicate", "corrupt"}, {});
  if (!route.ok()) return route.status();

  NetworkLatency latency;
  auto delay = params.Dur("delay");
  if (!delay.ok()) return delay.status();
  if (delay->count() <= 0) return params.Error("delay", "must be greater than zero");
  latency.delay = *delay;
  auto jitter = params.Dur("jitter", Duration(0));
  if (!jitter.ok()) return jitter.status();
  if (*jitter > *delay) return params.Error("jitter", "must not be greater than `delay`");
  latency.jitter = *jitter;
  auto distribution = params.Choice("distribution", {"uniform", "normal", "pareto", "paretonormal"}, "uniform");
  if (!distribution.ok()) return distribution.status();
  latency.distribution = *distribution == "uniform" ? "" : *distribution;
  auto correlation = params.Percent("correlation", 0.0);
  if (!correlation.ok()) return correlation.status();
  latency.correlation = *correlation;
  for (std::string_view key : {"distribution", "correlation"}) {
    if (params.Has(key) && latency.jitter.count() == 0) return params.Error(key, "needs `jitter`");
  }
  for (auto [key, field] : {std::pair{"reorder", &latency.reorder}, std::pair{"duplicate", &latency.duplicate},
                            std::pair{"corrupt", &latency.corrupt}}) {
    auto value = params.Percent(key, 0.0);
    if (!value.ok()) return value.status();
    *field = *value;
  }

  NetworkFaultSettings settings = BaseNetworkSettings(spec, context.scenario, *route);
  settings.what = absl::StrCat("add ", FormatDuration(latency.delay), " latency");
  if (latency.jitter.count() > 0) {
    settings.what = fmt::format("add {} ± {} latency", FormatDuration(latency.delay), FormatDuration(latency.jitter));
    if (!latency.distribution.empty()) absl::StrAppend(&settings.what, " (", latency.distribution, ")");
  }
  if (route->via == NetworkVia::kNetem) {
    settings.qdisc = NetemLatencyQdisc(latency);
  } else {
    settings.rule = LatencyProxyRule(latency, settings.rule);
  }
  return std::make_unique<NetworkFaultInjector>(std::move(settings), context.run);
}

}  // namespace faultdrill::injectors
