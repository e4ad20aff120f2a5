// The real faultdrill-proxy when the target behind it dies: calls held by a
// delay rule are passed on to an upstream that is gone, must end UNAVAILABLE,
// and the proxy must live on (a drill with network-latency via the proxy and
// a process-kill used to crash it, and the report then blamed the target).
#include <gtest/gtest.h>
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "core/journal.h"
#include "injectors/fault_proxy.h"
#include "tests/common/files.h"
#include "tests/server/infer_requests.h"
#include "tests/server/server_process.h"

namespace faultdrill::testing {
namespace {

using injectors::ProxyRule;
using std::chrono::milliseconds;

// Calls sent at once through one stub, answered in any order.
class CallBatch {
 public:
  CallBatch(inference::GRPCInferenceService::Stub& stub, int count) : calls_(count) {
    const inference::ModelInferRequest request = ClassifierRequest(ClassifierRows(1));
    for (Call& call : calls_) {
      call.request = request;
      call.context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
      stub.async()->ModelInfer(&call.context, &call.request, &call.response, [this, &call](grpc::Status status) {
        absl::MutexLock lock(&mu_);
        call.status = std::move(status);
        ++answered_;
      });
    }
  }
  // Waits (bounded) for every answer; false if some never came.
  bool WaitForAll(milliseconds timeout) {
    absl::MutexLock lock(&mu_);
    auto all = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return answered_ == calls_.size(); };
    return mu_.AwaitWithTimeout(absl::Condition(&all), absl::FromChrono(timeout));
  }
  // "CODE: message" of every answer that is not `code`.
  std::vector<std::string> NotAnswered(grpc::StatusCode code) {
    absl::MutexLock lock(&mu_);
    std::vector<std::string> others;
    for (const Call& call : calls_) {
      if (call.status.error_code() != code) {
        others.push_back(std::to_string(call.status.error_code()) + ": " + call.status.error_message());
      }
    }
    return others;
  }
  // Waits for every call before its context goes away.
  ~CallBatch() { WaitForAll(std::chrono::seconds(60)); }

 private:
  struct Call {
    grpc::ClientContext context;
    inference::ModelInferRequest request;
    inference::ModelInferResponse response;
    grpc::Status status;
  };
  std::vector<Call> calls_;
  absl::Mutex mu_;
  size_t answered_ ABSL_GUARDED_BY(mu_) = 0;
};

class ProxyUpstreamDeath : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(GenerateModels(models_.path()).ok());
    auto server = ServerProcess::Start({.models_dir = models_.path()});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    auto proxy = injectors::FaultProxy::Start(server_->endpoint(), work_.path(), *journal_);
    ASSERT_TRUE(proxy.ok()) << proxy.status();
    proxy_ = *std::move(proxy);
    stub_ = inference::GRPCInferenceService::NewStub(
        grpc::CreateChannel(proxy_->endpoint(), grpc::InsecureChannelCredentials()));
    // One call through: the proxy's connections to the upstream are up, as in a drill.
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    inference::ModelInferResponse response;
    ASSERT_TRUE(stub_->ModelInfer(&context, ClassifierRequest(ClassifierRows(1)), &response).ok());
  }

  void SetDelay(milliseconds delay) {
    ProxyRule rule;
    rule.action = ProxyRule::Action::kDelay;
    rule.delay = delay;
    ASSERT_TRUE(proxy_->SetRule("slow", rule).ok());
  }

  // The calls the delay rule has taken so far (-1: the proxy did not answer).
  int64_t Held() {
    auto stats = proxy_->Stats("slow");
    return stats.ok() ? stats->matched : -1;
  }

  void KillServer() {
    ASSERT_TRUE(server_->Signal(SIGKILL));
    ASSERT_TRUE(server_->WaitForExit(std::chrono::seconds(10)).has_value());
  }

  // The proxy still runs and answers on its control channel, and a new call
  // through it gets UNAVAILABLE from the gone upstream.
  void ExpectProxyAlive() {
    auto stats = proxy_->Stats("slow");
    ASSERT_TRUE(stats.ok()) << "the proxy's control channel is gone: " << stats.status() << "\n"
                            << ReadWholeFile(work_.File("proxy.log"));
    CallBatch after(*stub_, 1);
    ASSERT_TRUE(after.WaitForAll(std::chrono::seconds(20)));
    EXPECT_TRUE(after.NotAnswered(grpc::StatusCode::UNAVAILABLE).empty());
    const std::string log = ReadWholeFile(work_.File("proxy.log"));
    EXPECT_EQ(log.find("pure virtual"), std::string::npos) << log;
  }

  TempDir models_;
  TempDir work_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<Journal> journal_ = Journal::InMemory();
  std::unique_ptr<injectors::FaultProxy> proxy_;
  std::unique_ptr<inference::GRPCInferenceService::Stub> stub_;
};

constexpr int kCalls = 64;

TEST_F(ProxyUpstreamDeath, DelayedCallsEndUnavailableWhenTheTargetDiesWhileTheyAreHeld) {
  // The delay only has to outlast a SIGKILL and its reaping (milliseconds).
  constexpr milliseconds kDelay(3000);
  SetDelay(kDelay);
  const auto sent = std::chrono::steady_clock::now();
  CallBatch held(*stub_, kCalls);
  // Every call is held by the rule (counted when it is planned) before the kill.
  const auto bound = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (Held() < kCalls && std::chrono::steady_clock::now() < bound) std::this_thread::sleep_for(milliseconds(5));
  ASSERT_EQ(Held(), kCalls);
  KillServer();
  ASSERT_LT(std::chrono::steady_clock::now() - sent, kDelay) << "the server died only after the delay ended";

  ASSERT_TRUE(held.WaitForAll(std::chrono::seconds(30))) << "some held calls were never answered";
  const std::vector<std::string> others = held.NotAnswered(grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(others.empty()) << others.size() << " calls not UNAVAILABLE, first: " << others.front();
  ExpectProxyAlive();
}

TEST_F(ProxyUpstreamDeath, DelayedCallsPassedOnToAGoneTargetEndUnavailable) {
  KillServer();
  SetDelay(milliseconds(20));
  for (int round = 0; round < 5; ++round) {
    CallBatch batch(*stub_, kCalls);
    ASSERT_TRUE(batch.WaitForAll(std::chrono::seconds(30))) << "round " << round;
    const std::vector<std::string> others = batch.NotAnswered(grpc::StatusCode::UNAVAILABLE);
    EXPECT_TRUE(others.empty()) << others.size() << " calls not UNAVAILABLE, first: " << others.front();
  }
  ExpectProxyAlive();
}

TEST_F(ProxyUpstreamDeath, KillingTheTargetUnderDelayedLoadLeavesTheProxyServing) {
  // Calls in every stage when the target dies: held by the delay, passed on,
  // writing their request upstream, reading the answer.
  SetDelay(milliseconds(2));
  std::vector<std::unique_ptr<CallBatch>> batches;
  for (int round = 0; round < 8; ++round) batches.push_back(std::make_unique<CallBatch>(*stub_, kCalls));
  KillServer();
  for (int round = 0; round < 8; ++round) batches.push_back(std::make_unique<CallBatch>(*stub_, kCalls));
  for (auto& batch : batches) {
    ASSERT_TRUE(batch->WaitForAll(std::chrono::seconds(30)));
    for (const std::string& other : batch->NotAnswered(grpc::StatusCode::UNAVAILABLE)) {
      EXPECT_EQ(other.rfind("0: ", 0), 0u) << "neither served nor UNAVAILABLE: " << other;
    }
  }
  ExpectProxyAlive();
}

}  // namespace
}  // namespace faultdrill::testing
