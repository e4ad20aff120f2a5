// The gRPC half of faultdrill-proxy: a generic service that takes every call,
// whatever its method, asks the RuleTable what to do with it, and either ends
// it (abort, deadline, reset, blackhole) or forwards it to the upstream server
// with a generic stub — unary and streaming alike, metadata both ways, the
// client's deadline carried on, the upstream's status (and trailing metadata)
// passed back unchanged — delaying, pacing and corrupting messages on the way
// as the rules say.
#ifndef FAULTDRILL_INJECTORS_PROXY_CALL_FORWARDER_H_
#define FAULTDRILL_INJECTORS_PROXY_CALL_FORWARDER_H_

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/generic/generic_stub.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "injectors/proxy/rule_table.h"
#include "injectors/proxy/tcp_front.h"
#include "injectors/proxy/timer_queue.h"

namespace faultdrill::injectors::proxy {

class CallForwarder final : public grpc::CallbackGenericService {
 public:
  // Forwards to `upstream` ("host:port") over `channels` connections, used in
  // turn. `rules` and `timers` outlive the forwarder and every call.
  CallForwarder(const std::string& upstream, int channels, RuleTable& rules, TimerQueue& timers);

  // The relay that owns the clients' connections, for resets; set once, before
  // calls arrive (it is created after the server, which it connects to).
  void set_front(TcpFront* front) { front_ = front; }

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override;

 private:
  RuleTable& rules_;
  TimerQueue& timers_;
  std::atomic<TcpFront*> front_{nullptr};
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
  std::atomic<size_t> next_stub_{0};
};

}  // namespace faultdrill::injectors::proxy

#endif  // FAULTDRILL_INJECTORS_PROXY_CALL_FORWARDER_H_
