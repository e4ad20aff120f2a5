// The reference server's own metrics, in the Prometheus data model
// (prometheus-cpp), served by MetricsEndpoint on --metrics-port:
//
//   faultdrill_requests_total{model,code}         counter: ModelInfer calls answered, by gRPC code
//   name faultdrill_request_errors_total{model,code}   counter: the same, only codes other than OK
//   faultdrill_request_duration_seconds{model}    histogram: from receiving the call to answering
//   it faultdrill_queue_depth                        gauge: requests waiting for an inference
//   worker faultdrill_model_ready{model}                 gauge: 1 when the model is ready, else 0
//   faultdrill_weights_info{model,version,sha256} gauge 1: the weights served now (the SHA-256 of
//                                                 their file's contents); absent while a model has
//                                                 none
//
// `model` is one of the served models, or "_other" for calls naming any other
// model (so clients cannot grow the label set). Every (model, code) series
// exists from the start at 0, so rates are defined before the first error.
// The gauges are read from the server when scraped, never on the request path.
//
// Thread-safe: RecordRequest may be called from any thread while Collect runs
// on the endpoint's threads.
#ifndef FAULTDRILL_SERVER_SERVER_METRICS_H_
#define FAULTDRILL_SERVER_SERVER_METRICS_H_

#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace prometheus {
class Counter;
class Histogram;
class Registry;
}  // namespace prometheus

namespace faultdrill::server {

inline constexpr char kOtherModelLabel[] = "_other";

// What the scrape-time gauges read. Each function is called from the
// endpoint's threads and must be thread-safe.
struct MetricsSources {
  std::vector<std::string> models;  // the served models, in a fixed order
  std::function<size_t()> queue_depth;
  std::function<bool(const std::string& model)> model_ready;
  std::function<std::string(const std::string& model)> weights_sha256;  // "" when it has no weights
  std::string model_version = "1";  // the `version` label of weights_info
};

class ServerMetrics final : public prometheus::Collectable {
 public:
  explicit ServerMetrics(MetricsSources sources);
  ~ServerMetrics() override;
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // The handle RecordRequest takes for a model name: cheap (compares with the
  // few served names), so the request path does no map lookups or string building.
  int ModelIndex(std::string_view model) const;

  // Counts one answered ModelInfer call.
  void RecordRequest(int model_index, absl::StatusCode code, absl::Duration took);

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  static constexpr int kCodes = 17;  // gRPC status codes 0..16
  // Pre-resolved handles of one model's series (owned by registry_).
  struct ModelSeries {
    std::array<prometheus::Counter*, kCodes> requests{};
    std::array<prometheus::Counter*, kCodes> errors{};  // [0] (OK) unused
    prometheus::Histogram* duration = nullptr;
  };

  // Constant after construction.
  const MetricsSources sources_;
  const std::shared_ptr<prometheus::Registry> registry_;
  std::vector<ModelSeries> series_;  // sources_.models, then "_other"
};

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_SERVER_METRICS_H_
