#include "injectors/network_loss.h"

#include "absl/strings/str_cat.h"

namespace faultdrill::injectors {

QdiscSpec NetemLossQdisc(const NetworkLoss& loss) {
  QdiscSpec qdisc{{"netem", "loss", TcPercent(loss.loss)}};
  if (loss.correlation > 0) qdisc.args.push_back(TcPercent(loss.correlation));
  return qdisc;
}

ProxyRule LossProxyRule(const NetworkLoss& loss, ProxyRule base) {
  base.action = loss.as;
  base.fraction = loss.loss;
  return base;
}

absl::StatusOr<std::unique_ptr<Injector>> CreateNetworkLoss(const FaultSpec& spec, InjectorContext& context) {
  ParamReader params(spec.params, absl::StrCat("fault '", spec.name, "' (network-loss)"));
  if (absl::Status s = params.CheckKnownKeys({"via", "interface", "netns", "method", "loss", "correlation", "as"});
      !s.ok()) {
    return s;
  }
  auto route = ReadNetworkRoute(params, {"correlation"}, {"as"});
  if (!route.ok()) return route.status();

  NetworkLoss loss;
  auto fraction = params.Percent("loss");
  if (!fraction.ok()) return fraction.status();
  if (*fraction <= 0) return params.Error("loss", "must be greater than 0%");
  loss.loss = *fraction;
  auto correlation = params.Percent("correlation", 0.0);
  if (!correlation.ok()) return correlation.status();
  loss.correlation = *correlation;
  auto as = ReadDropAction(params, "reset");
  if (!as.ok()) return as.status();
  loss.as = *as;

  NetworkFaultSettings settings = BaseNetworkSettings(spec, context.scenario, *route);
  if (route->via == NetworkVia::kNetem) {
    settings.what = absl::StrCat("drop ", TcPercent(loss.loss), " of the packets");
    settings.qdisc = NetemLossQdisc(loss);
  } else {
    settings.what = absl::StrCat(loss.as == ProxyRule::Action::kReset ? "reset " : "blackhole ",
                                 TcPercent(loss.loss), " of the calls");
    settings.rule = LossProxyRule(loss, settings.rule);
  }
  return std::make_unique<NetworkFaultInjector>(std::move(settings), context.run);
}

}  // namespace faultdrill::injectors
