#include "reports/json_report.h"

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "reports/atomic_file.h"
#include "tests/reports/sample_result.h"
#include "tests/common/files.h"

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

TEST(WriteJsonReport, UnwritablePathIsAnErrorNotAThrow) {
  absl::Status status = WriteJsonReport(sample::SampleRunResult(), "/nonexistent-folder/result.json");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace faultdrill::reports
