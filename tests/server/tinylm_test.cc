#include "server/tinylm.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>

namespace faultdrill::server {
namespace {

TinyLm ReferenceLm(uint64_t seed = 42) {
  absl::StatusOr<TinyLm> lm =
      TinyLm::FromWeights(GenerateWeights(kTinyLmName, TinyLm::WeightsRecipe(), seed));
  EXPECT_TRUE(lm.ok()) << lm.status();
  return *std::move(lm);
}

TinyLm::Generation Generate(const TinyLm& lm, std::string_view prompt, int tokens) {
  absl::StatusOr<TinyLm::Generation> generation = lm.Generate(prompt, tokens, Interrupt());
  EXPECT_TRUE(generation.ok()) << generation.status();
  return generation.value_or(TinyLm::Generation{});
}

bool BitIdentical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(TinyLm, SameWeightsAndPromptGiveBitIdenticalOutputs) {
  const TinyLm first = ReferenceLm();
  const TinyLm second = ReferenceLm();
  const auto a = Generate(first, "The quick brown fox", 32);
  const auto b = Generate(second, "The quick brown fox", 32);
  const auto c = Generate(first, "The quick brown fox", 32);
  EXPECT_EQ(a.token_ids, b.token_ids);
  EXPECT_TRUE(BitIdentical(a.logprobs, b.logprobs));
  EXPECT_TRUE(BitIdentical(a.logprobs, c.logprobs));
  EXPECT_EQ(a.text.size(), 32u);
}

TEST(TinyLm, DifferentWeightsOrPromptsGiveDifferentOutputs) {
  const auto a = Generate(ReferenceLm(42), "hello", 16);
  const auto b = Generate(ReferenceLm(43), "hello", 16);
  const auto c = Generate(ReferenceLm(42), "world", 16);
  EXPECT_FALSE(BitIdentical(a.logprobs, b.logprobs));
  EXPECT_FALSE(BitIdentical(a.logprobs, c.logprobs));
}

TEST(TinyLm, ContinuingFromAGeneratedTokenMatchesTheLongerGeneration) {
  // The key/value cache must make step-by-step decoding equal to re-feeding the
  // prefix: generating 8 tokens from P equals P + first token, then 7 more.
  const TinyLm lm = ReferenceLm();
  const auto whole = Generate(lm, "abc", 8);
  const auto rest = Generate(lm, "abc" + whole.text.substr(0, 1), 7);
  EXPECT_EQ(rest.text, whole.text.substr(1));
  EXPECT_TRUE(BitIdentical(rest.logprobs,
                           std::vector<float>(whole.logprobs.begin() + 1, whole.logprobs.end())));
}

TEST(TinyLm, StepGivesANormalisedLogDistribution) {
  const TinyLm lm = ReferenceLm();
  TinyLm::State state;
  std::vector<float> logprobs(TinyLm::kVocab);
  for (char c : std::string("normalise")) lm.Step(state, static_cast<uint8_t>(c), logprobs);
  EXPECT_EQ(state.position(), 9);
  double total = 0;
  for (float lp : logprobs) {
    EXPECT_LE(lp, 0.0f);
    total += std::exp(static_cast<double>(lp));
  }
  EXPECT_NEAR(total, 1.0, 1e-4);
}

TEST(TinyLm, ZeroOutputProjectionGivesTheUniformDistribution) {
  WeightsFile weights = GenerateWeights(kTinyLmName, TinyLm::WeightsRecipe(), 42);
  for (WeightsTensor& tensor : weights.tensors) {
    if (tensor.name == "lm_head") std::fill(tensor.values.begin(), tensor.values.end(), 0.0f);
  }
  absl::StatusOr<TinyLm> lm = TinyLm::FromWeights(weights);
  ASSERT_TRUE(lm.ok());
  const auto generation = Generate(*lm, "x", 3);
  // All logits equal: every byte has log(1/256); greedy takes the first
  // emittable byte, '\n'.
  for (float lp : generation.logprobs) EXPECT_NEAR(lp, -std::log(256.0f), 1e-5);
  EXPECT_EQ(generation.text, "\n\n\n");
}

TEST(TinyLm, GeneratesOnlyPrintableAsciiAndNewline) {
  const auto generation = Generate(ReferenceLm(), "\xc3\xa9t\xc3\xa9 \xe2\x82\xac", 64);
  for (int32_t id : generation.token_ids) {
    EXPECT_TRUE(id == '\n' || (id >= 0x20 && id <= 0x7e)) << id;
  }
}

TEST(TinyLm, PromptsLongerThanTheAttentionWindowWork) {
  const std::string prompt(TinyLm::kWindow * 3 + 5, 'a');
  const auto generation = Generate(ReferenceLm(), prompt, 4);
  EXPECT_EQ(generation.token_ids.size(), 4u);
}

TEST(TinyLm, StopsWithDeadlineExceededWhenTheDeadlinePassed) {
  const TinyLm lm = ReferenceLm();
  const Interrupt past(absl::Now() - absl::Seconds(1), nullptr);
  EXPECT_EQ(lm.Generate("hi", 16, past).status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(TinyLm, StopsWhenCancelled) {
  const TinyLm lm = ReferenceLm();
  std::atomic<bool> cancelled{true};
  const Interrupt interrupt(absl::InfiniteFuture(), &cancelled);
  EXPECT_EQ(lm.Generate("hi", 16, interrupt).status().code(), absl::StatusCode::kCancelled);
}

TEST(TinyLm, ServableModelReturnsTheThreeOutputs) {
  absl::StatusOr<std::shared_ptr<const Model>> model =
      LoadTinyLmModel(GenerateWeights(kTinyLmName, TinyLm::WeightsRecipe(), 42));
  ASSERT_TRUE(model.ok());
  Tensor prompt{"PROMPT", DataType::kBytes, {1}, {}, {}, {"hello"}};
  auto outputs = (*model)->Run({prompt}, {{"max_tokens", 5}}, Interrupt());
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  ASSERT_EQ(outputs->size(), 3u);
  EXPECT_EQ((*outputs)[0].name, "TEXT");
  EXPECT_EQ((*outputs)[0].bytes[0].size(), 5u);
  EXPECT_EQ((*outputs)[1].shape, std::vector<int64_t>{5});
  EXPECT_EQ((*outputs)[2].fp32.size(), 5u);
}

}  // namespace
}  // namespace faultdrill::server
