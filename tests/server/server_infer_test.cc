// Integration: ModelInfer and metadata against the real faultdrill-model-server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "server/classifier.h"
#include "server/weights_generator.h"
#include "tests/server/malformed_requests.h"
#include "tests/server/server_fixture.h"

namespace faultdrill::testing {
namespace {

using ::testing::HasSubstr;

class ServerInferTest : public ServerFixture {};

std::vector<float> InProcessClassifier(const std::vector<float>& rows) {
  auto classifier = server::Classifier::FromWeights(server::GenerateWeights(
      server::kClassifierName, server::Classifier::WeightsRecipe(), 42));
  std::vector<float> out(rows.size() / 16 * 4);
  classifier->Predict(rows, out);
  return out;
}

TEST_F(ServerInferTest, TypedAndRawClassifierRequestsGiveIdenticalOutputs) {
  StartServer();
  const std::vector<float> rows = ClassifierRows(5);
  inference::ModelInferResponse typed, raw;
  ASSERT_TRUE(Infer(ClassifierRequest(rows, TensorForm::kTyped), &typed).ok());
  ASSERT_TRUE(Infer(ClassifierRequest(rows, TensorForm::kRaw), &raw).ok());
  EXPECT_EQ(typed.raw_output_contents_size(), 0);
  EXPECT_EQ(raw.raw_output_contents_size(), 1);
  EXPECT_EQ(typed.outputs(0).name(), "PROBABILITIES");
  EXPECT_EQ(typed.outputs(0).datatype(), "FP32");
  EXPECT_THAT(typed.outputs(0).shape(), ::testing::ElementsAre(5, 4));
  EXPECT_EQ(Fp32Output(typed, 0), Fp32Output(raw, 0));
  // And bit for bit what the model computes in-process.
  EXPECT_EQ(Fp32Output(typed, 0), InProcessClassifier(rows));
  EXPECT_EQ(typed.id(), "classifier-request");
  EXPECT_EQ(typed.model_version(), "1");
}

TEST_F(ServerInferTest, TypedAndRawTinyLmRequestsGiveIdenticalOutputs) {
  StartServer();
  inference::ModelInferResponse typed, raw;
  ASSERT_TRUE(Infer(TinyLmRequest("Once upon a time", 12, TensorForm::kTyped), &typed).ok());
  ASSERT_TRUE(Infer(TinyLmRequest("Once upon a time", 12, TensorForm::kRaw), &raw).ok());
  ASSERT_EQ(typed.outputs_size(), 3);
  ASSERT_EQ(raw.raw_output_contents_size(), 3);
  const std::string text = typed.outputs(0).contents().bytes_contents(0);
  EXPECT_EQ(text.size(), 12u);
  EXPECT_EQ(raw.raw_output_contents(0), RawBytesElement(text));
  const auto& ids = typed.outputs(1).contents().int_contents();
  std::string raw_ids(ids.size() * 4, '\0');
  std::memcpy(raw_ids.data(), ids.data(), raw_ids.size());
  EXPECT_EQ(raw.raw_output_contents(1), raw_ids);
  EXPECT_EQ(Fp32Output(typed, 2), Fp32Output(raw, 2));
}

TEST_F(ServerInferTest, RepeatedRequestsGiveBitIdenticalOutputs) {
  StartServer();
  inference::ModelInferResponse first, second;
  ASSERT_TRUE(Infer(TinyLmRequest("determinism", 20, TensorForm::kRaw), &first).ok());
  ASSERT_TRUE(Infer(TinyLmRequest("determinism", 20, TensorForm::kRaw), &second).ok());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(first.raw_output_contents(i), second.raw_output_contents(i));
}

TEST_F(ServerInferTest, ResponseCarriesTheServerTime) {
  StartServer();
  inference::ModelInferResponse response;
  const int64_t before = absl::ToUnixNanos(absl::Now());
  ASSERT_TRUE(Infer(ClassifierRequest(ClassifierRows(1)), &response).ok());
  const int64_t after = absl::ToUnixNanos(absl::Now());
  const auto& parameter = response.parameters().at("server_time_unix_ns");
  ASSERT_EQ(parameter.parameter_choice_case(), inference::InferParameter::kInt64Param);
  EXPECT_GE(parameter.int64_param(), before);
  EXPECT_LE(parameter.int64_param(), after);
}

TEST_F(ServerInferTest, RequestedOutputsAreTheOnlyOnesReturned) {
  StartServer();
  auto request = TinyLmRequest("abc", 3);
  request.add_outputs()->set_name("TOKEN_IDS");
  inference::ModelInferResponse response;
  ASSERT_TRUE(Infer(request, &response).ok());
  ASSERT_EQ(response.outputs_size(), 1);
  EXPECT_EQ(response.outputs(0).name(), "TOKEN_IDS");
  EXPECT_EQ(response.outputs(0).contents().int_contents_size(), 3);
}

TEST_F(ServerInferTest, EveryMalformedRequestIsInvalidArgumentAndTheServerStaysUp) {
  StartServer();
  const auto cases = MalformedRequests();
  ASSERT_GE(cases.size(), 20u);
  for (const MalformedCase& c : cases) {
    inference::ModelInferResponse response;
    const grpc::Status status = Infer(c.make(), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.name;
    EXPECT_THAT(status.error_message(), HasSubstr(c.message_part)) << c.name;
  }
  EXPECT_TRUE(server_->running());
  EXPECT_EQ(Classify(ClassifierRows(2)), InProcessClassifier(ClassifierRows(2)));
}

TEST_F(ServerInferTest, UnknownModelOrVersionIsNotFound) {
  StartServer();
  inference::ModelInferResponse response;
  auto request = ClassifierRequest(ClassifierRows(1));
  request.set_model_name("resnet50");
  EXPECT_EQ(Infer(request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  request.set_model_name("classifier");
  request.set_model_version("2");
  EXPECT_EQ(Infer(request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  request.set_model_version("1");
  EXPECT_TRUE(Infer(request, &response).ok());

  grpc::ClientContext context;
  inference::ModelMetadataRequest metadata_request;
  metadata_request.set_name("resnet50");
  inference::ModelMetadataResponse metadata;
  EXPECT_EQ(stub_->ModelMetadata(&context, metadata_request, &metadata).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServerInferTest, OversizedMessageIsResourceExhausted) {
  StartServer();
  auto request = ClassifierRequest(ClassifierRows(1), TensorForm::kRaw);
  request.mutable_raw_input_contents(0)->assign(17 << 20, 'x');
  inference::ModelInferResponse response;
  EXPECT_EQ(Infer(request, &response).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(ModelReady("classifier"));
}

TEST_F(ServerInferTest, MetadataDescribesServerAndModels) {
  StartServer();
  {
    grpc::ClientContext context;
    inference::ServerMetadataResponse metadata;
    ASSERT_TRUE(stub_->ServerMetadata(&context, {}, &metadata).ok());
    EXPECT_EQ(metadata.name(), "faultdrill-model-server");
    EXPECT_FALSE(metadata.version().empty());
    EXPECT_EQ(metadata.extensions_size(), 0);
  }
  grpc::ClientContext context;
  inference::ModelMetadataRequest request;
  request.set_name("tinylm");
  inference::ModelMetadataResponse metadata;
  ASSERT_TRUE(stub_->ModelMetadata(&context, request, &metadata).ok());
  EXPECT_EQ(metadata.name(), "tinylm");
  EXPECT_THAT(metadata.versions(), ::testing::ElementsAre("1"));
  EXPECT_EQ(metadata.platform(), "faultdrill");
  ASSERT_EQ(metadata.inputs_size(), 1);
  EXPECT_EQ(metadata.inputs(0).name(), "PROMPT");
  EXPECT_EQ(metadata.inputs(0).datatype(), "BYTES");
  ASSERT_EQ(metadata.outputs_size(), 3);
  EXPECT_THAT(metadata.outputs(1).shape(), ::testing::ElementsAre(-1));
}

TEST_F(ServerInferTest, FullQueueAnswersResourceExhausted) {
  // One worker held 2 s by every request (the cost model, not the CPU) and room
  // for one more: a burst of 16 overflows on any machine.
  StartServer({"--queue-size", "1", "--workers", "1", "--cost", "tinylm:per_batch=2s"});
  constexpr int kBurst = 16;
  const auto request = TinyLmRequest("q", 1);
  std::vector<grpc::ClientContext> contexts(kBurst);
  std::vector<inference::ModelInferResponse> responses(kBurst);
  absl::Mutex mu;
  std::vector<grpc::StatusCode> codes;
  for (int i = 0; i < kBurst; ++i) {
    contexts[i].set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    stub_->async()->ModelInfer(&contexts[i], &request, &responses[i], [&](grpc::Status status) {
      absl::MutexLock lock(&mu);
      codes.push_back(status.error_code());
    });
  }
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(+[](std::vector<grpc::StatusCode>* c) { return c->size() == kBurst; },
                             &codes));
  }
  const auto count = [&](grpc::StatusCode code) { return std::count(codes.begin(), codes.end(), code); };
  EXPECT_GE(count(grpc::StatusCode::RESOURCE_EXHAUSTED), 1);
  EXPECT_GE(count(grpc::StatusCode::OK), 1);
  EXPECT_EQ(count(grpc::StatusCode::OK) + count(grpc::StatusCode::RESOURCE_EXHAUSTED), kBurst);
}

TEST_F(ServerInferTest, ACostPerOutputTokenHoldsEachAnswerAtLeastThatLong) {
  StartServer({"--cost", "tinylm:per_output_token=25ms"});
  inference::ModelInferResponse response;
  const auto sent = std::chrono::steady_clock::now();
  ASSERT_TRUE(Infer(TinyLmRequest("hello", 4), &response).ok());
  EXPECT_GE(std::chrono::steady_clock::now() - sent, std::chrono::milliseconds(100));  // 4 tokens x 25 ms
}

TEST_F(ServerInferTest, ShortDeadlineIsDeadlineExceededAndTheServerRecovers) {
  StartServer({"--workers", "1"});
  inference::ModelInferResponse response;
  const auto slow = TinyLmRequest(std::string(4096, 'd'), 256);
  EXPECT_EQ(Infer(slow, &response, std::chrono::milliseconds(5)).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(Classify(ClassifierRows(1)), InProcessClassifier(ClassifierRows(1)));
}

TEST_F(ServerInferTest, ConcurrentClassifierRequestsAreBatchedWithoutChangingResults) {
  StartServer({"--batch-window", "2ms"});
  constexpr int kThreads = 8;
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto stub = server_->InferenceStub();
      for (int i = 0; i < 10; ++i) {
        const std::vector<float> rows = ClassifierRows(1 + (t + i) % 4, t * 100 + i);
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
        inference::ModelInferResponse response;
        const grpc::Status status = stub->ModelInfer(&context, ClassifierRequest(rows), &response);
        if (!status.ok() || Fp32Output(response, 0) != InProcessClassifier(rows)) ++mismatches;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace faultdrill::testing
