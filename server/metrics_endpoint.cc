#include "server/metrics_endpoint.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <thread>

#include "prometheus/exposer.h"
#include "server/strings.h"

namespace faultdrill::server {
namespace {

// One connection to host:port, closed at once (a wildcard host means this machine).
void Knock(const std::string& host, int port) {
  const std::string target = host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "::1" : host;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* addresses = nullptr;
  if (::getaddrinfo(target.c_str(), std::to_string(port).c_str(), &hints, &addresses) != 0) return;
  const int fd = ::socket(addresses->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd >= 0) {
    ::connect(fd, addresses->ai_addr, addresses->ai_addrlen);
    ::close(fd);
  }
  ::freeaddrinfo(addresses);
}

}  // namespace

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    const std::string& host, int port, std::shared_ptr<prometheus::Collectable> metrics) {
  const bool bare_ipv6 = host.find(':') != std::string::npos && host.front() != '[';
  const std::string address = bare_ipv6 ? Cat("[", host, "]:", port) : Cat(host, ":", port);
  auto endpoint = std::unique_ptr<MetricsEndpoint>(new MetricsEndpoint());
  try {  // civetweb reports a failed bind by throwing from the Exposer's constructor
    endpoint->exposer_ = std::make_unique<prometheus::Exposer>(address, /*num_threads=*/2);
  } catch (const std::exception& e) {
    return absl::UnavailableError(Cat("cannot serve metrics on ", address, ": ", e.what()));
  }
  const std::vector<int> ports = endpoint->exposer_->GetListeningPorts();
  if (ports.empty() || ports.front() <= 0) {
    return absl::UnavailableError(Cat("cannot serve metrics on ", address, ": no listening port"));
  }
  endpoint->host_ = host;
  endpoint->port_ = ports.front();
  endpoint->metrics_ = std::move(metrics);
  endpoint->exposer_->RegisterCollectable(endpoint->metrics_);
  return endpoint;
}

MetricsEndpoint::~MetricsEndpoint() {
  if (exposer_ == nullptr) return;
  // civetweb's listener polls in 2-second quanta and notices that it should
  // stop only when woken; connecting wakes it, so stopping takes milliseconds
  // rather than up to 2 s of the server's shutdown.
  std::atomic<bool> stopped{false};
  std::thread knocker([&] {
    while (!stopped.load()) {
      Knock(host_, port_);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  exposer_.reset();
  stopped.store(true);
  knocker.join();
}

}  // namespace faultdrill::server
