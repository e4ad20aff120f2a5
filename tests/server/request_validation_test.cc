#include "server/request_validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/classifier.h"
#include "server/weights_generator.h"
#include "server/tinylm.h"
#include "tests/server/infer_requests.h"
#include "tests/server/malformed_requests.h"

namespace faultdrill::server {
namespace {

using ::testing::HasSubstr;
using testing::TensorForm;

const ModelSignature& SignatureFor(const inference::ModelInferRequest& request) {
  return request.model_name() == "tinylm" ? TinyLmSignature() : ClassifierSignature();
}

TEST(RequestValidation, AcceptsAClassifierRequestInBothForms) {
  for (TensorForm form : {TensorForm::kTyped, TensorForm::kRaw}) {
    const auto request = testing::ClassifierRequest(testing::ClassifierRows(3), form);
    absl::StatusOr<ValidatedRequest> validated = ValidateInferRequest(request, ClassifierSignature());
    ASSERT_TRUE(validated.ok()) << validated.status();
    EXPECT_EQ(validated->rows, 3);
    EXPECT_EQ(validated->inputs[0].fp32, testing::ClassifierRows(3));
    EXPECT_EQ(validated->raw_form, form == TensorForm::kRaw);
    EXPECT_EQ(validated->outputs, std::vector<std::string>{"PROBABILITIES"});
    EXPECT_EQ(validated->id, "classifier-request");
  }
}

TEST(RequestValidation, AcceptsATinyLmRequestInBothForms) {
  for (TensorForm form : {TensorForm::kTyped, TensorForm::kRaw}) {
    const auto request = testing::TinyLmRequest("h\xc3\xa9llo", 7, form);
    absl::StatusOr<ValidatedRequest> validated = ValidateInferRequest(request, TinyLmSignature());
    ASSERT_TRUE(validated.ok()) << validated.status();
    EXPECT_EQ(validated->inputs[0].bytes, std::vector<std::string>{"h\xc3\xa9llo"});
    EXPECT_EQ(validated->parameters.at("max_tokens"), 7);
  }
}

TEST(RequestValidation, MaxTokensDefaultsTo16) {
  auto request = testing::TinyLmRequest("hi", 1);
  request.clear_parameters();
  EXPECT_EQ(ValidateInferRequest(request, TinyLmSignature())->parameters.at("max_tokens"), 16);
}

TEST(RequestValidation, RequestedOutputsKeepTheirOrder) {
  auto request = testing::TinyLmRequest("hi", 1);
  request.add_outputs()->set_name("LOGPROBS");
  request.add_outputs()->set_name("TEXT");
  EXPECT_EQ(ValidateInferRequest(request, TinyLmSignature())->outputs,
            (std::vector<std::string>{"LOGPROBS", "TEXT"}));
}

class MalformedRequestTest : public ::testing::TestWithParam<testing::MalformedCase> {};

TEST_P(MalformedRequestTest, IsInvalidArgumentNamingTheProblem) {
  const inference::ModelInferRequest request = GetParam().make();
  absl::StatusOr<ValidatedRequest> validated = ValidateInferRequest(request, SignatureFor(request));
  ASSERT_FALSE(validated.ok());
  EXPECT_EQ(validated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(validated.status().message()), HasSubstr(GetParam().message_part));
}

INSTANTIATE_TEST_SUITE_P(Table, MalformedRequestTest,
                         ::testing::ValuesIn(testing::MalformedRequests()),
                         [](const auto& info) { return info.param.name; });

TEST(RequestValidation, RandomlyMutatedRequestsNeverCrashValidationOrTheModels) {
  // Fixed seed: the same mutations on every run.
  uint64_t state = 12345;
  const auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  auto tinylm = LoadTinyLmModel(GenerateWeights(kTinyLmName, TinyLm::WeightsRecipe(), 42));
  auto classifier =
      LoadClassifierModel(GenerateWeights(kClassifierName, Classifier::WeightsRecipe(), 42));
  ASSERT_TRUE(tinylm.ok() && classifier.ok());
  const std::vector<std::string> seeds = {
      testing::ClassifierRequest(testing::ClassifierRows(2)).SerializeAsString(),
      testing::ClassifierRequest(testing::ClassifierRows(2), TensorForm::kRaw).SerializeAsString(),
      testing::TinyLmRequest("fuzz", 2).SerializeAsString(),
      testing::TinyLmRequest("fuzz", 2, TensorForm::kRaw).SerializeAsString(),
  };
  int accepted = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string bytes = seeds[i % seeds.size()];
    for (int flips = 1 + static_cast<int>(next() % 4); flips > 0; --flips) {
      bytes[next() % bytes.size()] = static_cast<char>(next());
    }
    inference::ModelInferRequest request;
    if (!request.ParseFromString(bytes)) continue;
    const bool is_tinylm = i % seeds.size() >= 2;
    const Model& model = is_tinylm ? **tinylm : **classifier;
    absl::StatusOr<ValidatedRequest> validated = ValidateInferRequest(request, model.signature());
    if (!validated.ok()) continue;
    ++accepted;
    validated->parameters["max_tokens"] = std::min<int64_t>(validated->parameters["max_tokens"], 2);
    auto outputs = model.Run(validated->inputs, validated->parameters, Interrupt());
    ASSERT_TRUE(outputs.ok()) << outputs.status();
    for (const Tensor& output : *outputs) EXPECT_TRUE(AllFinite(output)) << output.name;
  }
  EXPECT_GT(accepted, 0);
}

struct Utf8Case {
  std::string text;
  bool valid;
};

TEST(IsValidUtf8, AcceptsStrictUtf8Only) {
  const std::vector<Utf8Case> cases = {
      {"plain ascii", true},
      {"\xc3\xa9", true},                // é
      {"\xe2\x82\xac", true},            // €
      {"\xf0\x9f\x98\x80", true},        // 😀
      {"\xf4\x8f\xbf\xbf", true},        // U+10FFFF
      {"\xc3", false},                   // truncated
      {"\xc0\xaf", false},               // overlong '/'
      {"\xe0\x80\xaf", false},           // overlong
      {"\xed\xa0\x80", false},           // surrogate
      {"\xf4\x90\x80\x80", false},       // above U+10FFFF
      {"\xff", false},
      {"a\x80", false},                  // stray continuation
      {std::string("nul\0ok", 6), true},
  };
  for (const Utf8Case& c : cases) EXPECT_EQ(IsValidUtf8(c.text), c.valid) << c.text;
}

}  // namespace
}  // namespace faultdrill::server
