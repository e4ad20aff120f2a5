// Integration: readiness, health, reload on SIGHUP, shutdown on SIGTERM, exit
// codes, against the real faultdrill-model-server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>
#include <thread>

#include "absl/synchronization/notification.h"

#include "tests/server/server_fixture.h"

namespace faultdrill::testing {
namespace {

using ::testing::HasSubstr;
using std::chrono::milliseconds;
using grpc::health::v1::HealthCheckResponse;

class ServerLifecycleTest : public ServerFixture {
 protected:
  // Flips one bit in the data of a weights file: its checksum no longer matches.
  void CorruptModel(std::string_view model) {
    const std::string path = ModelFile(model);
    std::string bytes = ReadWholeFile(path);
    bytes[bytes.size() / 2] ^= 0x04;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }

  // Flips the sign of the classifier's last bias b2[0], the last tensor before
  // the 32-byte digest: a change every output row feels.
  void FlipClassifierBiasSign() {
    const std::string path = ModelFile("classifier");
    std::string bytes = ReadWholeFile(path);
    bytes[bytes.size() - 32 - 4 * 4 + 3] ^= static_cast<char>(0x80);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }

  // Sends SIGHUP and waits until the server logged its `nth` finished reload.
  void Reload(int nth) {
    ASSERT_TRUE(server_->Signal(SIGHUP));
    ASSERT_TRUE(server_->WaitForStderr("reload finished", nth, milliseconds(20000)))
        << server_->Stderr();
  }

  HealthCheckResponse::ServingStatus Health(const std::string& service,
                                            grpc::StatusCode* code = nullptr) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    const grpc::Status status = server_->HealthStub()->Check(&context, request, &response);
    if (code != nullptr) *code = status.error_code();
    return response.status();
  }

  // The trailing `faultdrill-load-error` of ModelMetadata, or "".
  std::string LoadError(const std::string& model) {
    grpc::ClientContext context;
    inference::ModelMetadataRequest request;
    request.set_name(model);
    inference::ModelMetadataResponse response;
    EXPECT_TRUE(stub_->ModelMetadata(&context, request, &response).ok());
    const auto& trailers = context.GetServerTrailingMetadata();
    const auto it = trailers.find("faultdrill-load-error");
    return it == trailers.end() ? "" : std::string(it->second.data(), it->second.size());
  }
};

TEST_F(ServerLifecycleTest, PrintsTheListeningLineAndIsLiveAndReady) {
  StartServer();
  EXPECT_THAT(server_->Stdout(),
              HasSubstr("faultdrill-model-server listening on " + server_->endpoint()));
  grpc::ClientContext context;
  inference::ServerLiveResponse live;
  ASSERT_TRUE(stub_->ServerLive(&context, {}, &live).ok());
  EXPECT_TRUE(live.live());
  EXPECT_TRUE(ModelReady("tinylm"));
  EXPECT_TRUE(ModelReady("classifier"));
  EXPECT_THAT(server_->Stderr(), HasSubstr("ready: 2 of 2 models loaded"));
}

TEST_F(ServerLifecycleTest, HealthIsServingAfterReady) {
  StartServer();
  EXPECT_EQ(Health(""), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health("tinylm"), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health("classifier"), HealthCheckResponse::SERVING);
  grpc::StatusCode code = grpc::StatusCode::OK;
  Health("no-such-model", &code);
  EXPECT_EQ(code, grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServerLifecycleTest, AModelWithACorruptFileIsNotReadyAndTheServerStaysUp) {
  CorruptModel("tinylm");
  StartServer();
  EXPECT_FALSE(ModelReady("tinylm"));
  EXPECT_TRUE(ModelReady("classifier"));
  EXPECT_EQ(Health("tinylm"), HealthCheckResponse::NOT_SERVING);
  inference::ModelInferResponse response;
  const grpc::Status status = Infer(TinyLmRequest("hi", 2), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("model tinylm is not ready: "));
  EXPECT_THAT(status.error_message(), HasSubstr("checksum mismatch"));
  EXPECT_THAT(LoadError("tinylm"), HasSubstr("checksum mismatch"));
  EXPECT_FALSE(Classify(ClassifierRows(1)).empty());
}

TEST_F(ServerLifecycleTest, NoVerifyChecksumsServesABitFlippedFileWithDifferentOutputs) {
  StartServer();
  const std::vector<float> good = Classify(ClassifierRows(3));
  server_.reset();
  FlipClassifierBiasSign();
  StartServer({"--no-verify-checksums"});
  ASSERT_TRUE(ModelReady("classifier"));
  EXPECT_NE(Classify(ClassifierRows(3)), good);
}

TEST_F(ServerLifecycleTest, SighupWithACorruptFileKeepsServingTheOldWeights) {
  StartServer();
  const std::vector<float> before = Classify(ClassifierRows(4));
  CorruptModel("classifier");
  Reload(1);
  EXPECT_THAT(server_->Stderr(), HasSubstr("model classifier: reload FAILED, still serving"));
  EXPECT_TRUE(ModelReady("classifier"));
  EXPECT_EQ(Classify(ClassifierRows(4)), before);
  EXPECT_THAT(LoadError("classifier"), HasSubstr("checksum mismatch"));

  ASSERT_TRUE(GenerateModels(models_.path()).ok());  // restore the file
  Reload(2);
  EXPECT_EQ(LoadError("classifier"), "");
  EXPECT_EQ(Classify(ClassifierRows(4)), before);
}

TEST_F(ServerLifecycleTest, SighupServesNewValidWeights) {
  StartServer();
  const std::vector<float> before = Classify(ClassifierRows(2));
  ASSERT_TRUE(GenerateModels(models_.path(), /*seed=*/7).ok());
  Reload(1);
  EXPECT_NE(Classify(ClassifierRows(2)), before);
}

TEST_F(ServerLifecycleTest, SigtermExitsZeroAfterDraining) {
  StartServer();
  ASSERT_TRUE(server_->Signal(SIGTERM));
  EXPECT_EQ(server_->WaitForExit(milliseconds(15000)), 0);
  EXPECT_THAT(server_->Stderr(), HasSubstr("draining"));
  EXPECT_THAT(server_->Stderr(), HasSubstr("exit"));
}

TEST_F(ServerLifecycleTest, SigtermLetsAnInFlightRequestFinish) {
  StartServer();
  const auto request = TinyLmRequest(std::string(1024, 'f'), 256);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  inference::ModelInferResponse response;
  absl::Notification done;
  grpc::Status result;
  stub_->async()->ModelInfer(&context, &request, &response, [&](grpc::Status status) {
    result = status;
    done.Notify();
  });
  // Let the request reach the server before asking it to stop.
  std::this_thread::sleep_for(milliseconds(50));
  ASSERT_TRUE(server_->Signal(SIGTERM));
  done.WaitForNotification();
  EXPECT_TRUE(result.ok()) << result.error_message();
  EXPECT_EQ(server_->WaitForExit(milliseconds(15000)), 0);
}

TEST_F(ServerLifecycleTest, SigintAlsoExitsZero) {
  StartServer();
  ASSERT_TRUE(server_->Signal(SIGINT));
  EXPECT_EQ(server_->WaitForExit(milliseconds(15000)), 0);
}

TEST_F(ServerLifecycleTest, ABusyPortExitsWithCode3) {
  StartServer();
  std::string output;
  absl::StatusOr<int> code = RunProcess(
      {ModelServerBinary(), "--host", "127.0.0.1", "--port", std::to_string(server_->port()),
       "--models", models_.path()},
      milliseconds(15000), &output);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 3) << output;
  EXPECT_THAT(output, HasSubstr("cannot listen"));
}

TEST_F(ServerLifecycleTest, BadArgumentsExitWithCode2) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--port", "0"},
           {"--port", "0", "--models", models_.path(), "--batch-window", "soon"},
           {"--port", "0", "--models", models_.path(), "--queue-size", "0"},
           {"--port", "0", "--models", models_.path(), "--no-such-flag"},
           {"--port", "0", "--models", models_.path(), "--cost", "tinylm:per_token=1ms"},
           {"--port", "0", "--models", models_.path(), "--cost", "tinylm:per_batch=1ms", "--cost", "tinylm:per_batch=2ms"},
           {"generate-weights"},
       }) {
    std::vector<std::string> argv = {ModelServerBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<int> code = RunProcess(argv, milliseconds(15000));
    ASSERT_TRUE(code.ok());
    EXPECT_EQ(*code, 2) << args.back();
  }
}

TEST_F(ServerLifecycleTest, MissingModelsFolderExitsWithCode3) {
  absl::StatusOr<int> code = RunProcess(
      {ModelServerBinary(), "--port", "0", "--models", models_.File("missing")}, milliseconds(15000));
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 3);
}

}  // namespace
}  // namespace faultdrill::testing
