#include "injectors/network_partition.h"

#include "absl/strings/str_cat.h"

namespace faultdrill::injectors {

QdiscSpec NetemPartitionQdisc() { return QdiscSpec{{"netem", "loss", "100%"}}; }

ProxyRule PartitionProxyRule(ProxyRule::Action as, ProxyRule base) {
  base.action = as;
  base.fraction = 1.0;
  return base;
}

absl::StatusOr<std::unique_ptr<Injector>> CreateNetworkPartition(const FaultSpec& spec, InjectorContext& context) {
  ParamReader params(spec.params, absl::StrCat("fault '", spec.name, "' (network-partition)"));
  if (absl::Status s = params.CheckKnownKeys({"via", "interface", "netns", "method", "as"}); !s.ok()) return s;
  auto route = ReadNetworkRoute(params, {}, {"as"});
  if (!route.ok()) return route.status();
  auto as = ReadDropAction(params, "blackhole");
  if (!as.ok()) return as.status();

  NetworkFaultSettings settings = BaseNetworkSettings(spec, context.scenario, *route);
  if (route->via == NetworkVia::kNetem) {
    settings.what = "drop every packet";
    settings.qdisc = NetemPartitionQdisc();
  } else {
    settings.what = *as == ProxyRule::Action::kReset ? "reset every call" : "blackhole every call";
    settings.rule = PartitionProxyRule(*as, settings.rule);
  }
  return std::make_unique<NetworkFaultInjector>(std::move(settings), context.run);
}

}  // namespace faultdrill::injectors
