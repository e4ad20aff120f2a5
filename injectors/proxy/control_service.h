// The control channel's server side: SetRule / ClearRule / RuleStats / Ping
// on the proxy's RuleTable (proto/fault_proxy.proto).
#ifndef FAULTDRILL_INJECTORS_PROXY_CONTROL_SERVICE_H_
#define FAULTDRILL_INJECTORS_PROXY_CONTROL_SERVICE_H_

#include <atomic>
#include <string>

#include "injectors/proxy/rule_table.h"
#include "proto/fault_proxy.grpc.pb.h"

namespace faultdrill::injectors::proxy {

class ControlService final : public control::FaultProxyControl::Service {
 public:
  ControlService(RuleTable& rules, std::string upstream) : rules_(rules), upstream_(std::move(upstream)) {}
  void set_listen_port(int port) { listen_port_ = port; }

  grpc::Status SetRule(grpc::ServerContext*, const control::SetRuleRequest* request,
                       control::SetRuleResponse*) override;
  grpc::Status ClearRule(grpc::ServerContext*, const control::ClearRuleRequest* request,
                         control::ClearRuleResponse*) override;
  grpc::Status RuleStats(grpc::ServerContext*, const control::RuleStatsRequest* request,
                         control::RuleStatsResponse* response) override;
  grpc::Status Ping(grpc::ServerContext*, const control::PingRequest*, control::PingResponse* response) override;

 private:
  RuleTable& rules_;
  const std::string upstream_;
  std::atomic<int> listen_port_{0};
};

}  // namespace faultdrill::injectors::proxy

#endif  // FAULTDRILL_INJECTORS_PROXY_CONTROL_SERVICE_H_
