#include "core/durable_file.h"

#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/common/files.h"

namespace faultdrill {
namespace {

TEST(WriteFileAtomically, WritesAndReadsBack) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/report.txt";

  ASSERT_TRUE(WriteFileAtomically(path, "hello\n").ok());

  absl::StatusOr<std::string> text = faultdrill::ReadWholeFile(path);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "hello\n");
}

TEST(WriteFileAtomically, ReplacesAnExistingFileAndLeavesNoTemporaries) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/report.txt";
  ASSERT_TRUE(WriteFileAtomically(path, "old contents, longer than the new").ok());

  ASSERT_TRUE(WriteFileAtomically(path, "new").ok());

  EXPECT_EQ(*faultdrill::ReadWholeFile(path), "new");
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"report.txt"});
}

TEST(WriteFileAtomically, KeepsThePermissionBitsOfTheFileItReplaces) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/spec";
  ASSERT_TRUE(WriteFileAtomically(path, "a").ok());
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  ASSERT_TRUE(WriteFileAtomically(path, "b").ok());
  EXPECT_EQ(std::filesystem::status(path).permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST(ReplaceFileDurably, AFailedFillLeavesTheFileAsItWasAndNoTemporaries) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/weights";
  ASSERT_TRUE(WriteFileAtomically(path, "original").ok());
  absl::Status status = ReplaceFileDurably(path, 0600, [&](int fd) {
    (void)WriteAll(fd, "half", path);
    return absl::DataLossError("source went away");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(*faultdrill::ReadWholeFile(path), "original");
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"weights"});
}

TEST(RemoveFileIfExists, RemovesAndIsFineWhenAlreadyGone) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/x";
  ASSERT_TRUE(WriteFileAtomically(path, "x").ok());
  EXPECT_TRUE(RemoveFileIfExists(path).ok());
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(RemoveFileIfExists(path).ok());
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
  EXPECT_EQ(faultdrill::ReadWholeFile(dir.path() + "/missing").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace faultdrill
