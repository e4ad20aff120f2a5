#include "injectors/proxy/proxy_server.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"

namespace faultdrill::injectors::proxy {

ProxyServer::ProxyServer(const ProxyOptions& options)
    : forwarder_(options.upstream, options.upstream_channels, rules_, timers_), control_(rules_, options.upstream) {}

absl::StatusOr<std::unique_ptr<ProxyServer>> ProxyServer::Start(const ProxyOptions& options) {
  std::unique_ptr<ProxyServer> server(new ProxyServer(options));

  int backend_port = 0;
  grpc::ServerBuilder backend;
  backend.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &backend_port);
  backend.RegisterCallbackGenericService(&server->forwarder_);
  backend.SetMaxReceiveMessageSize(-1);
  backend.SetMaxSendMessageSize(-1);
  server->backend_ = backend.BuildAndStart();
  if (server->backend_ == nullptr || backend_port == 0) {
    return absl::UnavailableError("cannot start the proxy's gRPC server on 127.0.0.1");
  }

  auto front = TcpFront::Listen(options.listen_host, options.listen_port, backend_port);
  if (!front.ok()) return front.status();
  server->front_ = std::move(*front);
  server->forwarder_.set_front(server->front_.get());
  server->control_.set_listen_port(server->front_->port());

  grpc::ServerBuilder control;
  const std::string control_address = absl::StrCat(options.control_host, ":", options.control_port);
  control.AddListeningPort(control_address, grpc::InsecureServerCredentials(), &server->control_port_);
  control.RegisterService(&server->control_);
  server->control_server_ = control.BuildAndStart();
  if (server->control_server_ == nullptr || server->control_port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", control_address, " for the control channel"));
  }
  return server;
}

ProxyServer::~ProxyServer() { Drain(Duration(0)); }

void ProxyServer::Drain(Duration grace) {
  if (drained_) return;
  drained_ = true;
  if (front_) front_->StopAccepting();
  if (backend_) backend_->Shutdown(std::chrono::system_clock::now() + grace);
  // The backend has answered or cancelled every call and closes its side of
  // each relay; the last answers are still on their way through the front.
  if (front_) front_->WaitForRelays(absl::Seconds(1));
  front_.reset();
  if (control_server_) control_server_->Shutdown(std::chrono::system_clock::now());
}

}  // namespace faultdrill::injectors::proxy
