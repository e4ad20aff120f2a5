// Token-level comparison of generated text and token ids.
#include "golden/token_compare.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/golden/responses.h"

namespace faultdrill::golden {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TensorComparison CompareText(const std::string& actual, const std::string& expected, uint64_t max_edit_distance) {
  inference::ModelInferResponse a, e;
  testing::AddRaw(a, "TEXT", "BYTES", {1}, testing::RawBytesOf({actual}));
  testing::AddRaw(e, "TEXT", "BYTES", {1}, testing::RawBytesOf({expected}));
  return CompareTensor(testing::View(a), testing::View(e), ToleranceSpec{.max_edit_distance = max_edit_distance}, true);
}

EditDistance Distance(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b, uint64_t cap = 512) {
  return TokenEditDistance(absl::MakeConstSpan(a), absl::MakeConstSpan(b), cap);
}

TEST(Tokens, SplitOnAnyAsciiWhitespace) {
  const std::vector<std::string_view> elements = {"  the quick\tbrown\n", "fox\r\n"};
  EXPECT_THAT(SplitTokens(elements), ElementsAre("the", "quick", "brown", "fox"));
  EXPECT_TRUE(SplitTokens(std::vector<std::string_view>{" \n "}).empty());
}

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(Distance({1, 2, 3}, {1, 2, 3}).distance, 0u);
  EXPECT_EQ(Distance({1, 2, 3}, {1, 3}).distance, 1u);
  EXPECT_EQ(Distance({1, 2, 3}, {1, 9, 3}).distance, 1u);
  EXPECT_EQ(Distance({1, 2, 3}, {0, 1, 2, 3, 4}).distance, 2u);
  EXPECT_EQ(Distance({}, {1, 2}).distance, 2u);
  EXPECT_EQ(Distance({1, 2, 3, 4}, {4, 3, 2, 1}).distance, 4u);
  // kitten -> sitting, by letters.
  EXPECT_EQ(Distance({'k', 'i', 't', 't', 'e', 'n'}, {'s', 'i', 't', 't', 'i', 'n', 'g'}).distance, 3u);
}

TEST(EditDistance, BeyondTheBandItIsCapped) {
  std::vector<uint64_t> a(2000), b(2000);
  for (size_t i = 0; i < a.size(); ++i) a[i] = i, b[i] = i + 100000;
  const EditDistance d = Distance(a, b, 100);
  EXPECT_TRUE(d.capped);
  EXPECT_EQ(d.distance, 101u);
  const EditDistance lengths = Distance(std::vector<uint64_t>(300, 1), std::vector<uint64_t>(10, 1), 100);
  EXPECT_TRUE(lengths.capped);
}

TEST(EditDistance, WithinTheBandItIsExactOnLongSequences) {
  std::vector<uint64_t> a(50000), b;
  for (size_t i = 0; i < a.size(); ++i) a[i] = i % 97;
  b = a;
  b.erase(b.begin() + 100);
  b[30000] = 1000;
  b.insert(b.begin() + 40000, 7);
  EXPECT_EQ(Distance(a, b, 16).distance, 3u);
}

TEST(TextRule, FirstDifferingTokenAndDistanceAreReported) {
  const TensorComparison c = CompareText("the quick red fox jumps", "the quick brown fox", 0);
  EXPECT_TRUE(c.differs);
  EXPECT_EQ(c.edit_distance, 2u);
  ASSERT_TRUE(c.first_token_difference);
  EXPECT_EQ(c.first_token_difference->index, 2u);
  EXPECT_EQ(c.first_token_difference->expected, "\"brown\"");
  EXPECT_EQ(c.first_token_difference->actual, "\"red\"");
  EXPECT_EQ(c.problem, "token 2 differs (expected \"brown\", actual \"red\"); edit distance 2 > 0 (4 vs 5 tokens)");
  EXPECT_EQ(c.side_by_side[0], (std::array<std::string, 3>{"token 2", "\"brown\"", "\"red\""}));
}

TEST(TextRule, PassesWithinTheAllowedDistance) {
  const TensorComparison c = CompareText("the quick red fox", "the quick brown fox", 1);
  EXPECT_FALSE(c.differs);
  EXPECT_EQ(c.edit_distance, 1u);
  EXPECT_TRUE(c.first_token_difference);
}

TEST(TextRule, WhitespaceAloneIsNoDifference) {
  EXPECT_FALSE(CompareText("the  quick\nfox", "the quick fox", 0).differs);
}

TEST(TextRule, ShorterOutputEndsEarly) {
  const TensorComparison c = CompareText("the quick", "the quick fox", 0);
  EXPECT_EQ(c.first_token_difference->expected, "\"fox\"");
  EXPECT_EQ(c.first_token_difference->actual, "<end>");
}

TEST(TokenIdRule, SequencesOfDifferentLengthsAreComparedNotRejectedByShape) {
  inference::ModelInferResponse a, e;
  testing::AddRaw(a, "TOKEN_IDS", "INT32", {4}, testing::RawOf(std::vector<int32_t>{104, 105, -1, 33}));
  testing::AddRaw(e, "TOKEN_IDS", "INT32", {3}, testing::RawOf(std::vector<int32_t>{104, 105, 33}));
  const TensorComparison c =
      CompareTensor(testing::View(a), testing::View(e), ToleranceSpec{.max_edit_distance = 0}, true);
  EXPECT_TRUE(c.differs);
  EXPECT_EQ(c.edit_distance, 1u);
  EXPECT_THAT(c.problem, HasSubstr("token 2 differs (expected 33, actual -1)"));
  EXPECT_FALSE(CompareTensor(testing::View(a), testing::View(e), ToleranceSpec{.max_edit_distance = 1}, true).differs);
}

TEST(TokenIdRule, FloatOutputsIgnoreTheTokenRule) {
  const auto a = testing::RawFp32("LOGPROBS", {2}, {-0.5f, -1.0f});
  const auto e = testing::RawFp32("LOGPROBS", {2}, {-0.5f, -1.5f});
  // max_edit_distance alone: the float output falls back to the default element rule.
  EXPECT_TRUE(CompareTensor(testing::View(a), testing::View(e), ToleranceSpec{.max_edit_distance = 3}, true).differs);
}

}  // namespace
}  // namespace faultdrill::golden
