// The server's own metrics: what a request adds, what the scrape-time gauges
// read, and the endpoint that serves them.
#include "server/server_metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "prometheus/text_serializer.h"
#include "server/metrics_endpoint.h"
#include "server/model_server.h"

namespace faultdrill::server {
namespace {

using ::testing::HasSubstr;

// The value of the series of `family` with exactly `labels` (counter or gauge), or -1.
double ValueOf(const std::vector<prometheus::MetricFamily>& families, std::string_view family,
               std::vector<prometheus::ClientMetric::Label> labels) {
  std::sort(labels.begin(), labels.end());
  for (const prometheus::MetricFamily& f : families) {
    if (f.name != family) continue;
    for (const prometheus::ClientMetric& metric : f.metric) {
      auto sorted = metric.label;
      std::sort(sorted.begin(), sorted.end());
      if (sorted != labels) continue;
      return f.type == prometheus::MetricType::Counter ? metric.counter.value : metric.gauge.value;
    }
  }
  return -1;
}

const prometheus::ClientMetric* HistogramOf(const std::vector<prometheus::MetricFamily>& families,
                                            std::string_view model) {
  for (const prometheus::MetricFamily& f : families) {
    if (f.name != "faultdrill_request_duration_seconds") continue;
    for (const prometheus::ClientMetric& metric : f.metric) {
      if (metric.label.size() == 1 && metric.label[0].value == model) return &metric;
    }
  }
  return nullptr;
}

class ServerMetricsTest : public ::testing::Test {
 protected:
  MetricsSources Sources() {
    MetricsSources sources;
    sources.models = {"tinylm", "classifier"};
    sources.queue_depth = [this] { return queue_depth_.load(); };
    sources.model_ready = [](const std::string& model) { return model == "classifier"; };
    sources.weights_sha256 = [this](const std::string& model) {
      return model == "classifier" ? sha_ : std::string();
    };
    return sources;
  }

  std::atomic<size_t> queue_depth_{0};
  std::string sha_ = "ab12";
};

TEST_F(ServerMetricsTest, EveryModelAndCodeStartsAtZero) {
  ServerMetrics metrics(Sources());
  auto families = metrics.Collect();
  EXPECT_EQ(ValueOf(families, "faultdrill_requests_total", {{"model", "tinylm"}, {"code", "OK"}}),
            0);
  EXPECT_EQ(
      ValueOf(families, "faultdrill_requests_total", {{"model", "_other"}, {"code", "DATA_LOSS"}}),
      0);
  EXPECT_EQ(ValueOf(families, "faultdrill_request_errors_total",
                    {{"model", "classifier"}, {"code", "UNAVAILABLE"}}),
            0);
  EXPECT_EQ(ValueOf(families, "faultdrill_request_errors_total",
                    {{"model", "classifier"}, {"code", "OK"}}),
            -1);
}

TEST_F(ServerMetricsTest, ARequestCountsByModelAndCodeAndErrorsApart) {
  ServerMetrics metrics(Sources());
  const int classifier = metrics.ModelIndex("classifier");
  metrics.RecordRequest(classifier, absl::StatusCode::kOk, absl::Milliseconds(3));
  metrics.RecordRequest(classifier, absl::StatusCode::kOk, absl::Milliseconds(30));
  metrics.RecordRequest(classifier, absl::StatusCode::kResourceExhausted, absl::Microseconds(10));
  metrics.RecordRequest(metrics.ModelIndex("no-such-model"), absl::StatusCode::kNotFound,
                        absl::ZeroDuration());
  auto families = metrics.Collect();
  EXPECT_EQ(
      ValueOf(families, "faultdrill_requests_total", {{"model", "classifier"}, {"code", "OK"}}), 2);
  EXPECT_EQ(ValueOf(families, "faultdrill_requests_total",
                    {{"model", "classifier"}, {"code", "RESOURCE_EXHAUSTED"}}),
            1);
  EXPECT_EQ(ValueOf(families, "faultdrill_request_errors_total",
                    {{"model", "classifier"}, {"code", "RESOURCE_EXHAUSTED"}}),
            1);
  EXPECT_EQ(
      ValueOf(families, "faultdrill_requests_total", {{"model", "_other"}, {"code", "NOT_FOUND"}}),
      1);
  EXPECT_EQ(ValueOf(families, "faultdrill_requests_total", {{"model", "tinylm"}, {"code", "OK"}}),
            0);
  const prometheus::ClientMetric* histogram = HistogramOf(families, "classifier");
  ASSERT_NE(histogram, nullptr);
  EXPECT_EQ(histogram->histogram.sample_count, 3u);
  EXPECT_NEAR(histogram->histogram.sample_sum, 0.03301, 1e-9);
}

TEST_F(ServerMetricsTest, GaugesAreReadWhenScraped) {
  ServerMetrics metrics(Sources());
  queue_depth_ = 7;
  auto families = metrics.Collect();
  EXPECT_EQ(ValueOf(families, "faultdrill_queue_depth", {}), 7);
  EXPECT_EQ(ValueOf(families, "faultdrill_model_ready", {{"model", "classifier"}}), 1);
  EXPECT_EQ(ValueOf(families, "faultdrill_model_ready", {{"model", "tinylm"}}), 0);
  EXPECT_EQ(ValueOf(families, "faultdrill_weights_info",
                    {{"model", "classifier"}, {"version", "1"}, {"sha256", "ab12"}}),
            1);
  EXPECT_EQ(ValueOf(families, "faultdrill_weights_info",
                    {{"model", "tinylm"}, {"version", "1"}, {"sha256", ""}}),
            -1);

  sha_ = "cd34";  // a reload swapped the weights
  queue_depth_ = 0;
  families = metrics.Collect();
  EXPECT_EQ(ValueOf(families, "faultdrill_queue_depth", {}), 0);
  EXPECT_EQ(ValueOf(families, "faultdrill_weights_info",
                    {{"model", "classifier"}, {"version", "1"}, {"sha256", "cd34"}}),
            1);
  EXPECT_EQ(ValueOf(families, "faultdrill_weights_info",
                    {{"model", "classifier"}, {"version", "1"}, {"sha256", "ab12"}}),
            -1);
}

TEST_F(ServerMetricsTest, SerializesToTheTextFormat) {
  ServerMetrics metrics(Sources());
  metrics.RecordRequest(0, absl::StatusCode::kOk, absl::Milliseconds(1));
  const std::string text = prometheus::TextSerializer().Serialize(metrics.Collect());
  EXPECT_THAT(text, HasSubstr("# TYPE faultdrill_requests_total counter"));
  EXPECT_THAT(text, HasSubstr("# TYPE faultdrill_request_duration_seconds histogram"));
  EXPECT_THAT(
      text,
      HasSubstr("faultdrill_request_duration_seconds_bucket{model=\"tinylm\",le=\"+Inf\"} 1"));
  EXPECT_THAT(text, HasSubstr("faultdrill_queue_depth 0"));
}

TEST(MetricsEndpoint, ListensOnAnEphemeralPortAndRefusesATakenOne) {
  auto metrics = std::make_shared<ServerMetrics>(MetricsSources{.models = {"tinylm"}});
  auto endpoint = MetricsEndpoint::Start("127.0.0.1", 0, metrics);
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  EXPECT_GT((*endpoint)->port(), 0);
  auto second = MetricsEndpoint::Start("127.0.0.1", (*endpoint)->port(), metrics);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(second.status().message()),
              HasSubstr("cannot serve metrics on 127.0.0.1:"));
}

TEST(ValidateServerOptions, MetricsPortMustBeInRangeAndItsFileNeedsIt) {
  ServerOptions options;
  options.models_dir = "/";
  options.metrics_port = 70000;
  EXPECT_EQ(ValidateServerOptions(options).message(), "--metrics-port 70000 is not 0..65535");
  options.metrics_port.reset();
  options.metrics_port_file = "metrics-port";
  EXPECT_EQ(ValidateServerOptions(options).message(), "--metrics-port-file needs --metrics-port");
  options.metrics_port = 0;
  EXPECT_TRUE(ValidateServerOptions(options).ok());
}

}  // namespace
}  // namespace faultdrill::server
