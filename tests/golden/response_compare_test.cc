// Whole responses against masters, and the shadow case (candidate vs primary).
#include "golden/response_compare.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/golden/responses.h"

namespace faultdrill::golden {
namespace {

using testing::AddRaw;
using ::testing::HasSubstr;
using testing::RawBytesOf;
using testing::RawOf;

// tinylm's outputs.
inference::ModelInferResponse TinyLm(const std::string& text, std::vector<int32_t> ids, std::vector<float> logprobs) {
  inference::ModelInferResponse r;
  AddRaw(r, "TEXT", "BYTES", {1}, RawBytesOf({text}));
  AddRaw(r, "TOKEN_IDS", "INT32", {int64_t(ids.size())}, RawOf(ids));
  AddRaw(r, "LOGPROBS", "FP32", {int64_t(logprobs.size())}, RawOf(logprobs));
  return r;
}

MasterResponse Master(const inference::ModelInferResponse& r, uint64_t index = 0) {
  absl::StatusOr<MasterResponse> m = Masters::MasterFromResponse(index, r);
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? *m : MasterResponse{};
}

TEST(CompareResponse, SameOutputsDoNotDiffer) {
  const auto r = TinyLm("hi there", {104, 105}, {-0.5f, -0.25f});
  const ResponseComparison c = CompareResponse(r, Master(r), GoldenSpec{});
  EXPECT_FALSE(c.differs);
  EXPECT_EQ(c.outputs_compared, 3u);
  EXPECT_TRUE(c.differences.empty());
}

TEST(CompareResponse, EachOutputUsesItsOwnTolerance) {
  const auto expected = TinyLm("hi there", {104, 105}, {-0.5f, -0.25f});
  const auto actual = TinyLm("hi where", {104, 106}, {-0.5f, -0.2501f});
  GoldenSpec spec;
  spec.tolerance.abs = 1e-3;
  spec.outputs = {{"TEXT", ToleranceSpec{.max_edit_distance = 1}}, {"TOKEN_IDS", ToleranceSpec{.abs = 1}}};
  const ResponseComparison c = CompareResponse(actual, Master(expected), spec);
  EXPECT_FALSE(c.differs);
  EXPECT_EQ(c.max_edit_distance, 1u);
  EXPECT_NEAR(c.max_abs_error, 1.0, 1e-9);  // TOKEN_IDS 105 -> 106
}

TEST(CompareResponse, TheFirstDifferingOutputIsReported) {
  const auto expected = TinyLm("hi", {104, 105}, {-0.5f, -0.25f});
  const auto actual = TinyLm("hi", {104, 105}, {-0.5f, -0.75f});
  const ResponseComparison c = CompareResponse(actual, Master(expected, 17), GoldenSpec{});
  ASSERT_TRUE(c.differs);
  ASSERT_EQ(c.differences.size(), 1u);
  EXPECT_EQ(c.differences[0].output, "LOGPROBS");
  const ResponseDiff diff = ToResponseDiff(c, 1.5, 17);
  EXPECT_EQ(diff.request_index, 17u);
  EXPECT_EQ(diff.t_s, 1.5);
  EXPECT_EQ(diff.output, "LOGPROBS");
  EXPECT_THAT(diff.problem, HasSubstr("1 of 2 elements differ; max abs error 0.5 at [1]"));
  EXPECT_EQ(diff.side_by_side[0], (std::array<std::string, 3>{"[1]", "-0.25", "-0.75"}));
}

TEST(CompareResponse, MissingAndUnexpectedOutputsDiffer) {
  inference::ModelInferResponse expected, actual;
  AddRaw(expected, "A", "FP32", {1}, RawOf(std::vector<float>{1}));
  AddRaw(expected, "B", "FP32", {1}, RawOf(std::vector<float>{2}));
  AddRaw(actual, "A", "FP32", {1}, RawOf(std::vector<float>{1}));
  AddRaw(actual, "C", "FP32", {1}, RawOf(std::vector<float>{2}));
  const ResponseComparison c = CompareResponse(actual, Master(expected), GoldenSpec{});
  ASSERT_EQ(c.differences.size(), 2u);
  EXPECT_EQ(c.differences[0].comparison.problem, "missing output 'B'");
  EXPECT_EQ(c.differences[1].comparison.problem, "unexpected output 'C' (the master has no such output)");
  EXPECT_EQ(ToResponseDiff(c, 0, 0).problem, "missing output 'B' (and 1 more output differs)");
}

TEST(CompareResponse, AMalformedResponseDiffers) {
  const auto expected = testing::RawFp32("A", {2}, {1, 2});
  inference::ModelInferResponse actual;
  AddRaw(actual, "A", "FP32", {2}, "short");
  const ResponseComparison c = CompareResponse(actual, Master(expected), GoldenSpec{});
  ASSERT_TRUE(c.differs);
  EXPECT_EQ(c.differences[0].output, "");
  EXPECT_THAT(c.differences[0].comparison.problem, HasSubstr("malformed response: output 'A': raw contents hold 5"));
}

TEST(CompareResponse, NanRuleComesFromTheSpec) {
  const auto r = testing::RawFp32("A", {1}, {std::numeric_limits<float>::quiet_NaN()});
  EXPECT_FALSE(CompareResponse(r, Master(r), GoldenSpec{.nan_equal = true}).differs);
  EXPECT_TRUE(CompareResponse(r, Master(r), GoldenSpec{.nan_equal = false}).differs);
}

TEST(CompareResponses, CandidateIsJudgedAgainstThePrimary) {
  const auto primary = testing::TypedFp32("PROBABILITIES", {1, 4}, {0.1f, 0.2f, 0.3f, 0.4f});
  const auto same = testing::RawFp32("PROBABILITIES", {1, 4}, {0.1f, 0.2f, 0.3f, 0.4f});
  const auto other = testing::RawFp32("PROBABILITIES", {1, 4}, {0.1f, 0.2f, 0.4f, 0.3f});
  EXPECT_FALSE(CompareResponses(same, primary, GoldenSpec{}).differs);
  GoldenSpec argmax;
  argmax.tolerance.argmax = true;
  const ResponseComparison c = CompareResponses(other, primary, argmax);
  EXPECT_TRUE(c.differs);
  EXPECT_EQ(c.argmax_disagreements, 1u);
  inference::ModelInferResponse broken_primary;
  AddRaw(broken_primary, "PROBABILITIES", "FP32", {1, 4}, "x");
  EXPECT_THAT(CompareResponses(same, broken_primary, GoldenSpec{}).differences[0].comparison.problem,
              HasSubstr("the primary's response is malformed"));
}

}  // namespace
}  // namespace faultdrill::golden
