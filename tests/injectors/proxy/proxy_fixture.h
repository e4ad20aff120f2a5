// The real reference server (one per test binary) with a real faultdrill-proxy
// in front of it (one per test), and a client that talks through the proxy.
#ifndef FAULTDRILL_TESTS_INJECTORS_PROXY_PROXY_FIXTURE_H_
#define FAULTDRILL_TESTS_INJECTORS_PROXY_PROXY_FIXTURE_H_

#include <gtest/gtest.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/journal.h"
#include "injectors/fault_proxy.h"
#include "tests/common/files.h"
#include "tests/server/infer_requests.h"
#include "tests/server/server_process.h"

namespace faultdrill::testing {

class ProxyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    models_ = new TempDir();
    ASSERT_TRUE(GenerateModels(models_->path()).ok());
    auto server = ServerProcess::Start({.models_dir = models_->path()});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete models_;
    server_ = nullptr;
    models_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    auto proxy = injectors::FaultProxy::Start(server_->endpoint(), work_.path(), *journal_);
    ASSERT_TRUE(proxy.ok()) << proxy.status() << "\n" << ReadWholeFile(work_.File("proxy.log"));
    proxy_ = std::move(*proxy);
    channel_ = grpc::CreateChannel(proxy_->endpoint(), grpc::InsecureChannelCredentials());
    stub_ = inference::GRPCInferenceService::NewStub(channel_);
  }

  // One ModelInfer through the proxy (or straight to the server).
  grpc::Status Infer(const inference::ModelInferRequest& request, inference::ModelInferResponse* response,
                     std::chrono::milliseconds deadline = std::chrono::seconds(5), bool direct = false) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline);
    auto direct_stub = server_->InferenceStub();
    return (direct ? *direct_stub : *stub_).ModelInfer(&context, request, response);
  }
  grpc::Status Classify(std::chrono::milliseconds deadline = std::chrono::seconds(5)) {
    inference::ModelInferResponse response;
    return Infer(ClassifierRequest(ClassifierRows(1)), &response, deadline);
  }
  grpc::Status Ready() {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    inference::ServerReadyResponse response;
    return stub_->ServerReady(&context, inference::ServerReadyRequest(), &response);
  }

  static injectors::ProxyRule Rule(injectors::ProxyRule::Action action, std::string method = "") {
    injectors::ProxyRule rule;
    rule.action = action;
    rule.method = std::move(method);
    return rule;
  }

  // The proxy's pid, from its stop-process step in the journal.
  pid_t ProxyPid() const {
    for (const JournalRecord& record : journal_->Records()) {
      if (record.type == "undo" && record.undo.action == "stop-process") return record.undo.args["pid"].get<pid_t>();
    }
    return 0;
  }

  static TempDir* models_;
  static ServerProcess* server_;
  TempDir work_;
  std::unique_ptr<Journal> journal_ = Journal::InMemory();
  std::unique_ptr<injectors::FaultProxy> proxy_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<inference::GRPCInferenceService::Stub> stub_;
};

inline TempDir* ProxyTest::models_ = nullptr;
inline ServerProcess* ProxyTest::server_ = nullptr;

// Milliseconds since `start`.
inline double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_INJECTORS_PROXY_PROXY_FIXTURE_H_
