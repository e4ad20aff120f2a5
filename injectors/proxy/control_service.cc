#include "injectors/proxy/control_service.h"

#include <iostream>

#include "injectors/proxy/rule_codec.h"

namespace faultdrill::injectors::proxy {

namespace {

const char* ActionName(ProxyRule::Action action) {
  switch (action) {
    case ProxyRule::Action::kDelay: return "delay";
    case ProxyRule::Action::kAbort: return "abort";
    case ProxyRule::Action::kDeadline: return "deadline";
    case ProxyRule::Action::kReset: return "reset";
    case ProxyRule::Action::kBlackhole: return "blackhole";
    case ProxyRule::Action::kBandwidth: return "bandwidth";
    case ProxyRule::Action::kCorrupt: return "corrupt";
  }
  return "?";
}

}  // namespace

grpc::Status ControlService::SetRule(grpc::ServerContext*, const control::SetRuleRequest* request,
                                     control::SetRuleResponse*) {
  if (request->id().empty()) return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "a rule needs an id");
  absl::StatusOr<ProxyRule> rule = RuleFromProto(request->rule());
  if (!rule.ok()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::string(rule.status().message()));
  }
  rules_.Set(request->id(), *rule);
  std::cerr << "rule set: " << request->id() << " (" << ActionName(rule->action) << ", method '"
            << rule->method << "', fraction " << rule->fraction << ")" << std::endl;
  return grpc::Status::OK;
}

grpc::Status ControlService::ClearRule(grpc::ServerContext*, const control::ClearRuleRequest* request,
                                       control::ClearRuleResponse*) {
  rules_.Clear(request->id());
  std::cerr << "rule cleared: " << request->id() << std::endl;
  return grpc::Status::OK;
}

grpc::Status ControlService::RuleStats(grpc::ServerContext*, const control::RuleStatsRequest* request,
                                       control::RuleStatsResponse* response) {
  std::optional<ProxyRuleStats> stats = rules_.Stats(request->id());
  if (!stats) return grpc::Status(grpc::StatusCode::NOT_FOUND, "no rule '" + request->id() + "'");
  response->set_matched(stats->matched);
  response->set_passed(stats->passed);
  return grpc::Status::OK;
}

grpc::Status ControlService::Ping(grpc::ServerContext*, const control::PingRequest*,
                                  control::PingResponse* response) {
  response->set_listen_port(listen_port_);
  response->set_upstream(upstream_);
  return grpc::Status::OK;
}

}  // namespace faultdrill::injectors::proxy
