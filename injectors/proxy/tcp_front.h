// The proxy's front door: a plain TCP relay between the clients and the
// proxy's own gRPC server, so that a fault can do to a client's connection
// what a broken network does — reset it (RST, not a polite close).
//
// Each accepted client connection gets a connection of its own to the gRPC
// server (`backend`) and a thread that copies bytes both ways. The gRPC
// server sees that connection's local port as the call's peer, which is how
// Reset finds the client connection behind a call.
#ifndef FAULTDRILL_INJECTORS_PROXY_TCP_FRONT_H_
#define FAULTDRILL_INJECTORS_PROXY_TCP_FRONT_H_

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace faultdrill::injectors::proxy {

class TcpFront {
 public:
  // Listens on host:port (port 0: any free one) and relays every connection
  // to 127.0.0.1:backend_port.
  static absl::StatusOr<std::unique_ptr<TcpFront>> Listen(const std::string& host, int port, int backend_port);

  // Stops accepting and closes every connection.
  ~TcpFront();
  TcpFront(const TcpFront&) = delete;
  TcpFront& operator=(const TcpFront&) = delete;

  int port() const { return port_; }

  // Resets the client connection whose relay to the backend has local port
  // `backend_side_port` (the gRPC peer's port): the client gets a TCP RST, the
  // backend a close. False when there is no such connection.
  bool Reset(int backend_side_port);

  // Stops accepting new connections; those open keep running (draining).
  void StopAccepting();

  // Waits until every relay has ended (both sides closed) or `timeout` passes;
  // true when none runs. After the backend has shut down, this lets the last
  // answers reach their clients before the destructor cuts what is left.
  bool WaitForRelays(absl::Duration timeout);

  int open_connections() const;

 private:
  struct Connection {
    int client_fd = -1;
    int backend_fd = -1;
    std::atomic<bool> reset{false};
  };

  TcpFront(int listen_fd, int port, int backend_port)
      : listen_fd_(listen_fd), port_(port), backend_port_(backend_port) {}
  void AcceptLoop();
  void Relay(std::shared_ptr<Connection> connection, int key);

  const int listen_fd_;
  const int port_;
  const int backend_port_;
  std::atomic<bool> accepting_{true};
  std::thread acceptor_;

  mutable absl::Mutex mu_;
  // By the local port of the connection to the backend.
  std::map<int, std::shared_ptr<Connection>> connections_ ABSL_GUARDED_BY(mu_);
  int running_relays_ ABSL_GUARDED_BY(mu_) = 0;  // detached threads, waited for on destruction
};

}  // namespace faultdrill::injectors::proxy

#endif  // FAULTDRILL_INJECTORS_PROXY_TCP_FRONT_H_
