#include "reports/atomic_file.h"

#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/common/files.h"

namespace faultdrill::reports {
namespace {

TEST(WriteFileAtomically, WritesAndReadsBack) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/report.txt";

  ASSERT_TRUE(WriteFileAtomically(path, "hello\n").ok());

  absl::StatusOr<std::string> text = ReadWholeFile(path);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "hello\n");
}

TEST(WriteFileAtomically, ReplacesAnExistingFileAndLeavesNoTemporaries) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/report.txt";
  ASSERT_TRUE(WriteFileAtomically(path, "old contents, longer than the new").ok());

  ASSERT_TRUE(WriteFileAtomically(path, "new").ok());

  EXPECT_EQ(*ReadWholeFile(path), "new");
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"report.txt"});
}

TEST(WriteFileAtomically, MakesReadableFiles) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/report.txt";
  ASSERT_TRUE(WriteFileAtomically(path, "x").ok());
  const auto perms = std::filesystem::status(path).permissions();
  EXPECT_NE(perms & std::filesystem::perms::others_read, std::filesystem::perms::none);
}

TEST(WriteFileAtomically, MissingFolderIsNotFoundNamingThePath) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/no/such/folder/report.txt";

  absl::Status status = WriteFileAtomically(path, "x");

  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(std::string(status.message()).find(path), std::string::npos) << status;
}

TEST(WriteFileAtomically, EmptyPathIsInvalid) {
  EXPECT_EQ(WriteFileAtomically("", "x").code(), absl::StatusCode::kInvalidArgument);
}

TEST(WriteFileAtomically, FailedRenameLeavesNoTemporary) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/taken";
  std::filesystem::create_directory(path);  // a folder where the file should go: rename fails

  EXPECT_FALSE(WriteFileAtomically(path, "x").ok());

  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"taken"});
}

TEST(ReadWholeFile, MissingFileIsNotFound) {
  testing::TempDir dir;
  EXPECT_EQ(ReadWholeFile(dir.path() + "/missing").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace faultdrill::reports
