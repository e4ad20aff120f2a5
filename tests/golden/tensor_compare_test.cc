// The element rule: tolerances, special values, mismatches, datatypes.
#include "golden/tensor_compare.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "gmock/gmock.h"
#include "golden/float32_scan.h"
#include "gtest/gtest.h"
#include "tests/golden/responses.h"

namespace faultdrill::golden {
namespace {

using testing::AddOutputHeader;
using testing::AddRaw;
using ::testing::HasSubstr;
using testing::RawOf;

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kDenormMin = std::numeric_limits<float>::denorm_min();

// Compares two FP32 tensors of shape [n] (raw form).
TensorComparison CompareFloats(const std::vector<float>& actual, const std::vector<float>& expected,
                               const ToleranceSpec& tolerance = {}, bool nan_equal = true) {
  const auto a = testing::RawFp32("Y", {int64_t(actual.size())}, actual);
  const auto e = testing::RawFp32("Y", {int64_t(expected.size())}, expected);
  return CompareTensor(testing::View(a), testing::View(e), tolerance, nan_equal);
}

ToleranceSpec Abs(double abs) { return ToleranceSpec{.abs = abs}; }
ToleranceSpec Rel(double rel) { return ToleranceSpec{.rel = rel}; }
ToleranceSpec Ulp(uint64_t ulp) { return ToleranceSpec{.ulp = ulp}; }
ToleranceSpec Exact() { return ToleranceSpec{.exact = true}; }

TEST(FloatRule, EqualArraysDoNotDiffer) {
  const TensorComparison c = CompareFloats({0.25f, 0.5f}, {0.25f, 0.5f});
  EXPECT_FALSE(c.differs);
  EXPECT_EQ(c.problem, "");
  EXPECT_EQ(c.elements, 2u);
  EXPECT_EQ(c.max_abs_error, 0);
}

TEST(FloatRule, DefaultsAreAbs1e6OrRel1e5) {
  EXPECT_FALSE(CompareFloats({1e-7f}, {0}).differs);         // abs passes
  EXPECT_TRUE(CompareFloats({3e-6f}, {0}).differs);          // neither passes
  EXPECT_FALSE(CompareFloats({1000.005f}, {1000}).differs);  // rel 5e-6 passes
  EXPECT_TRUE(CompareFloats({1000.1f}, {1000}).differs);     // rel 1e-4 fails
}

TEST(FloatRule, AbsToleranceAlone) {
  EXPECT_FALSE(CompareFloats({1.5f}, {1.0f}, Abs(0.5)).differs);  // at the bound
  EXPECT_TRUE(CompareFloats({1.5f}, {1.0f}, Abs(0.49)).differs);
}

TEST(FloatRule, RelToleranceAlone) {
  EXPECT_FALSE(CompareFloats({110}, {100}, Rel(0.1)).differs);
  EXPECT_TRUE(CompareFloats({111}, {100}, Rel(0.1)).differs);
  EXPECT_TRUE(CompareFloats({1e-9f}, {0}, Rel(0.5)).differs);  // rel of an expected 0 admits only 0
}

TEST(FloatRule, AnySetRulePasses) {
  const ToleranceSpec either{.abs = 0.01, .rel = 0.5};
  EXPECT_FALSE(CompareFloats({0.005f}, {0}, either).differs);  // abs passes, rel cannot
  EXPECT_FALSE(CompareFloats({140}, {100}, either).differs);   // rel passes, abs does not
  EXPECT_TRUE(CompareFloats({160}, {100}, either).differs);
}

TEST(FloatRule, UlpTolerance) {
  const float one = 1.0f;
  const float three_up = std::nextafter(std::nextafter(std::nextafter(one, 2.0f), 2.0f), 2.0f);
  EXPECT_FALSE(CompareFloats({three_up}, {one}, Ulp(3)).differs);
  EXPECT_TRUE(CompareFloats({three_up}, {one}, Ulp(2)).differs);
  EXPECT_EQ(CompareFloats({three_up}, {one}, Ulp(2)).max_ulp, 3u);
}

TEST(FloatRule, UlpDistanceOfAdjacentFloatsIsOne) {
  for (float x : {0.0f, 1.0f, -1.0f, 1e30f, kDenormMin, std::numeric_limits<float>::min()}) {
    const float next = std::nextafter(x, kInf);
    const TensorComparison c = CompareFloats({next}, {x}, Ulp(1));
    EXPECT_FALSE(c.differs) << x;
    EXPECT_EQ(c.max_ulp, 1u) << x;
  }
}

TEST(FloatRule, UlpDistanceAcrossZeroCountsZeroOnce) {
  EXPECT_EQ(CompareFloats({kDenormMin}, {-kDenormMin}, Ulp(1)).max_ulp, 2u);
  EXPECT_TRUE(CompareFloats({kDenormMin}, {-kDenormMin}, Ulp(1)).differs);
  EXPECT_FALSE(CompareFloats({kDenormMin}, {-kDenormMin}, Ulp(2)).differs);
  EXPECT_EQ(CompareFloats({-1.0f}, {1.0f}, Ulp(1)).max_ulp, 2u * 0x3f800000u);
}

TEST(FloatRule, SignedZerosAreEqual) {
  const TensorComparison c = CompareFloats({-0.0f}, {0.0f}, Ulp(0));
  EXPECT_FALSE(c.differs);
  EXPECT_EQ(c.max_ulp, 0u);
  EXPECT_TRUE(CompareFloats({-0.0f}, {0.0f}, Exact()).differs);  // bit for bit
}

TEST(FloatRule, DenormalsCompareByUlp) {
  const float a = 5 * kDenormMin, e = 3 * kDenormMin;
  EXPECT_EQ(CompareFloats({a}, {e}, Ulp(2)).max_ulp, 2u);
  EXPECT_FALSE(CompareFloats({a}, {e}, Ulp(2)).differs);
  EXPECT_TRUE(CompareFloats({a}, {e}, Exact()).differs);
  EXPECT_FALSE(CompareFloats({a}, {e}).differs);  // the default abs 1e-6 covers them
}

TEST(FloatRule, NanEqualsNanAtTheSamePlaceWhenAsked) {
  EXPECT_FALSE(CompareFloats({kNan, 1}, {kNan, 1}, {}, /*nan_equal=*/true).differs);
  const TensorComparison c = CompareFloats({kNan, 1}, {kNan, 1}, {}, /*nan_equal=*/false);
  EXPECT_TRUE(c.differs);
  EXPECT_EQ(c.differing_elements, 1u);
  EXPECT_EQ(c.nonfinite_mismatches, 1u);
}

TEST(FloatRule, NanAgainstANumberAlwaysDiffers) {
  for (bool nan_equal : {true, false}) {
    const TensorComparison c = CompareFloats({kNan, 1}, {0.5f, 1}, Abs(1e30), nan_equal);
    EXPECT_TRUE(c.differs);
    EXPECT_EQ(c.nonfinite_mismatches, 1u);
    EXPECT_THAT(c.problem, HasSubstr("1 with NaN or infinity (first at [0]: expected 0.5, actual nan)"));
    EXPECT_TRUE(std::isinf(c.max_abs_error));
  }
}

TEST(FloatRule, NanPayloadsMatterOnlyUnderExact) {
  const float other_nan = std::bit_cast<float>(0x7fc00001u);
  EXPECT_FALSE(CompareFloats({other_nan}, {kNan}).differs);
  EXPECT_TRUE(CompareFloats({other_nan}, {kNan}, Exact()).differs);
  EXPECT_FALSE(CompareFloats({kNan}, {kNan}, Exact()).differs);
  EXPECT_TRUE(CompareFloats({kNan}, {kNan}, Exact(), /*nan_equal=*/false).differs);
}

TEST(FloatRule, InfinityEqualsOnlyTheSameInfinity) {
  EXPECT_FALSE(CompareFloats({kInf, -kInf}, {kInf, -kInf}).differs);
  const TensorComparison c = CompareFloats({std::numeric_limits<float>::max()}, {kInf}, Ulp(10));
  EXPECT_TRUE(c.differs);  // FLT_MAX is 1 ULP from inf, but infinity is not a tolerance matter
  EXPECT_EQ(c.max_abs_error, std::numeric_limits<double>::infinity());
  EXPECT_EQ(c.max_rel_error, std::numeric_limits<double>::infinity());
  EXPECT_THAT(c.problem, HasSubstr("expected inf, actual 3.4028235e+38"));
  EXPECT_TRUE(CompareFloats({kInf}, {-kInf}, Abs(1e38)).differs);
}

TEST(FloatRule, ExactIsBitForBit) {
  EXPECT_FALSE(CompareFloats({0.1f}, {0.1f}, Exact()).differs);
  EXPECT_TRUE(CompareFloats({std::nextafter(0.1f, 1.0f)}, {0.1f}, Exact()).differs);
}

TEST(FloatRule, EmptyTensorsOfEqualShapeAreEqual) { EXPECT_FALSE(CompareFloats({}, {}).differs); }

TEST(FloatRule, ShapeMismatchDiffersAndSaysBoth) {
  const auto a = testing::RawFp32("Y", {1, 3}, {1, 2, 3});
  const auto e = testing::RawFp32("Y", {1, 4}, {1, 2, 3, 4});
  const TensorComparison c = CompareTensor(testing::View(a), testing::View(e), {}, true);
  EXPECT_TRUE(c.differs);
  EXPECT_EQ(c.problem, "shape: expected [1,4], actual [1,3]");
  const auto empty_a = testing::RawFp32("Y", {0, 3}, {});
  const auto empty_e = testing::RawFp32("Y", {0, 4}, {});
  EXPECT_TRUE(CompareTensor(testing::View(empty_a), testing::View(empty_e), {}, true).differs);
}

TEST(FloatRule, DatatypeMismatchDiffers) {
  inference::ModelInferResponse a;
  AddRaw(a, "Y", "FP64", {1}, RawOf(std::vector<double>{1}));
  const auto e = testing::RawFp32("Y", {1}, {1});
  const TensorComparison c = CompareTensor(testing::View(a), testing::View(e), {}, true);
  EXPECT_TRUE(c.differs);
  EXPECT_EQ(c.problem, "datatype: expected FP32, actual FP64");
}

TEST(FloatRule, ReportsCountsErrorsAndTheLargestErrorsPlace) {
  const TensorComparison c = CompareFloats({1, 2.5f, 3, 4.25f}, {1, 2, 3, 4}, Abs(0.1));
  EXPECT_TRUE(c.differs);
  EXPECT_EQ(c.differing_elements, 2u);
  EXPECT_EQ(c.max_abs_error, 0.5);
  EXPECT_EQ(c.max_rel_error, 0.25);
  EXPECT_THAT(c.problem, HasSubstr("2 of 4 elements differ; max abs error 0.5 at [1], max rel error 0.25"));
  ASSERT_EQ(c.side_by_side.size(), 2u);
  EXPECT_EQ(c.side_by_side[0], (std::array<std::string, 3>{"[1]", "2", "2.5"}));
  EXPECT_EQ(c.side_by_side[1], (std::array<std::string, 3>{"[3]", "4", "4.25"}));
}

TEST(FloatRule, SideBySideShowsAtMostAFewElements) {
  std::vector<float> a(100, 1.0f), e(100, 0.0f);
  const TensorComparison c = CompareFloats(a, e);
  EXPECT_EQ(c.differing_elements, 100u);
  EXPECT_EQ(c.side_by_side.size(), kSideBySideLimit);
}

TEST(FloatRule, RawAndTypedContentsGiveTheSameResult) {
  const std::vector<float> actual = {0.1f, 0.2f, kNan, 4}, expected = {0.1f, 0.25f, kNan, 4};
  const auto raw_a = testing::RawFp32("Y", {2, 2}, actual), raw_e = testing::RawFp32("Y", {2, 2}, expected);
  const auto typed_a = testing::TypedFp32("Y", {2, 2}, actual), typed_e = testing::TypedFp32("Y", {2, 2}, expected);
  const TensorComparison raw = CompareTensor(testing::View(raw_a), testing::View(raw_e), {}, true);
  const TensorComparison typed = CompareTensor(testing::View(typed_a), testing::View(typed_e), {}, true);
  const TensorComparison mixed = CompareTensor(testing::View(raw_a), testing::View(typed_e), {}, true);
  for (const TensorComparison* c : {&typed, &mixed}) {
    EXPECT_EQ(c->problem, raw.problem);
    EXPECT_EQ(c->side_by_side, raw.side_by_side);
    EXPECT_EQ(c->max_abs_error, raw.max_abs_error);
  }
  EXPECT_THAT(raw.problem, HasSubstr("at [0,1]"));
}

TEST(FloatRule, LargeArraysFindOneDifferenceDeepInside) {
  std::vector<float> e(100003);
  for (size_t i = 0; i < e.size(); ++i) e[i] = float(i) * 0.001f;
  std::vector<float> a = e;
  a[99999] += 1.0f;
  const TensorComparison c = CompareFloats(a, e);
  EXPECT_EQ(c.differing_elements, 1u);
  EXPECT_THAT(c.problem, HasSubstr("at [99999]"));
}

TEST(FloatRule, TheLargestErrorIsLocatedEvenWhereItPasses) {
  std::vector<float> e(20000, 1000.0f);
  e[100] = 0.001f;
  std::vector<float> a = e;
  a[100] = 0.011f;    // abs 0.01, rel 10: fails
  a[9000] = 1000.5f;  // abs 0.5, rel 5e-4: passes, yet the largest abs error
  const TensorComparison c = CompareFloats(a, e, Rel(1e-3));
  EXPECT_EQ(c.differing_elements, 1u);
  EXPECT_EQ(c.max_abs_error, 0.5);
  EXPECT_THAT(c.problem, HasSubstr("max abs error 0.5 at [9000]"));
  ASSERT_EQ(c.side_by_side.size(), 1u);
  EXPECT_EQ(c.side_by_side[0][0], "[100]");
}

TEST(FloatRule, ScanReadsUnalignedData) {
  std::string a(1 + 4 * 9, '\0'), e(1 + 4 * 9, '\0');
  const float two = 2.0f;
  std::memcpy(a.data() + 1 + 4 * 8, &two, sizeof(two));
  const Fp32Stats stats = ScanFp32(a.data() + 1, e.data() + 1, 9, Fp32Rule{});
  EXPECT_EQ(stats.failing, 1u);
  EXPECT_EQ(stats.max_abs, 2.0f);
}

TEST(FloatRule, ScanAndSingleElementRuleAgree) {
  std::mt19937 rng(7);
  std::vector<float> pool = {0.0f,  -0.0f,      1.0f,       -1.0f,       kNan,
                             kInf,  -kInf,      kDenormMin, -kDenormMin, std::numeric_limits<float>::max(),
                             1e-6f, 1.0000001f, 100.0f,     100.001f};
  std::uniform_int_distribution<size_t> pick(0, pool.size() - 1);
  std::vector<float> a(5000), e(5000);
  for (size_t i = 0; i < a.size(); ++i) a[i] = pool[pick(rng)], e[i] = pool[pick(rng)];
  for (const Fp32Rule rule :
       {Fp32Rule{1e-6f, 1e-5f, 0, false, true}, Fp32Rule{0, 0, 4, false, false}, Fp32Rule{0, 0, 0, true, true}}) {
    const Fp32Stats stats =
        ScanFp32(reinterpret_cast<const char*>(a.data()), reinterpret_cast<const char*>(e.data()), a.size(), rule);
    uint64_t failing = 0, nonfinite = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      const Fp32Element el = EvaluateFp32(a[i], e[i], rule);
      failing += el.pass ? 0 : 1;
      nonfinite += !el.pass && !el.finite ? 1 : 0;
    }
    EXPECT_EQ(stats.failing, failing);
    EXPECT_EQ(stats.nonfinite, nonfinite);
  }
}

// --- other datatypes --------------------------------------------------------

TEST(IntegerRule, ExactUnlessAbsIsGiven) {
  inference::ModelInferResponse a, e;
  AddRaw(a, "I", "INT32", {3}, RawOf(std::vector<int32_t>{1, -5, 7}));
  AddRaw(e, "I", "INT32", {3}, RawOf(std::vector<int32_t>{1, -3, 7}));
  const TensorComparison exact = CompareTensor(testing::View(a), testing::View(e), {}, true);
  EXPECT_TRUE(exact.differs);
  EXPECT_EQ(exact.max_abs_error, 2);
  EXPECT_EQ(exact.side_by_side[0], (std::array<std::string, 3>{"[1]", "-3", "-5"}));
  EXPECT_FALSE(CompareTensor(testing::View(a), testing::View(e), Abs(2), true).differs);
  EXPECT_TRUE(CompareTensor(testing::View(a), testing::View(e), Rel(1), true).differs);  // rel is for floats
}

TEST(IntegerRule, ExtremesDoNotOverflow) {
  inference::ModelInferResponse a, e;
  AddRaw(a, "I", "INT64", {1}, RawOf(std::vector<int64_t>{std::numeric_limits<int64_t>::max()}));
  AddRaw(e, "I", "INT64", {1}, RawOf(std::vector<int64_t>{std::numeric_limits<int64_t>::min()}));
  const TensorComparison c = CompareTensor(testing::View(a), testing::View(e), {}, true);
  EXPECT_TRUE(c.differs);
  EXPECT_DOUBLE_EQ(c.max_abs_error, 18446744073709551615.0);
}

TEST(IntegerRule, BoolIsExact) {
  inference::ModelInferResponse a, e;
  AddRaw(a, "B", "BOOL", {2}, std::string("\x01\x00", 2));
  AddRaw(e, "B", "BOOL", {2}, std::string("\x01\x01", 2));
  const TensorComparison c = CompareTensor(testing::View(a), testing::View(e), {}, true);
  EXPECT_TRUE(c.differs);
  EXPECT_EQ(c.side_by_side[0], (std::array<std::string, 3>{"[1]", "true", "false"}));
}

TEST(IntegerRule, TypedInt8MatchesRawInt8) {
  inference::ModelInferResponse raw, typed;
  AddRaw(raw, "I", "INT8", {2}, std::string("\xff\x05", 2));
  auto* out = AddOutputHeader(typed, "I", "INT8", {2});
  out->mutable_contents()->add_int_contents(-1);
  out->mutable_contents()->add_int_contents(5);
  EXPECT_FALSE(CompareTensor(testing::View(raw), testing::View(typed), {}, true).differs);
}

TEST(BytesRule, ExactElementByElement) {
  inference::ModelInferResponse a, e;
  AddRaw(a, "T", "BYTES", {2}, testing::RawBytesOf({"same", "new text"}));
  AddRaw(e, "T", "BYTES", {2}, testing::RawBytesOf({"same", "old text"}));
  const TensorComparison c = CompareTensor(testing::View(a), testing::View(e), Abs(100), true);
  EXPECT_TRUE(c.differs);
  EXPECT_EQ(c.problem, "1 of 2 BYTES elements differ (first at [1])");
  EXPECT_EQ(c.side_by_side[0], (std::array<std::string, 3>{"[1]", "\"old text\"", "\"new text\""}));
}

TEST(Fp16Rule, ComparesConvertedValuesWithUlpInHalfPrecision) {
  inference::ModelInferResponse a, e;
  AddRaw(a, "H", "FP16", {3}, RawOf(std::vector<uint16_t>{0x3c01, 0x0001, 0x8000}));  // 1+2^-10, denormal, -0
  AddRaw(e, "H", "FP16", {3}, RawOf(std::vector<uint16_t>{0x3c00, 0x8001, 0x0000}));  // 1, -denormal, 0
  const TensorComparison c = CompareTensor(testing::View(a), testing::View(e), Ulp(2), true);
  EXPECT_FALSE(c.differs);
  EXPECT_EQ(c.max_ulp, 2u);
  EXPECT_DOUBLE_EQ(c.max_abs_error, 1.0 / 1024);
  const TensorComparison strict = CompareTensor(testing::View(a), testing::View(e), Ulp(1), true);
  EXPECT_TRUE(strict.differs);
  EXPECT_EQ(strict.side_by_side[0], (std::array<std::string, 3>{"[1]", "-5.9604645e-08", "5.9604645e-08"}));
}

TEST(Fp64Rule, UsesDoublePrecision) {
  inference::ModelInferResponse a, e;
  AddRaw(a, "D", "FP64", {1}, RawOf(std::vector<double>{1.0 + 1e-12}));
  AddRaw(e, "D", "FP64", {1}, RawOf(std::vector<double>{1.0}));
  EXPECT_FALSE(CompareTensor(testing::View(a), testing::View(e), {}, true).differs);
  const TensorComparison c = CompareTensor(testing::View(a), testing::View(e), Exact(), true);
  EXPECT_TRUE(c.differs);
  EXPECT_GT(c.max_ulp, 1000u);
}

TEST(DescribeTolerance, NamesTheRulesThatApply) {
  EXPECT_EQ(DescribeTolerance({}, DataType::kFp32), "abs 1e-06 or rel 1e-05");
  EXPECT_EQ(DescribeTolerance({}, DataType::kInt32), "exact");
  EXPECT_EQ(DescribeTolerance(ToleranceSpec{.argmax = true}, DataType::kFp32), "argmax");
  EXPECT_EQ(DescribeTolerance(ToleranceSpec{.abs = 0.1, .top_k = 2}, DataType::kFp32), "abs 0.1, top-2");
  EXPECT_EQ(DescribeTolerance(ToleranceSpec{.max_edit_distance = 2}, DataType::kBytes), "edit distance <= 2");
}

}  // namespace
}  // namespace faultdrill::golden
