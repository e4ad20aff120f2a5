#include "server/server_metrics.h"

#include "prometheus/counter.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace faultdrill::server {
namespace {

// From 0.5 ms (a classifier row) to 10 s (a long tinylm generation).
const prometheus::Histogram::BucketBoundaries& DurationBuckets() {
  static const auto* const buckets = new prometheus::Histogram::BucketBoundaries{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

prometheus::MetricFamily Gauges(std::string name, std::string help) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = prometheus::MetricType::Gauge;
  return family;
}

void AddGauge(prometheus::MetricFamily& family, std::vector<prometheus::ClientMetric::Label> labels,
              double value) {
  prometheus::ClientMetric metric;
  metric.label = std::move(labels);
  metric.gauge.value = value;
  family.metric.push_back(std::move(metric));
}

}  // namespace

ServerMetrics::ServerMetrics(MetricsSources sources)
    : sources_(std::move(sources)), registry_(std::make_shared<prometheus::Registry>()) {
  auto& requests = prometheus::BuildCounter()
                       .Name("faultdrill_requests_total")
                       .Help("ModelInfer calls answered, by model and gRPC status code.")
                       .Register(*registry_);
  auto& errors =
      prometheus::BuildCounter()
          .Name("faultdrill_request_errors_total")
          .Help("ModelInfer calls answered with a status other than OK, by model and code.")
          .Register(*registry_);
  auto& durations =
      prometheus::BuildHistogram()
          .Name("faultdrill_request_duration_seconds")
          .Help("Time from receiving a ModelInfer call to answering it, whatever the answer.")
          .Register(*registry_);
  std::vector<std::string> labels = sources_.models;
  labels.push_back(kOtherModelLabel);
  for (const std::string& model : labels) {
    ModelSeries series;
    for (int code = 0; code < kCodes; ++code) {
      const std::string name = absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
      series.requests[code] = &requests.Add({{"model", model}, {"code", name}});
      if (code != 0) series.errors[code] = &errors.Add({{"model", model}, {"code", name}});
    }
    series.duration = &durations.Add({{"model", model}}, DurationBuckets());
    series_.push_back(series);
  }
}

ServerMetrics::~ServerMetrics() = default;

int ServerMetrics::ModelIndex(std::string_view model) const {
  for (size_t i = 0; i < sources_.models.size(); ++i) {
    if (sources_.models[i] == model) return static_cast<int>(i);
  }
  return static_cast<int>(sources_.models.size());
}

void ServerMetrics::RecordRequest(int model_index, absl::StatusCode code, absl::Duration took) {
  if (model_index < 0 || model_index >= static_cast<int>(series_.size())) {
    model_index = static_cast<int>(series_.size()) - 1;
  }
  int index = static_cast<int>(code);
  if (index < 0 || index >= kCodes) index = static_cast<int>(absl::StatusCode::kUnknown);
  ModelSeries& series = series_[model_index];
  series.requests[index]->Increment();
  if (index != 0) series.errors[index]->Increment();
  series.duration->Observe(absl::ToDoubleSeconds(took));
}

std::vector<prometheus::MetricFamily> ServerMetrics::Collect() const {
  std::vector<prometheus::MetricFamily> families = registry_->Collect();

  prometheus::MetricFamily queue =
      Gauges("faultdrill_queue_depth", "Requests waiting for an inference worker.");
  AddGauge(queue, {}, static_cast<double>(sources_.queue_depth ? sources_.queue_depth() : 0));
  families.push_back(std::move(queue));

  prometheus::MetricFamily ready =
      Gauges("faultdrill_model_ready", "1 when the model is ready to serve, else 0.");
  prometheus::MetricFamily weights =
      Gauges("faultdrill_weights_info",
             "The weights each model serves now: SHA-256 of their file's contents (value 1).");
  for (const std::string& model : sources_.models) {
    AddGauge(ready, {{"model", model}},
             sources_.model_ready && sources_.model_ready(model) ? 1 : 0);
    const std::string sha256 =
        sources_.weights_sha256 ? sources_.weights_sha256(model) : std::string();
    if (!sha256.empty()) {
      AddGauge(weights, {{"model", model}, {"version", sources_.model_version}, {"sha256", sha256}},
               1);
    }
  }
  families.push_back(std::move(ready));
  families.push_back(std::move(weights));
  return families;
}

}  // namespace faultdrill::server
