#include "golden/output_tensor.h"

#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/golden/responses.h"

namespace faultdrill::golden {
namespace {

using testing::AddOutputHeader;
using testing::AddRaw;
using ::testing::HasSubstr;
using testing::RawBytesOf;
using testing::RawOf;

std::string DecodeError(const inference::ModelInferResponse& r) {
  absl::StatusOr<std::vector<OutputTensor>> views = DecodeOutputs(r);
  EXPECT_FALSE(views.ok());
  return views.ok() ? "" : std::string(views.status().message());
}

TEST(OutputTensor, RawFp32IsReadInPlace) {
  const inference::ModelInferResponse r = testing::RawFp32("PROBABILITIES", {1, 4}, {0.1f, 0.2f, 0.3f, 0.4f});
  const OutputTensor t = testing::View(r);
  EXPECT_EQ(t.name, "PROBABILITIES");
  EXPECT_EQ(t.datatype, DataType::kFp32);
  EXPECT_EQ(t.elements, 4);
  EXPECT_EQ(t.data.data(), r.raw_output_contents(0).data());  // a view, not a copy
  EXPECT_FLOAT_EQ(NumberAt(t, 2), 0.3f);
  EXPECT_EQ(ElementText(t, 0), "0.1");
}

TEST(OutputTensor, TypedContentsGiveTheSameValues) {
  const inference::ModelInferResponse raw = testing::RawFp32("P", {2}, {1.5f, -2.0f});
  const inference::ModelInferResponse typed = testing::TypedFp32("P", {2}, {1.5f, -2.0f});
  const OutputTensor a = testing::View(raw), b = testing::View(typed);
  for (int64_t i = 0; i < 2; ++i) EXPECT_EQ(NumberAt(a, i), NumberAt(b, i));
  EXPECT_EQ(b.stored, DataType::kFp32);
}

TEST(OutputTensor, TypedNarrowIntegersAreWidenedAndReadExactly) {
  inference::ModelInferResponse r;
  auto* out = AddOutputHeader(r, "X", "INT8", {3});
  for (int v : {-128, 0, 127}) out->mutable_contents()->add_int_contents(v);
  const OutputTensor t = testing::View(r);
  EXPECT_EQ(t.stored, DataType::kInt32);
  EXPECT_EQ(SignedAt(t, 0), -128);
  EXPECT_EQ(SignedAt(t, 2), 127);
}

TEST(OutputTensor, BytesInBothFormsGiveTheSameElements) {
  inference::ModelInferResponse raw;
  AddRaw(raw, "TEXT", "BYTES", {2}, RawBytesOf({"hello", ""}));
  inference::ModelInferResponse typed;
  auto* out = AddOutputHeader(typed, "TEXT", "BYTES", {2});
  out->mutable_contents()->add_bytes_contents("hello");
  out->mutable_contents()->add_bytes_contents("");
  EXPECT_THAT(BytesElements(testing::View(raw)), ::testing::ElementsAre("hello", ""));
  EXPECT_THAT(BytesElements(testing::View(typed)), ::testing::ElementsAre("hello", ""));
  EXPECT_EQ(ElementText(testing::View(raw), 0), "\"hello\"");
}

TEST(OutputTensor, Fp16AndBf16AreRaw) {
  inference::ModelInferResponse r;
  AddRaw(r, "H", "FP16", {2}, RawOf(std::vector<uint16_t>{0x3c00, 0xc000}));  // 1, -2
  AddRaw(r, "B", "BF16", {1}, RawOf(std::vector<uint16_t>{0x3f80}));          // 1
  const std::vector<OutputTensor> views = testing::Views(r);
  ASSERT_EQ(views.size(), 2u);
  EXPECT_EQ(NumberAt(views[0], 0), 1.0);
  EXPECT_EQ(NumberAt(views[0], 1), -2.0);
  EXPECT_EQ(NumberAt(views[1], 0), 1.0);
}

TEST(OutputTensor, EmptyAndScalarTensorsDecode) {
  inference::ModelInferResponse r;
  AddRaw(r, "E", "FP32", {0, 4}, "");
  AddRaw(r, "S", "INT64", {}, RawOf(std::vector<int64_t>{42}));
  const std::vector<OutputTensor> views = testing::Views(r);
  ASSERT_EQ(views.size(), 2u);
  EXPECT_EQ(views[0].elements, 0);
  EXPECT_EQ(views[1].elements, 1);
  EXPECT_EQ(SignedAt(views[1], 0), 42);
}

TEST(OutputTensor, FormatsShapesAndIndexes) {
  const std::vector<int64_t> shape = {2, 3};
  EXPECT_EQ(FormatShape(shape), "[2,3]");
  EXPECT_EQ(FormatIndex(5, shape), "[1,2]");
  EXPECT_EQ(FormatIndex(0, {}), "[]");
  EXPECT_EQ(FormatIndex(9, shape), "[9]");  // out of range: flat
}

// --- malformed responses ---------------------------------------------------

TEST(MalformedResponse, RawSizeNotMatchingShapeIsAnError) {
  inference::ModelInferResponse r;
  AddRaw(r, "P", "FP32", {1, 4}, std::string(12, '\0'));
  EXPECT_THAT(DecodeError(r), HasSubstr("output 'P': raw contents hold 12 bytes, but FP32 [1,4] needs 16"));
}

TEST(MalformedResponse, NegativeDimensionIsAnError) {
  inference::ModelInferResponse r;
  AddRaw(r, "P", "FP32", {-1, 4}, "");
  EXPECT_THAT(DecodeError(r), HasSubstr("negative dimension"));
}

TEST(MalformedResponse, HugeShapeIsAnErrorNotAnOverflow) {
  inference::ModelInferResponse r;
  AddRaw(r, "P", "FP32", {int64_t(1) << 40, int64_t(1) << 40}, "");
  EXPECT_THAT(DecodeError(r), HasSubstr("more than"));
}

TEST(MalformedResponse, BytesLengthPrefixOverrunningIsAnError) {
  inference::ModelInferResponse r;
  std::string raw = RawBytesOf({"abc"});
  raw[0] = 100;  // claims 100 bytes
  AddRaw(r, "T", "BYTES", {1}, raw);
  EXPECT_THAT(DecodeError(r), HasSubstr("claims 100 bytes but only 3 remain"));
}

TEST(MalformedResponse, BytesTruncatedInsideALengthIsAnError) {
  inference::ModelInferResponse r;
  AddRaw(r, "T", "BYTES", {2}, RawBytesOf({"abcd"}) + std::string(2, '\0'));
  EXPECT_THAT(DecodeError(r), HasSubstr("inside the length of BYTES element 1"));
}

TEST(MalformedResponse, BytesWithTrailingDataIsAnError) {
  inference::ModelInferResponse r;
  AddRaw(r, "T", "BYTES", {1}, RawBytesOf({"a", "b"}));
  EXPECT_THAT(DecodeError(r), HasSubstr("follow the last of 1 BYTES elements"));
}

TEST(MalformedResponse, BytesCountBeyondTheDataIsAnError) {
  inference::ModelInferResponse r;
  AddRaw(r, "T", "BYTES", {1000000000}, RawBytesOf({"a"}));
  EXPECT_THAT(DecodeError(r), HasSubstr("cannot hold 1000000000 BYTES elements"));
}

TEST(MalformedResponse, RawEntryCountNotMatchingOutputsIsAnError) {
  inference::ModelInferResponse r;
  AddRaw(r, "A", "FP32", {1}, RawOf(std::vector<float>{1}));
  AddOutputHeader(r, "B", "FP32", {1});
  EXPECT_THAT(DecodeError(r), HasSubstr("2 outputs but 1 raw_output_contents entries"));
}

TEST(MalformedResponse, UnknownDatatypeIsAnError) {
  inference::ModelInferResponse r;
  AddRaw(r, "A", "FP8", {1}, "x");
  EXPECT_THAT(DecodeError(r), HasSubstr("unknown datatype 'FP8'"));
}

TEST(MalformedResponse, ValuesInBothFormsAreAnError) {
  inference::ModelInferResponse r;
  auto* out = AddOutputHeader(r, "A", "FP32", {1});
  out->mutable_contents()->add_fp32_contents(1);
  r.add_raw_output_contents(RawOf(std::vector<float>{1}));
  EXPECT_THAT(DecodeError(r), HasSubstr("both in typed contents and in raw_output_contents"));
}

TEST(MalformedResponse, TypedValuesInTheWrongFieldAreAnError) {
  inference::ModelInferResponse r;
  auto* out = AddOutputHeader(r, "A", "FP32", {1});
  out->mutable_contents()->add_fp64_contents(1);
  EXPECT_THAT(DecodeError(r), HasSubstr("not the one for FP32"));
}

TEST(MalformedResponse, TypedValueCountNotMatchingShapeIsAnError) {
  const inference::ModelInferResponse r = testing::TypedFp32("A", {1, 3}, {1, 2});
  EXPECT_THAT(DecodeError(r), HasSubstr("typed contents hold 2 values, but FP32 [1,3] needs 3"));
}

TEST(MalformedResponse, TypedFp16IsAnError) {
  inference::ModelInferResponse r;
  auto* out = AddOutputHeader(r, "H", "FP16", {1});
  out->mutable_contents()->add_fp32_contents(1);
  EXPECT_THAT(DecodeError(r), HasSubstr("FP16 has no typed contents field"));
}

TEST(MalformedResponse, TypedInt8OutOfRangeIsAnError) {
  inference::ModelInferResponse r;
  auto* out = AddOutputHeader(r, "X", "INT8", {2});
  out->mutable_contents()->add_int_contents(1);
  out->mutable_contents()->add_int_contents(300);
  EXPECT_THAT(DecodeError(r), HasSubstr("INT8 value 300 at [1] is out of range"));
}

TEST(MalformedResponse, RandomRawContentsNeverReadPastTheData) {
  std::mt19937 rng(11);
  for (int round = 0; round < 500; ++round) {
    std::string raw(rng() % 24, '\0');
    for (char& c : raw) c = char(rng() % 7);  // small bytes: plausible length prefixes
    inference::ModelInferResponse r;
    const std::string datatype = round % 2 == 0 ? "BYTES" : "FP16";
    AddRaw(r, "T", datatype, {int64_t(rng() % 4), int64_t(rng() % 3)}, raw);
    absl::StatusOr<std::vector<OutputTensor>> views = DecodeOutputs(r);
    if (!views.ok()) continue;
    const OutputTensor& t = views->front();
    if (t.datatype == DataType::kBytes) {
      EXPECT_EQ(BytesElements(t).size(), size_t(t.elements));
    }
    for (int64_t i = 0; i < t.elements; ++i) (void)ElementText(t, i);
  }
}

TEST(MalformedResponse, RawTensorViewRejectsBadMasters) {
  const std::vector<int64_t> shape = {2};
  EXPECT_FALSE(RawTensorView("X", DataType::kFp64, shape, std::string(15, '\0')).ok());
  EXPECT_TRUE(RawTensorView("X", DataType::kFp64, shape, std::string(16, '\0')).ok());
}

}  // namespace
}  // namespace faultdrill::golden
