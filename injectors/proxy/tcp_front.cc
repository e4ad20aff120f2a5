#include "injectors/proxy/tcp_front.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace faultdrill::injectors::proxy {

namespace {

void NoDelay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int LocalPort(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof(address);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  return ntohs(address.sin_port);
}

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t wrote = ::send(fd, data, size, MSG_NOSIGNAL);
    if (wrote < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += wrote;
    size -= static_cast<size_t>(wrote);
  }
  return true;
}

int ConnectLoopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return -1;
  }
  NoDelay(fd);
  return fd;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TcpFront>> TcpFront::Listen(const std::string& host, int port, int backend_port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("'", host, "' is not an IPv4 address"));
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || ::listen(fd, 128) != 0) {
    std::string error = std::strerror(errno);
    ::close(fd);
    return absl::UnavailableError(absl::StrCat("cannot listen on ", host, ":", port, ": ", error));
  }
  std::unique_ptr<TcpFront> front(new TcpFront(fd, LocalPort(fd), backend_port));
  front->acceptor_ = std::thread([front = front.get()] { front->AcceptLoop(); });
  return front;
}

TcpFront::~TcpFront() {
  StopAccepting();
  absl::MutexLock lock(&mu_);
  for (const auto& [key, connection] : connections_) {
    ::shutdown(connection->client_fd, SHUT_RDWR);
    ::shutdown(connection->backend_fd, SHUT_RDWR);
  }
  auto done = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return running_relays_ == 0; };
  mu_.Await(absl::Condition(&done));
  ::close(listen_fd_);
}

void TcpFront::StopAccepting() {
  if (accepting_.exchange(false)) {
    ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
  }
  if (acceptor_.joinable() && acceptor_.get_id() != std::this_thread::get_id()) acceptor_.join();
}

bool TcpFront::WaitForRelays(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto done = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return running_relays_ == 0; };
  return mu_.AwaitWithTimeout(absl::Condition(&done), timeout);
}

int TcpFront::open_connections() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(connections_.size());
}

bool TcpFront::Reset(int backend_side_port) {
  absl::MutexLock lock(&mu_);
  auto it = connections_.find(backend_side_port);
  if (it == connections_.end()) return false;
  it->second->reset = true;
  // Wakes the relay without sending the client anything: it then closes the
  // client socket with SO_LINGER 0, which is what sends the RST.
  ::shutdown(it->second->backend_fd, SHUT_RDWR);
  ::shutdown(it->second->client_fd, SHUT_RD);
  return true;
}

void TcpFront::AcceptLoop() {
  while (accepting_) {
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (!accepting_) return;
      // Out of descriptors or similar: wait a little rather than spin.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    NoDelay(client);
    const int backend = ConnectLoopback(backend_port_);
    if (backend < 0) {
      ::close(client);
      continue;
    }
    auto connection = std::make_shared<Connection>();
    connection->client_fd = client;
    connection->backend_fd = backend;
    const int key = LocalPort(backend);
    {
      absl::MutexLock lock(&mu_);
      connections_[key] = connection;
      ++running_relays_;
    }
    std::thread([this, connection, key] { Relay(connection, key); }).detach();
  }
}

void TcpFront::Relay(std::shared_ptr<Connection> connection, int key) {
  std::array<char, 64 * 1024> buffer;
  const int fds[2] = {connection->client_fd, connection->backend_fd};
  bool open[2] = {true, true};  // still reading from that side
  while ((open[0] || open[1]) && !connection->reset) {
    pollfd polled[2] = {{open[0] ? fds[0] : -1, POLLIN, 0}, {open[1] ? fds[1] : -1, POLLIN, 0}};
    if (::poll(polled, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    bool failed = false;
    for (int from = 0; from < 2 && !failed; ++from) {
      if (!open[from] || polled[from].revents == 0) continue;
      const int to = 1 - from;
      const ssize_t got = ::read(fds[from], buffer.data(), buffer.size());
      if (connection->reset) break;
      if (got > 0) {
        failed = !WriteAll(fds[to], buffer.data(), static_cast<size_t>(got));
      } else if (got == 0) {
        ::shutdown(fds[to], SHUT_WR);  // pass the half-close on
        open[from] = false;
      } else if (errno != EINTR && errno != EAGAIN) {
        failed = true;
      }
    }
    if (failed) break;
  }
  absl::MutexLock lock(&mu_);
  connections_.erase(key);
  if (connection->reset) {
    linger abort{.l_onoff = 1, .l_linger = 0};
    ::setsockopt(connection->client_fd, SOL_SOCKET, SO_LINGER, &abort, sizeof(abort));
  }
  ::close(connection->client_fd);
  ::close(connection->backend_fd);
  --running_relays_;
}

}  // namespace faultdrill::injectors::proxy
