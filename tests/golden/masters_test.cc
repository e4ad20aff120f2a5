// Recording masters from responses, saving and loading them.
#include "golden/masters.h"

#include <bit>
#include <cmath>
#include <filesystem>
#include <limits>

#include "gmock/gmock.h"
#include "golden/response_compare.h"
#include "gtest/gtest.h"
#include "tests/common/files.h"
#include "tests/golden/responses.h"

namespace faultdrill::golden {
namespace {

using ::faultdrill::testing::ReadWholeFile;
using ::faultdrill::testing::TempDir;
using testing::AddOutputHeader;
using testing::AddRaw;
using ::testing::HasSubstr;
using testing::RawBytesOf;
using testing::RawOf;

MastersHeader SampleHeader() {
  return {.model = "classifier",
          .model_version = "1",
          .weights_sha256 = "ab12",
          .faultdrill_version = "0.1.0",
          .recorded_at = "2024-05-01T12:00:00Z",
          .scenario = "ci-gate"};
}

// A response with one output of every datatype, raw form.
inference::ModelInferResponse EveryDatatype() {
  inference::ModelInferResponse r;
  r.set_id("req-7");
  AddRaw(r, "b", "BOOL", {2}, std::string("\x01\x00", 2));
  AddRaw(r, "u8", "UINT8", {2}, std::string("\x00\xff", 2));
  AddRaw(r, "u16", "UINT16", {1}, RawOf(std::vector<uint16_t>{65535}));
  AddRaw(r, "u32", "UINT32", {1}, RawOf(std::vector<uint32_t>{4000000000u}));
  AddRaw(r, "u64", "UINT64", {1}, RawOf(std::vector<uint64_t>{std::numeric_limits<uint64_t>::max()}));
  AddRaw(r, "i8", "INT8", {2}, std::string("\x80\x7f", 2));
  AddRaw(r, "i16", "INT16", {1}, RawOf(std::vector<int16_t>{-32768}));
  AddRaw(r, "i32", "INT32", {1}, RawOf(std::vector<int32_t>{-7}));
  AddRaw(r, "i64", "INT64", {1}, RawOf(std::vector<int64_t>{std::numeric_limits<int64_t>::min()}));
  AddRaw(r, "h", "FP16", {3}, RawOf(std::vector<uint16_t>{0x3555, 0x7e01, 0x8000}));  // 0.333, NaN payload, -0
  AddRaw(r, "bf", "BF16", {1}, RawOf(std::vector<uint16_t>{0x3eab}));
  AddRaw(r, "f", "FP32", {2, 3},
         RawOf(std::vector<float>{0.1f, -0.0f, std::numeric_limits<float>::quiet_NaN(),
                                  std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                                  std::numeric_limits<float>::denorm_min()}));
  AddRaw(r, "d", "FP64", {1}, RawOf(std::vector<double>{0.1}));
  AddRaw(r, "s", "BYTES", {3}, RawBytesOf({"héllo \"quoted\"\n", std::string("\xff\x00\x01", 3), ""}));
  return r;
}

// The floats whose text is most likely to read back as something else: the
// largest (their shortest text reads as a double just above FLT_MAX), the
// smallest normal and denormal ones, and the largest denormal.
std::vector<float> ExtremeFloats() {
  using limits = std::numeric_limits<float>;
  std::vector<float> values = {limits::max(),        -limits::max(),       limits::min(),
                               -limits::min(),       limits::denorm_min(), -limits::denorm_min(),
                               limits::min() - limits::denorm_min(),       std::nextafter(limits::max(), 0.0f),
                               3 * limits::denorm_min(),                   std::nextafter(limits::min(), 1.0f)};
  return values;
}

void ExpectSameBytes(const MasterResponse& a, const MasterResponse& b) {
  ASSERT_EQ(a.outputs.size(), b.outputs.size());
  for (size_t i = 0; i < a.outputs.size(); ++i) {
    EXPECT_EQ(a.outputs[i].name, b.outputs[i].name);
    EXPECT_EQ(a.outputs[i].datatype, b.outputs[i].datatype) << a.outputs[i].name;
    EXPECT_EQ(a.outputs[i].shape, b.outputs[i].shape) << a.outputs[i].name;
    EXPECT_EQ(a.outputs[i].data, b.outputs[i].data) << a.outputs[i].name;
  }
}

TEST(Masters, RoundTripsTheLargestAndSmallestFloatsExactly) {
  TempDir dir;
  const std::vector<float> values = ExtremeFloats();
  Masters masters(SampleHeader());
  absl::StatusOr<MasterResponse> master =
      Masters::MasterFromResponse(0, testing::RawFp32("logits", {int64_t(values.size())}, values));
  ASSERT_TRUE(master.ok()) << master.status();
  ASSERT_TRUE(masters.Add(*master).ok());
  const std::string path = dir.File("m.golden.jsonl");
  ASSERT_TRUE(masters.Save(path).ok());

  absl::StatusOr<Masters> loaded = Masters::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status() << "\n" << ReadWholeFile(path);
  ExpectSameBytes(*master, loaded->responses()[0]);
}

TEST(Masters, RoundTripsFiniteFloatsAcrossTheWholeRangeExactly) {
  // Every 65521st bit pattern (a prime step: every exponent, varied
  // mantissas), finite ones only, 256 to a tensor so that they stay inline.
  TempDir dir;
  Masters masters(SampleHeader());
  std::vector<float> chunk;
  uint64_t index = 0;
  for (uint64_t bits = 0; bits <= 0xffffffffu; bits += 65521) {
    const float f = std::bit_cast<float>(uint32_t(bits));
    if (std::isfinite(f)) chunk.push_back(f);
    if (chunk.size() == 256 || bits + 65521 > 0xffffffffu) {
      ASSERT_TRUE(
          masters.Add(*Masters::MasterFromResponse(index++, testing::RawFp32("y", {int64_t(chunk.size())}, chunk)))
              .ok());
      chunk.clear();
    }
  }
  const std::string path = dir.File("m.golden.jsonl");
  ASSERT_TRUE(masters.Save(path).ok());
  EXPECT_FALSE(std::filesystem::exists(Masters::SidecarPath(path)));

  absl::StatusOr<Masters> loaded = Masters::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->responses().size(), masters.responses().size());
  for (size_t i = 0; i < masters.responses().size(); ++i) ExpectSameBytes(masters.responses()[i], loaded->responses()[i]);
}

TEST(Masters, RoundTripsEveryDatatypeInlineBitForBit) {
  TempDir dir;
  Masters masters(SampleHeader());
  absl::StatusOr<MasterResponse> master = Masters::MasterFromResponse(7, EveryDatatype());
  ASSERT_TRUE(master.ok()) << master.status();
  ASSERT_TRUE(masters.Add(*master).ok());
  const std::string path = dir.File("m.golden.jsonl");
  ASSERT_TRUE(masters.Save(path).ok());
  EXPECT_FALSE(std::filesystem::exists(Masters::SidecarPath(path)));

  absl::StatusOr<Masters> loaded = Masters::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->header().model, "classifier");
  EXPECT_EQ(loaded->header().weights_sha256, "ab12");
  ASSERT_NE(loaded->Find(7), nullptr);
  EXPECT_EQ(loaded->Find(7)->request_id, "req-7");
  ExpectSameBytes(*loaded->Find(7), *master);
  // And the live response still matches its reloaded master exactly.
  EXPECT_FALSE(CompareResponse(EveryDatatype(), *loaded->Find(7), GoldenSpec{.tolerance = {.exact = true}}).differs);
}

TEST(Masters, InlineValuesAreReadableInTheFile) {
  TempDir dir;
  Masters masters(SampleHeader());
  ASSERT_TRUE(masters.Add(*Masters::MasterFromResponse(7, EveryDatatype())).ok());
  const std::string path = dir.File("m.golden.jsonl");
  ASSERT_TRUE(masters.Save(path).ok());
  const std::string text = ReadWholeFile(path);
  EXPECT_THAT(text, HasSubstr(R"({"format":"faultdrill-golden","version":1,"model":"classifier")"));
  EXPECT_THAT(text, HasSubstr(R"("requests":1})"));
  EXPECT_THAT(
      text,
      HasSubstr(R"("name":"f","datatype":"FP32","shape":[2,3],"data":[0.1,-0.0,"NaN","Infinity","-Infinity",1e-45])"));
  EXPECT_THAT(text, HasSubstr(R"("data":[0.33325195,"NaN:0x7e01",-0.0])"));
  EXPECT_THAT(text, HasSubstr(R"("data":["héllo \"quoted\"\n",{"base64":"/wAB"},""])"));
  EXPECT_THAT(text, HasSubstr(R"("data":[18446744073709551615])"));
  EXPECT_THAT(text, HasSubstr(R"("data":[true,false])"));
}

TEST(Masters, LargeTensorsGoToTheSidecarAndRoundTrip) {
  TempDir dir;
  std::vector<float> values(10000);
  for (size_t i = 0; i < values.size(); ++i) values[i] = float(i) / 7.0f;
  Masters masters(SampleHeader());
  for (uint64_t index : {3, 1, 2}) {
    ASSERT_TRUE(masters.Add(*Masters::MasterFromResponse(index, testing::RawFp32("LOGITS", {1, 10000}, values))).ok());
  }
  const std::string path = dir.File("big.golden.jsonl");
  ASSERT_TRUE(masters.Save(path).ok());
  EXPECT_EQ(std::filesystem::file_size(Masters::SidecarPath(path)), 3u * 40000u);
  const std::string text = ReadWholeFile(path);
  EXPECT_THAT(text, HasSubstr(R"("blob":{"offset":40000,"bytes":40000,"sha256":")"));
  // Written in request_index order.
  EXPECT_LT(text.find("\"request_index\":1"), text.find("\"request_index\":2"));
  EXPECT_LT(text.find("\"request_index\":2"), text.find("\"request_index\":3"));

  absl::StatusOr<Masters> loaded = Masters::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->responses().size(), 3u);
  ExpectSameBytes(*loaded->Find(2), *masters.Find(2));
}

TEST(Masters, SavingWithoutLargeTensorsRemovesAStaleSidecar) {
  TempDir dir;
  const std::string path = dir.File("m.golden.jsonl");
  Masters big;
  ASSERT_TRUE(
      big.Add(*Masters::MasterFromResponse(0, testing::RawFp32("X", {1000}, std::vector<float>(1000, 1)))).ok());
  ASSERT_TRUE(big.Save(path).ok());
  ASSERT_TRUE(std::filesystem::exists(Masters::SidecarPath(path)));
  Masters small;
  ASSERT_TRUE(small.Add(*Masters::MasterFromResponse(0, testing::RawFp32("X", {2}, {1, 2}))).ok());
  ASSERT_TRUE(small.Save(path).ok());
  EXPECT_FALSE(std::filesystem::exists(Masters::SidecarPath(path)));
  EXPECT_THAT(dir.Entries(), ::testing::ElementsAre("m.golden.jsonl"));  // no temporary files left
}

TEST(Masters, TypedResponsesAreStoredInRawForm) {
  inference::ModelInferResponse typed;
  auto* i8 = AddOutputHeader(typed, "i8", "INT8", {2});
  i8->mutable_contents()->add_int_contents(-1);
  i8->mutable_contents()->add_int_contents(5);
  auto* text = AddOutputHeader(typed, "t", "BYTES", {1});
  text->mutable_contents()->add_bytes_contents("hi");
  absl::StatusOr<MasterResponse> master = Masters::MasterFromResponse(0, typed);
  ASSERT_TRUE(master.ok()) << master.status();
  EXPECT_EQ(master->outputs[0].data, std::string("\xff\x05", 2));
  EXPECT_EQ(master->outputs[1].data, RawBytesOf({"hi"}));
}

TEST(Masters, FindIsByRequestIndexAndDuplicatesAreRefused) {
  Masters masters;
  ASSERT_TRUE(masters.Add({.request_index = 5}).ok());
  ASSERT_TRUE(masters.Add({.request_index = 9}).ok());
  EXPECT_EQ(masters.Find(9)->request_index, 9u);
  EXPECT_EQ(masters.Find(6), nullptr);
  EXPECT_EQ(masters.Add({.request_index = 5}).code(), absl::StatusCode::kAlreadyExists);
}

TEST(Masters, MalformedResponsesCannotBecomeMasters) {
  inference::ModelInferResponse r;
  AddRaw(r, "X", "FP32", {2}, "abc");
  EXPECT_FALSE(Masters::MasterFromResponse(0, r).ok());
  inference::ModelInferResponse twice;
  AddRaw(twice, "X", "FP32", {1}, RawOf(std::vector<float>{1}));
  AddRaw(twice, "X", "FP32", {1}, RawOf(std::vector<float>{1}));
  EXPECT_THAT(std::string(Masters::MasterFromResponse(0, twice).status().message()), HasSubstr("appears twice"));
}

TEST(Masters, SaveRefusesAHandBuiltTensorThatDoesNotMatchItsShape) {
  TempDir dir;
  Masters masters;
  MasterResponse bad{.request_index = 0};
  bad.outputs.push_back({.name = "X", .datatype = DataType::kFp32, .shape = {4}, .data = "abc"});
  ASSERT_TRUE(masters.Add(bad).ok());
  EXPECT_FALSE(masters.Save(dir.File("m.golden.jsonl")).ok());
}

}  // namespace
}  // namespace faultdrill::golden
