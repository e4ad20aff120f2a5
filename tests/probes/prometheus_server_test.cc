// The prometheus probe against the real reference server's metrics endpoint
// (--metrics-port 0): counters rise with inferences, rates are positive,
// errors are counted by code, and weights_info follows a reload.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "probes/prometheus_probe.h"
#include "probes/registry.h"
#include "tests/server/infer_requests.h"
#include "tests/server/server_process.h"

namespace faultdrill::probes {
namespace {

using ::faultdrill::testing::ClassifierRequest;
using ::faultdrill::testing::ClassifierRows;
using ::faultdrill::testing::GenerateModels;
using ::faultdrill::testing::ServerProcess;
using ::faultdrill::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr char kScenario[] = R"(name: t
target: {embedded: true, model: classifier}
load: {generator: {model: classifier}, rate: 10/s, duration: 10s}
probes:
  - name: server
    kind: prometheus
    series:
      - {name: ok_classifier, metric: faultdrill_requests_total, labels: {model: classifier, code: OK}}
      - {name: requests_per_s, metric: faultdrill_requests_total, rate: true}
      - {name: p99_seconds, histogram: faultdrill_request_duration_seconds, quantile: 0.99, labels: {model: classifier}}
      - {name: not_found, metric: faultdrill_request_errors_total, labels: {code: NOT_FOUND}}
      - {name: invalid, metric: faultdrill_request_errors_total, labels: {model: classifier, code: INVALID_ARGUMENT}}
      - {name: models_ready, metric: faultdrill_model_ready}
)";

double ValueOf(const ProbeResult& result, std::string_view name) {
  for (const ProbeValue& value : result.values) {
    if (value.name == name) return value.value;
  }
  return NAN;
}

class PrometheusServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(GenerateModels(models_.path()).ok());
    auto server = ServerProcess::Start({.models_dir = models_.path(), .metrics = true});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = server_->InferenceStub();
    auto scenario = ParseScenario(kScenario, "t.yaml");
    ASSERT_TRUE(scenario.ok()) << scenario.status();
    scenario_ = *std::move(scenario);
    context_ = std::make_unique<ProbeContext>(ProbeContext{scenario_});
    context_->target_metrics_url = [url = server_->metrics_url()] { return url; };
    auto probe = Registry::Default().Create(scenario_.probes[0], *context_);
    ASSERT_TRUE(probe.ok()) << probe.status();
    probe_ = *std::move(probe);
  }

  grpc::Status Infer(const inference::ModelInferRequest& request) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 5s);
    inference::ModelInferResponse response;
    return stub_->ModelInfer(&context, request, &response);
  }

  // The sha256 label of `model`'s faultdrill_weights_info, read with the real fetcher and parser.
  std::string WeightsSha256(std::string_view model) {
    auto url = ParseHttpUrl(server_->metrics_url());
    EXPECT_TRUE(url.ok());
    auto page = MakeHttpFetcher()->Get(*url, {.timeout = 2s});
    EXPECT_TRUE(page.ok()) << page.status();
    auto exposition = ParsePrometheusText(page.ok() ? page->body : "", BadLines::kFail);
    EXPECT_TRUE(exposition.ok()) << exposition.status();
    for (const Sample& sample : exposition->samples) {
      if (sample.name == "faultdrill_weights_info" && *sample.Label("model") == model) return *sample.Label("sha256");
    }
    return "";
  }

  TempDir models_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<inference::GRPCInferenceService::Stub> stub_;
  Scenario scenario_;
  std::unique_ptr<ProbeContext> context_;
  std::unique_ptr<Probe> probe_;
};

TEST_F(PrometheusServerTest, RequestsTotalRisesWithInferencesAndItsRateIsPositive) {
  ProbeResult first = probe_->Check();
  ASSERT_TRUE(first.healthy) << first.detail;
  EXPECT_THAT(first.detail, Not(HasSubstr("malformed")));  // prometheus-cpp's output parses cleanly
  EXPECT_EQ(ValueOf(first, "ok_classifier"), 0);
  EXPECT_EQ(ValueOf(first, "models_ready"), 2);

  for (int i = 0; i < 20; ++i) ASSERT_TRUE(Infer(ClassifierRequest(ClassifierRows(1, i))).ok());
  std::this_thread::sleep_for(20ms);  // a measurable interval for the rate; the values do not depend on it

  ProbeResult second = probe_->Check();
  ASSERT_TRUE(second.healthy) << second.detail;
  EXPECT_EQ(ValueOf(second, "ok_classifier"), 20);
  EXPECT_GT(ValueOf(second, "requests_per_s"), 0);
  EXPECT_GT(ValueOf(second, "p99_seconds"), 0);
  EXPECT_LE(ValueOf(second, "p99_seconds"), 10);
}

TEST_F(PrometheusServerTest, ErrorsAreCountedByModelAndCode) {
  inference::ModelInferRequest unknown = ClassifierRequest(ClassifierRows(1));
  unknown.set_model_name("no-such-model");
  EXPECT_EQ(Infer(unknown).error_code(), grpc::StatusCode::NOT_FOUND);
  inference::ModelInferRequest invalid = ClassifierRequest(ClassifierRows(1));
  invalid.mutable_inputs(0)->set_name("WRONG");
  EXPECT_EQ(Infer(invalid).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  ProbeResult result = probe_->Check();
  ASSERT_TRUE(result.healthy) << result.detail;
  EXPECT_EQ(ValueOf(result, "not_found"), 1);  // counted under model "_other"
  EXPECT_EQ(ValueOf(result, "invalid"), 1);
  EXPECT_EQ(ValueOf(result, "ok_classifier"), 0);
}

TEST_F(PrometheusServerTest, WeightsInfoFollowsAReload) {
  const std::string before = WeightsSha256("classifier");
  EXPECT_EQ(before.size(), 64u);
  ASSERT_TRUE(GenerateModels(models_.path(), /*seed=*/7).ok());
  ASSERT_TRUE(server_->Signal(SIGHUP));
  ASSERT_TRUE(server_->WaitForStderr("reload finished", 1, 10s)) << server_->Stderr();
  const std::string after = WeightsSha256("classifier");
  EXPECT_EQ(after.size(), 64u);
  EXPECT_NE(after, before);
}

TEST(PrometheusServer, AServerWithoutMetricsPortServesNoMetrics) {
  TempDir models;
  ASSERT_TRUE(GenerateModels(models.path()).ok());
  auto server = ServerProcess::Start({.models_dir = models.path()});
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->metrics_port(), 0);
  EXPECT_THAT((*server)->Stdout(), Not(HasSubstr("metrics on")));
}

}  // namespace
}  // namespace faultdrill::probes
