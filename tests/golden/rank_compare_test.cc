// Ranking rules for classifiers: argmax and top-k per row.
#include "golden/rank_compare.h"

#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/golden/responses.h"

namespace faultdrill::golden {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();

TensorComparison CompareRows(const std::vector<float>& actual, const std::vector<float>& expected, int64_t rows,
                             const ToleranceSpec& tolerance) {
  const int64_t cols = int64_t(actual.size()) / rows;
  const auto a = testing::RawFp32("PROBABILITIES", {rows, cols}, actual);
  const auto e = testing::RawFp32("PROBABILITIES", {rows, cols}, expected);
  return CompareTensor(testing::View(a), testing::View(e), tolerance, true);
}

TEST(Argmax, TiesGoToTheLowestIndex) {
  const auto r = testing::RawFp32("P", {1, 4}, {0.1f, 0.4f, 0.4f, 0.1f});
  EXPECT_EQ(RowArgmax(testing::View(r), 0, 4), 1);
}

TEST(Argmax, NanRanksBelowEveryNumber) {
  const auto r = testing::RawFp32("P", {1, 3}, {kNan, -5.0f, kNan});
  EXPECT_EQ(RowArgmax(testing::View(r), 0, 3), 1);
  const auto all_nan = testing::RawFp32("P", {1, 2}, {kNan, kNan});
  EXPECT_EQ(RowArgmax(testing::View(all_nan), 0, 2), 0);
}

TEST(Argmax, AloneItIgnoresValueDifferences) {
  const ToleranceSpec argmax{.argmax = true};
  const TensorComparison c =
      CompareRows({0.1f, 0.7f, 0.2f, 0.6f, 0.3f, 0.1f}, {0.2f, 0.5f, 0.3f, 0.5f, 0.4f, 0.1f}, 2, argmax);
  EXPECT_FALSE(c.differs);
  EXPECT_EQ(c.rows, 2u);
  EXPECT_GT(c.max_abs_error, 0.1);  // still measured
}

TEST(Argmax, ADisagreeingRowIsLocated) {
  const ToleranceSpec argmax{.argmax = true};
  const TensorComparison c =
      CompareRows({0.1f, 0.7f, 0.2f, 0.6f, 0.3f, 0.1f}, {0.1f, 0.7f, 0.2f, 0.2f, 0.7f, 0.1f}, 2, argmax);
  EXPECT_TRUE(c.differs);
  EXPECT_EQ(c.argmax_disagreements, 1u);
  EXPECT_EQ(c.problem, "argmax differs in 1 of 2 rows (first row [1,:]: expected class 1, actual 0)");
  EXPECT_EQ(c.side_by_side[0], (std::array<std::string, 3>{"[1,:] argmax", "1", "0"}));
}

TEST(Argmax, WithAValueToleranceBothMustHold) {
  const ToleranceSpec both{.abs = 0.5, .argmax = true};
  const TensorComparison c = CompareRows({0.4f, 0.3f}, {0.3f, 0.4f}, 1, both);
  EXPECT_TRUE(c.differs);
  EXPECT_EQ(c.differing_elements, 0u);
  EXPECT_EQ(c.argmax_disagreements, 1u);
}

TEST(TopK, SetsOfTheHighestIndexesAreCompared) {
  const auto r = testing::RawFp32("P", {1, 4}, {0.1f, 0.4f, 0.3f, 0.2f});
  EXPECT_THAT(RowTopK(testing::View(r), 0, 4, 2), ElementsAre(1, 2));
  const ToleranceSpec top2{.top_k = 2};
  // Same set {1,2} in another order: agrees.
  EXPECT_FALSE(CompareRows({0.1f, 0.3f, 0.4f, 0.2f}, {0.1f, 0.4f, 0.3f, 0.2f}, 1, top2).differs);
  const TensorComparison c = CompareRows({0.1f, 0.4f, 0.2f, 0.3f}, {0.1f, 0.4f, 0.3f, 0.2f}, 1, top2);
  EXPECT_TRUE(c.differs);
  EXPECT_EQ(c.top_k_disagreements, 1u);
  EXPECT_THAT(c.problem,
              HasSubstr("top-2 classes differ in 1 of 1 rows (first row [0,:]: expected {1,2}, actual {1,3})"));
}

TEST(TopK, KAtLeastTheRowLengthAlwaysAgrees) {
  const ToleranceSpec top9{.top_k = 9};
  EXPECT_FALSE(CompareRows({0.4f, 0.3f, 0.2f}, {0.2f, 0.3f, 0.4f}, 1, top9).differs);
}

TEST(TopK, TiesAtTheBoundaryGoToTheLowerIndex) {
  const auto r = testing::RawFp32("P", {1, 4}, {0.2f, 0.5f, 0.2f, 0.2f});
  EXPECT_THAT(RowTopK(testing::View(r), 0, 4, 2), ElementsAre(1, 0));
}

TEST(TopK, IntegerScoresRankToo) {
  inference::ModelInferResponse a, e;
  testing::AddRaw(a, "S", "INT32", {1, 3}, testing::RawOf(std::vector<int32_t>{1, 9, 3}));
  testing::AddRaw(e, "S", "INT32", {1, 3}, testing::RawOf(std::vector<int32_t>{1, 8, 3}));
  EXPECT_FALSE(CompareTensor(testing::View(a), testing::View(e), ToleranceSpec{.argmax = true}, true).differs);
}

}  // namespace
}  // namespace faultdrill::golden
