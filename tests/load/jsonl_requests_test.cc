#include "load/jsonl_requests.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <string>

namespace faultdrill::load {
namespace {

using ::testing::HasSubstr;

class JsonlRequestsTest : public ::testing::Test {
 protected:
  // Writes `content` to a fresh file and returns its path.
  std::string Write(const std::string& content) {
    const std::string path = ::testing::TempDir() + "/requests_" +
                             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".jsonl";
    std::ofstream(path) << content;
    return path;
  }
  absl::StatusOr<std::unique_ptr<RequestSource>> Load(const std::string& content) {
    path_ = Write(content);
    return LoadJsonlRequests(path_, "default-model", "3");
  }
  // Expects an error "path:line: ..." mentioning `problem`.
  void ExpectError(const std::string& content, int line, const std::string& problem) {
    auto source = Load(content);
    ASSERT_FALSE(source.ok());
    EXPECT_EQ(source.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(source.status().message()), HasSubstr(path_ + ":" + std::to_string(line) + ": "));
    EXPECT_THAT(std::string(source.status().message()), HasSubstr(problem));
  }
  std::string path_;
};

TEST_F(JsonlRequestsTest, ParsesTheClassifierExample) {
  auto source = Load(
      R"({"id":"r1","model_name":"classifier","parameters":{"max_tokens":8},)"
      R"("inputs":[{"name":"INPUT","datatype":"FP32","shape":[1,4],"data":[0.5,-1,2,3]}],)"
      R"("outputs":[{"name":"PROBABILITIES"}]})"
      "\n");
  ASSERT_TRUE(source.ok()) << source.status();
  ASSERT_EQ((*source)->size(), 1u);
  const inference::ModelInferRequest& r = (*source)->At(0);
  EXPECT_EQ(r.id(), "r1");
  EXPECT_EQ(r.model_name(), "classifier");
  EXPECT_EQ(r.model_version(), "3");
  EXPECT_EQ(r.parameters().at("max_tokens").int64_param(), 8);
  ASSERT_EQ(r.inputs_size(), 1);
  EXPECT_EQ(r.inputs(0).datatype(), "FP32");
  EXPECT_THAT(r.inputs(0).shape(), ::testing::ElementsAre(1, 4));
  EXPECT_THAT(r.inputs(0).contents().fp32_contents(), ::testing::ElementsAre(0.5f, -1.0f, 2.0f, 3.0f));
  EXPECT_EQ(r.outputs(0).name(), "PROBABILITIES");
  EXPECT_EQ(r.raw_input_contents_size(), 0);
}

TEST_F(JsonlRequestsTest, NestedDataIsFlattenedRowMajorAndModelDefaults) {
  auto source = Load(R"({"inputs":[{"name":"X","datatype":"INT32","shape":[2,2],"data":[[1,2],[3,4]]}]})");
  ASSERT_TRUE(source.ok()) << source.status();
  const auto& r = (*source)->At(0);
  EXPECT_EQ(r.model_name(), "default-model");
  EXPECT_THAT(r.inputs(0).contents().int_contents(), ::testing::ElementsAre(1, 2, 3, 4));
}

TEST_F(JsonlRequestsTest, EveryDatatypeLandsInItsTypedField) {
  auto source = Load(
      R"({"inputs":[)"
      R"({"name":"b","datatype":"BOOL","shape":[2],"data":[true,false]},)"
      R"({"name":"u8","datatype":"UINT8","shape":[1],"data":[255]},)"
      R"({"name":"u16","datatype":"UINT16","shape":[1],"data":[65535]},)"
      R"({"name":"u32","datatype":"UINT32","shape":[1],"data":[4294967295]},)"
      R"({"name":"u64","datatype":"UINT64","shape":[1],"data":[18446744073709551615]},)"
      R"({"name":"i8","datatype":"INT8","shape":[1],"data":[-128]},)"
      R"({"name":"i16","datatype":"INT16","shape":[1],"data":[-32768]},)"
      R"({"name":"i32","datatype":"INT32","shape":[1],"data":[-7]},)"
      R"({"name":"i64","datatype":"INT64","shape":[1],"data":[-9007199254740993]},)"
      R"({"name":"f32","datatype":"FP32","shape":[1],"data":[1.5]},)"
      R"({"name":"f64","datatype":"FP64","shape":[1],"data":[0.1]},)"
      R"({"name":"s","datatype":"BYTES","shape":[2],"data":["hi","there"]}]})");
  ASSERT_TRUE(source.ok()) << source.status();
  const auto& in = (*source)->At(0).inputs();
  EXPECT_THAT(in[0].contents().bool_contents(), ::testing::ElementsAre(true, false));
  EXPECT_EQ(in[1].contents().uint_contents(0), 255u);
  EXPECT_EQ(in[2].contents().uint_contents(0), 65535u);
  EXPECT_EQ(in[3].contents().uint_contents(0), 4294967295u);
  EXPECT_EQ(in[4].contents().uint64_contents(0), 18446744073709551615u);
  EXPECT_EQ(in[5].contents().int_contents(0), -128);
  EXPECT_EQ(in[6].contents().int_contents(0), -32768);
  EXPECT_EQ(in[7].contents().int_contents(0), -7);
  EXPECT_EQ(in[8].contents().int64_contents(0), -9007199254740993);
  EXPECT_EQ(in[9].contents().fp32_contents(0), 1.5f);
  EXPECT_EQ(in[10].contents().fp64_contents(0), 0.1);
  EXPECT_THAT(in[11].contents().bytes_contents(), ::testing::ElementsAre("hi", "there"));
}

TEST_F(JsonlRequestsTest, RawLinesSendLittleEndianRawContents) {
  auto source = Load(
      R"({"raw":true,"inputs":[{"name":"X","datatype":"INT16","shape":[2],"data":[1,-2]},)"
      R"({"name":"S","datatype":"BYTES","shape":[1],"data":["ab"]}]})");
  ASSERT_TRUE(source.ok()) << source.status();
  const auto& r = (*source)->At(0);
  ASSERT_EQ(r.raw_input_contents_size(), 2);
  EXPECT_EQ(r.raw_input_contents(0), std::string("\x01\x00\xfe\xff", 4));
  EXPECT_EQ(r.raw_input_contents(1), std::string("\x02\x00\x00\x00" "ab", 6));
  EXPECT_EQ(r.inputs(0).contents().int_contents_size(), 0);
}

TEST_F(JsonlRequestsTest, SkipsBlankLinesAndCyclesThroughRequests) {
  auto source = Load(
      "\n"
      R"({"id":"a","inputs":[{"name":"X","datatype":"FP64","shape":[1],"data":[1]}]})"
      "\n\n"
      R"({"id":"b","inputs":[{"name":"X","datatype":"FP64","shape":[1],"data":[2]}]})"
      "\n");
  ASSERT_TRUE(source.ok()) << source.status();
  ASSERT_EQ((*source)->size(), 2u);
  EXPECT_EQ((*source)->At(0).id(), "a");
  EXPECT_EQ((*source)->At(1).id(), "b");
  EXPECT_EQ((*source)->At(2).id(), "a");
}

constexpr const char* kGood = R"({"inputs":[{"name":"X","datatype":"FP32","shape":[1],"data":[1]}]})";

TEST_F(JsonlRequestsTest, BadJsonNamesItsLine) {
  ExpectError(std::string(kGood) + "\n\n{\"inputs\": [\n", 3, "not valid JSON");
}

TEST_F(JsonlRequestsTest, MissingNameDatatypeShapeOrData) {
  ExpectError(R"({"inputs":[{"datatype":"FP32","shape":[1],"data":[1]}]})", 1, "missing \"name\"");
  ExpectError(std::string(kGood) + "\n" + R"({"inputs":[{"name":"X","shape":[1],"data":[1]}]})", 2,
              "input \"X\": missing \"datatype\"");
  ExpectError(R"({"inputs":[{"name":"X","datatype":"FP32","data":[1]}]})", 1, "missing \"shape\"");
  ExpectError(R"({"inputs":[{"name":"X","datatype":"FP32","shape":[1]}]})", 1, "missing \"data\"");
  ExpectError(R"({"id":"x"})", 1, "missing \"inputs\"");
}

TEST_F(JsonlRequestsTest, DataCountMustMatchTheShape) {
  ExpectError(R"({"inputs":[{"name":"X","datatype":"FP32","shape":[2,3],"data":[1,2,3,4,5]}]})", 1,
              "data has 5 elements but shape [2,3] needs 6");
}

TEST_F(JsonlRequestsTest, UnknownDatatype) {
  ExpectError(R"({"inputs":[{"name":"X","datatype":"FP8","shape":[1],"data":[1]}]})", 1,
              "unknown datatype \"FP8\"");
}

TEST_F(JsonlRequestsTest, ValuesMustFitTheirDatatype) {
  ExpectError(R"({"inputs":[{"name":"X","datatype":"UINT8","shape":[1],"data":[256]}]})", 1,
              "element 0: out of range for UINT8");
  ExpectError(R"({"inputs":[{"name":"X","datatype":"INT32","shape":[2],"data":[1,2.5]}]})", 1,
              "element 1: expected an integer");
  ExpectError(R"({"inputs":[{"name":"X","datatype":"BYTES","shape":[1],"data":[3]}]})", 1,
              "expected a string for BYTES");
  ExpectError(R"({"inputs":[{"name":"X","datatype":"BOOL","shape":[1],"data":[1]}]})", 1,
              "expected true or false");
  ExpectError(R"({"inputs":[{"name":"X","datatype":"FP32","shape":[-1],"data":[1]}]})", 1,
              "non-negative integers");
}

TEST_F(JsonlRequestsTest, EmptyFileIsAnError) {
  ExpectError("", 1, "no requests");
  ExpectError("\n  \n", 2, "no requests");
}

TEST_F(JsonlRequestsTest, MissingFileIsNotFound) {
  auto source = LoadJsonlRequests("/nonexistent/requests.jsonl", "m", "");
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(source.status().message()), HasSubstr("/nonexistent/requests.jsonl"));
}

}  // namespace
}  // namespace faultdrill::load
