// A GoogleTest fixture for integration tests against the real server: fresh
// reference models in a temporary folder, a ServerProcess, and small call helpers.
#ifndef FAULTDRILL_TESTS_SERVER_SERVER_FIXTURE_H_
#define FAULTDRILL_TESTS_SERVER_SERVER_FIXTURE_H_

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tests/server/infer_requests.h"
#include "tests/server/server_process.h"

namespace faultdrill::testing {

class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(models_.path().empty());
    ASSERT_TRUE(GenerateModels(models_.path()).ok());
  }

  // Starts the server on the fixture's models; fails the test if it cannot.
  void StartServer(std::vector<std::string> extra_args = {}) {
    ServerProcessOptions options;
    options.models_dir = models_.path();
    options.extra_args = std::move(extra_args);
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = server_->InferenceStub();
  }

  std::string ModelFile(std::string_view model) const {
    return models_.File(std::string(model) + ".fdw");
  }

  grpc::Status Infer(const inference::ModelInferRequest& request,
                     inference::ModelInferResponse* response,
                     std::chrono::milliseconds timeout = std::chrono::milliseconds(20000)) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + timeout);
    return stub_->ModelInfer(&context, request, response);
  }

  // The classifier's probabilities for `rows`; fails the test if the call fails.
  std::vector<float> Classify(const std::vector<float>& rows) {
    inference::ModelInferResponse response;
    const grpc::Status status = Infer(ClassifierRequest(rows), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return status.ok() ? Fp32Output(response, 0) : std::vector<float>{};
  }

  bool ModelReady(const std::string& model) {
    grpc::ClientContext context;
    inference::ModelReadyRequest request;
    request.set_name(model);
    inference::ModelReadyResponse response;
    return stub_->ModelReady(&context, request, &response).ok() && response.ready();
  }

  TempDir models_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<inference::GRPCInferenceService::Stub> stub_;
};

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_SERVER_SERVER_FIXTURE_H_
