// Serves a Collectable (ServerMetrics) in the Prometheus text format at
// http://HOST:PORT/metrics with prometheus-cpp's Exposer (civetweb, two
// threads of its own), from Start until destroyed.
#ifndef FAULTDRILL_SERVER_METRICS_ENDPOINT_H_
#define FAULTDRILL_SERVER_METRICS_ENDPOINT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace prometheus {
class Collectable;
class Exposer;
}  // namespace prometheus

namespace faultdrill::server {

class MetricsEndpoint {
 public:
  // Listens on `host`:`port` (0: an ephemeral port). Unavailable when the
  // address cannot be bound.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      const std::string& host, int port, std::shared_ptr<prometheus::Collectable> metrics);
  ~MetricsEndpoint();  // stops serving; in-flight scrapes finish first
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

  int port() const { return port_; }

 private:
  MetricsEndpoint() = default;

  std::shared_ptr<prometheus::Collectable> metrics_;  // the Exposer holds only a weak_ptr
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::string host_;
  int port_ = 0;
};

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_METRICS_ENDPOINT_H_
