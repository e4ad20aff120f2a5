// faultdrill-proxy, assembled: the TCP front the clients connect to, the
// gRPC forwarder behind it (on a loopback port of its own), the rules, and
// the control service on a second loopback port.
#ifndef FAULTDRILL_INJECTORS_PROXY_PROXY_SERVER_H_
#define FAULTDRILL_INJECTORS_PROXY_PROXY_SERVER_H_

#include <grpcpp/server.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "core/duration.h"
#include "injectors/proxy/call_forwarder.h"
#include "injectors/proxy/control_service.h"
#include "injectors/proxy/rule_table.h"
#include "injectors/proxy/tcp_front.h"
#include "injectors/proxy/timer_queue.h"

namespace faultdrill::injectors::proxy {

struct ProxyOptions {
  std::string listen_host = "127.0.0.1";
  int listen_port = 0;  // 0: any free port
  std::string control_host = "127.0.0.1";
  int control_port = 0;
  std::string upstream;       // "host:port"
  int upstream_channels = 4;  // connections to the upstream, used in turn
};

class ProxyServer {
 public:
  // Unavailable when a port cannot be bound.
  static absl::StatusOr<std::unique_ptr<ProxyServer>> Start(const ProxyOptions& options);
  ~ProxyServer();
  ProxyServer(const ProxyServer&) = delete;
  ProxyServer& operator=(const ProxyServer&) = delete;

  int listen_port() const { return front_->port(); }
  int control_port() const { return control_port_; }
  RuleTable& rules() { return rules_; }

  // Stops taking connections, lets the calls in flight finish for up to
  // `grace`, cancels the rest and closes every connection. Idempotent.
  void Drain(Duration grace);

 private:
  explicit ProxyServer(const ProxyOptions& options);

  // Declared in the order they may be destroyed last-first: the timers and
  // rules outlive every call.
  RuleTable rules_;
  TimerQueue timers_;
  CallForwarder forwarder_;
  ControlService control_;
  std::unique_ptr<grpc::Server> backend_;
  std::unique_ptr<TcpFront> front_;
  std::unique_ptr<grpc::Server> control_server_;
  int control_port_ = 0;
  bool drained_ = false;
};

}  // namespace faultdrill::injectors::proxy

#endif  // FAULTDRILL_INJECTORS_PROXY_PROXY_SERVER_H_
