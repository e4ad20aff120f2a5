#include "core/durable_file.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "fmt/format.h"
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

// A pid that no process has: a child that has ended and been reaped.
pid_t EndedPid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return pid;
}

bool UnnamedFilesWork(const std::string& folder) {
  const int fd = ::open(folder.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

TEST(DurableFileWriter, NothingIsNamedWhileItWritesAndTheFileAppearsWhole) {
  testing::TempDir dir;
  if (!UnnamedFilesWork(dir.path())) GTEST_SKIP() << "the file system of " << dir.path() << " has no O_TMPFILE";
  const std::string path = dir.path() + "/weights";
  ASSERT_TRUE(WriteFileAtomically(path, "original").ok());
  auto writer = DurableFileWriter::Create(path, 0640);
  ASSERT_TRUE(writer.ok()) << writer.status();
  EXPECT_TRUE((*writer)->unnamed());

  ASSERT_TRUE((*writer)->Append("new ").ok());
  ASSERT_TRUE((*writer)->Append("contents").ok());
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"weights"});
  EXPECT_EQ(*faultdrill::ReadWholeFile(path), "original");
  ASSERT_TRUE((*writer)->Commit().ok());

  EXPECT_EQ(*faultdrill::ReadWholeFile(path), "new contents");
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"weights"});
  EXPECT_EQ(std::filesystem::status(path).permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                std::filesystem::perms::group_read);
}

TEST(DurableFileWriter, AWriterDroppedBeforeCommitLeavesTheFileAsItWasAndNothingElse) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/weights";
  ASSERT_TRUE(WriteFileAtomically(path, "original").ok());
  {
    auto writer = DurableFileWriter::Create(path, 0644);
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE((*writer)->Append("half of the new").ok());
  }
  EXPECT_EQ(*faultdrill::ReadWholeFile(path), "original");
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"weights"});
}

TEST(DurableFileWriter, CreatesAFileThatDidNotExist) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/new";
  auto writer = DurableFileWriter::Create(path, 0600);
  ASSERT_TRUE(writer.ok()) << writer.status();
  ASSERT_TRUE((*writer)->Append("x").ok());
  ASSERT_TRUE((*writer)->Commit().ok());
  EXPECT_EQ(*faultdrill::ReadWholeFile(path), "x");
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"new"});
  EXPECT_FALSE((*writer)->Commit().ok()) << "a second commit";
}

TEST(RemoveStaleTemporaryFiles, RemovesTheTemporariesOfEndedWritersOnly) {
  testing::TempDir dir;
  const pid_t ended = EndedPid();
  const std::string stale = fmt::format(".weights.faultdrill-{}-AbC123", ended);
  const std::string live = fmt::format(".weights.faultdrill-{}-AbC123", ::getpid());
  for (const std::string& name : {stale, live, std::string("weights"), std::string(".weights.faultdrill-XYZ"),
                                  fmt::format("weights.faultdrill-{}-AbC123", ended)}) {
    std::ofstream(dir.path() + "/" + name) << "x";  // not durably: that would sweep the stale one
  }

  auto removed = RemoveStaleTemporaryFiles(dir.path());

  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, std::vector<std::string>{dir.path() + "/" + stale});
  EXPECT_EQ(dir.Entries(), (std::vector<std::string>{live, ".weights.faultdrill-XYZ", "weights",
                                                     fmt::format("weights.faultdrill-{}-AbC123", ended)}));
}

TEST(RemoveStaleTemporaryFiles, AMissingFolderHoldsNone) {
  testing::TempDir dir;
  auto removed = RemoveStaleTemporaryFiles(dir.path() + "/missing");
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_TRUE(removed->empty());
}

TEST(WriteFileAtomically, SweepsWhatAKilledWriterLeftInTheFolder) {
  testing::TempDir dir;
  const std::string stale = fmt::format(".report.faultdrill-{}-AbC123", EndedPid());
  std::ofstream(dir.path() + "/" + stale) << "partial";

  ASSERT_TRUE(WriteFileAtomically(dir.path() + "/report", "whole").ok());

  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"report"});
}

TEST(ReadWholeFile, MissingFileIsNotFound) {
  testing::TempDir dir;
  EXPECT_EQ(faultdrill::ReadWholeFile(dir.path() + "/missing").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace faultdrill
