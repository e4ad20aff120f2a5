#include "reports/json_report.h"

#include <fstream>
#include <string>

#include "core/durable_file.h"
#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/common/files.h"
#include "tests/reports/sample_result.h"

namespace faultdrill::reports {
namespace {

using ::testing::HasSubstr;

TEST(JsonReport, RoundTripsThroughAFile) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/result.json";
  const RunResult original = sample::SampleRunResult();

  ASSERT_TRUE(WriteJsonReport(original, path).ok());
  absl::StatusOr<RunResult> read = ReadJsonReport(path);

  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(ToJson(*read), ToJson(original));
  EXPECT_EQ(read->scenario_name, "quarterly-drill");
  ASSERT_EQ(read->verdicts.size(), original.verdicts.size());
  EXPECT_EQ(read->verdicts[2].message, "p99 812.0ms > 150.0ms in during(slow-net)");
  ASSERT_EQ(read->faults.size(), 3u);
  EXPECT_EQ(read->faults[0].applied_at_s, 10.002);
  EXPECT_FALSE(read->faults[2].applied_at_s.has_value());
  EXPECT_EQ(read->series.size(), 60u);
}

TEST(JsonReport, IsPrettyPrinted) {
  const std::string text = RenderJson(sample::SampleRunResult());
  EXPECT_THAT(text, HasSubstr("\n  \""));
  EXPECT_EQ(text.back(), '\n');
}

TEST(JsonReport, InvalidUtf8IsWrittenNotFatal) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/result.json";
  RunResult result = sample::SampleRunResult();
  result.scenario_name = "bad \xff bytes";

  ASSERT_TRUE(WriteJsonReport(result, path).ok());
  absl::StatusOr<RunResult> read = ReadJsonReport(path);

  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->scenario_name, "bad \xEF\xBF\xBD bytes");
}

TEST(ReadJsonReport, MissingFileIsNotFound) {
  testing::TempDir dir;
  absl::StatusOr<RunResult> read = ReadJsonReport(dir.path() + "/none.json");
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
}

TEST(ReadJsonReport, NotJsonIsInvalidArgumentWithPathAndPosition) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/result.json";
  ASSERT_TRUE(WriteFileAtomically(path, "{\n  \"scenario_name\": oops\n}\n").ok());

  absl::StatusOr<RunResult> read = ReadJsonReport(path);

  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(read.status().message()), HasSubstr(path));
  EXPECT_THAT(std::string(read.status().message()), HasSubstr("line 2"));
}

TEST(ReadJsonReport, JsonThatIsNotARunResultNamesThePath) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/result.json";
  ASSERT_TRUE(WriteFileAtomically(path, "{\"hello\": 1}").ok());

  absl::StatusOr<RunResult> read = ReadJsonReport(path);

  EXPECT_FALSE(read.ok());
  EXPECT_THAT(std::string(read.status().message()), HasSubstr(path));
}

// Reads `text` as a result.json and returns the error, which must name the file.
std::string ReadError(const std::string& text) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/result.json";
  EXPECT_TRUE(WriteFileAtomically(path, text).ok());
  absl::StatusOr<RunResult> read = ReadJsonReport(path);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument) << read.status();
  const std::string message(read.status().message());
  EXPECT_THAT(message, HasSubstr(path + ": "));
  return message;
}

nlohmann::json SampleJson() { return ToJson(sample::SampleRunResult()); }

TEST(ReadJsonReport, TruncatedFileSaysItEndsEarly) {
  const std::string whole = RenderJson(sample::SampleRunResult());

  const std::string error = ReadError(whole.substr(0, whole.size() / 2));

  EXPECT_THAT(error, HasSubstr("not a JSON file (it ends early: truncated?)"));
  EXPECT_THAT(error, HasSubstr("line "));
  EXPECT_THAT(error, ::testing::Not(HasSubstr("[json.exception")));
}

TEST(ReadJsonReport, EmptyFileSaysSo) {
  EXPECT_THAT(ReadError(""), HasSubstr("not a JSON file: the file is empty"));
  EXPECT_THAT(ReadError(" \n"), HasSubstr("the file is empty"));
}

TEST(ReadJsonReport, ANumberBeyondDoubleIsALocatedError) {
  const std::string error = ReadError("{\"schema_version\": 1,\n \"x\": 1e400}\n");
  EXPECT_THAT(error, HasSubstr("not a JSON file: parse error at line 2, column 7: number overflow parsing '1e400'"));
}

TEST(ReadJsonReport, DeepNestingIsALocatedErrorNotAStackOverflow) {
  // Where the message would print the value, recursing once per level.
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  const std::string error = ReadError("{\"schema_version\": " + deep + "}");
  EXPECT_THAT(error, HasSubstr("not a JSON file: parse error at line 1, column 83: nested more than 64 levels deep"));
}

TEST(ReadJsonReport, NotAnObjectSaysWhatItIs) {
  EXPECT_THAT(ReadError("[1, 2]"),
              HasSubstr("not a faultdrill result: expected a JSON object at the top level, got array"));
  EXPECT_THAT(ReadError("\"result\""), HasSubstr("got string"));
  EXPECT_THAT(ReadError("null"), HasSubstr("got null"));
}

TEST(ReadJsonReport, WithoutSchemaVersionIsNotAResult) {
  nlohmann::json json = SampleJson();
  json.erase("schema_version");

  EXPECT_THAT(ReadError(json.dump()), HasSubstr("not a faultdrill result: it has no schema_version"));
}

TEST(ReadJsonReport, NewerVersionSaysANewerFaultdrillWroteIt) {
  nlohmann::json json = SampleJson();
  json["schema_version"] = kResultSchemaVersion + 1;

  const std::string error = ReadError(json.dump());

  EXPECT_THAT(error, HasSubstr(fmt::format("schema_version {} is newer than this faultdrill reads ({})",
                                           kResultSchemaVersion + 1, kResultSchemaVersion)));
  EXPECT_THAT(error, HasSubstr("written by a newer faultdrill"));
}

TEST(ReadJsonReport, OtherVersionIsRejected) {
  for (int version : {0, -1}) {
    nlohmann::json json = SampleJson();
    json["schema_version"] = version;

    EXPECT_THAT(ReadError(json.dump()),
                HasSubstr(fmt::format("schema_version {} is not one this faultdrill reads (it reads {} only)",
                                      version, kResultSchemaVersion)));
  }
}

TEST(ReadJsonReport, VersionThatIsNotAnIntegerIsRejected) {
  nlohmann::json json = SampleJson();
  json["schema_version"] = "1";

  EXPECT_THAT(ReadError(json.dump()), HasSubstr("schema_version: expected an integer, got string \"1\""));
}

TEST(ReadJsonReport, MistypedFieldNamesItsJsonPath) {
  nlohmann::json json = SampleJson();
  json["verdicts"][2]["threshold"] = "150ms";

  EXPECT_THAT(ReadError(json.dump()), HasSubstr("verdicts[2].threshold: expected number, got string"));
}

TEST(ReadJsonReport, UnknownFieldsAreIgnoredAsTheVersioningPolicySays) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/result.json";
  nlohmann::json json = SampleJson();
  json["added_later"] = {{"x", 1}};
  json["verdicts"][0]["added_later"] = true;
  ASSERT_TRUE(WriteFileAtomically(path, json.dump()).ok());

  absl::StatusOr<RunResult> read = ReadJsonReport(path);

  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(ToJson(*read), SampleJson());
}

TEST(WriteJsonReport, UnwritablePathIsAnErrorNotAThrow) {
  absl::Status status = WriteJsonReport(sample::SampleRunResult(), "/nonexistent-folder/result.json");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace faultdrill::reports
