// Network faults through the real fault proxy (faultdrill-proxy) in front of
// the real reference server: the fault is there while applied, gone after
// revert. No privileges needed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>

#include "core/journal.h"
#include "injectors/fault_proxy.h"
#include "injectors/network_bandwidth.h"
#include "injectors/network_fault.h"
#include "injectors/network_latency.h"
#include "injectors/network_partition.h"
#include "tests/common/files.h"
#include "tests/injectors/scenario_fixture.h"
#include "tests/server/server_process.h"

namespace faultdrill::injectors {
namespace {

using Clock = std::chrono::steady_clock;

class NetworkProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(faultdrill::testing::GenerateModels(models_.path()).ok());
    auto server = faultdrill::testing::ServerProcess::Start({.models_dir = models_.path()});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    auto journal = Journal::Open(work_.File("journal"), "proxy-test");
    ASSERT_TRUE(journal.ok()) << journal.status();
    journal_ = std::move(*journal);
    auto proxy = FaultProxy::Start(server_->endpoint(), work_.path(), *journal_);
    ASSERT_TRUE(proxy.ok()) << proxy.status();
    proxy_ = std::move(*proxy);
    run_.set_proxy(proxy_.get());
    grpc::ChannelArguments arguments;
    arguments.SetMaxSendMessageSize(64 << 20);
    stub_ = inference::GRPCInferenceService::NewStub(
        grpc::CreateCustomChannel(proxy_->endpoint(), grpc::InsecureChannelCredentials(), arguments));
  }

  std::unique_ptr<Injector> Create(InjectorFactory factory, const std::string& fault) {
    scenario_ = faultdrill::testing::ScenarioWithFaults("  - " + fault + "\n");
    InjectorContext context{scenario_, targets_, run_};
    auto injector = factory(scenario_.faults.at(0), context);
    EXPECT_TRUE(injector.ok()) << injector.status();
    return injector.ok() ? std::move(*injector) : nullptr;
  }

  // One ServerLive call through the proxy: its status and milliseconds.
  std::pair<grpc::StatusCode, double> Live() {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    inference::ServerLiveResponse response;
    const auto start = Clock::now();
    grpc::Status status = stub_->ServerLive(&context, inference::ServerLiveRequest(), &response);
    return {status.error_code(), std::chrono::duration<double, std::milli>(Clock::now() - start).count()};
  }

  // The median of five ServerLive calls, in milliseconds (all must succeed).
  double MedianLiveMillis() {
    std::vector<double> millis;
    for (int i = 0; i < 5; ++i) {
      auto [code, ms] = Live();
      EXPECT_EQ(code, grpc::StatusCode::OK);
      millis.push_back(ms);
    }
    std::sort(millis.begin(), millis.end());
    return millis[2];
  }

  // One ModelInfer call carrying `bytes` bytes (the server refuses it after reading it), in milliseconds.
  double UploadMillis(size_t bytes) {
    inference::ModelInferRequest request;
    request.set_model_name("classifier");
    auto* input = request.add_inputs();
    input->set_name("upload");
    input->set_datatype("UINT8");
    input->add_shape(static_cast<int64_t>(bytes));
    request.add_raw_input_contents(std::string(bytes, 'z'));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    inference::ModelInferResponse response;
    const auto start = Clock::now();
    grpc::Status status = stub_->ModelInfer(&context, request, &response);
    EXPECT_NE(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  }

  faultdrill::testing::TempDir models_;
  faultdrill::testing::TempDir work_;
  std::unique_ptr<faultdrill::testing::ServerProcess> server_;
  std::unique_ptr<Journal> journal_;
  std::unique_ptr<FaultProxy> proxy_;
  std::unique_ptr<inference::GRPCInferenceService::Stub> stub_;
  Scenario scenario_;
  Targets targets_;
  RunState run_;
};

TEST_F(NetworkProxyTest, LatencyIsAddedWhileOnAndGoneAfterRevert) {
  const double before = MedianLiveMillis();
  auto injector = Create(&CreateNetworkLatency, "{kind: network-latency, at: 1s, via: proxy, delay: 100ms}");
  ASSERT_NE(injector, nullptr);
  ASSERT_TRUE(injector->Apply().ok());
  const double during = MedianLiveMillis();
  ASSERT_TRUE(injector->Revert().ok());
  const double after = MedianLiveMillis();
  std::cout << "ServerLive through the proxy: before " << before << " ms, with 100ms latency " << during
            << " ms, after revert " << after << " ms\n";
  EXPECT_GE(during, 100);
  EXPECT_LT(during, 1000);
  EXPECT_LT(after, 50);
  EXPECT_GE(injector->Counters().at("requests_affected"), 5);
}

TEST_F(NetworkProxyTest, PartitionResetsEveryCallUntilReverted) {
  auto injector = Create(&CreateNetworkPartition, "{kind: network-partition, at: 1s, via: proxy, as: reset}");
  ASSERT_NE(injector, nullptr);
  ASSERT_TRUE(injector->Apply().ok());
  EXPECT_EQ(Live().first, grpc::StatusCode::UNAVAILABLE);
  ASSERT_TRUE(injector->Revert().ok());
  // The reset connection comes back on the next calls.
  grpc::StatusCode code = grpc::StatusCode::UNAVAILABLE;
  for (int i = 0; i < 20 && code != grpc::StatusCode::OK; ++i) code = Live().first;
  EXPECT_EQ(code, grpc::StatusCode::OK);
}

TEST_F(NetworkProxyTest, BandwidthLimitsTheUploadWhileOn) {
  constexpr size_t kBytes = 200'000;
  const double before = UploadMillis(kBytes);
  auto injector = Create(&CreateNetworkBandwidth, "{kind: network-bandwidth, at: 1s, via: proxy, rate: 1MB/s}");
  ASSERT_NE(injector, nullptr);
  ASSERT_TRUE(injector->Apply().ok());
  const double during = UploadMillis(kBytes);
  ASSERT_TRUE(injector->Revert().ok());
  const double after = UploadMillis(kBytes);
  std::cout << "upload of " << kBytes << " bytes through the proxy: before " << before << " ms, at 1MB/s "
            << during << " ms, after revert " << after << " ms\n";
  EXPECT_GT(during, 100);  // 200 ms at 1 MB/s, less what the proxy lets through at once
  EXPECT_LT(after, 100);
}

}  // namespace
}  // namespace faultdrill::injectors
