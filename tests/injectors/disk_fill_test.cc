#include "injectors/disk_fill.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "fmt/format.h"
#include "injectors/undo.h"
#include "tests/injectors/hog_fixture.h"
#include "tests/injectors/scenario_fixture.h"

namespace faultdrill::injectors {
namespace {

using namespace std::chrono_literals;
using ::faultdrill::testing::FileExists;
using ::faultdrill::testing::ProcessGone;
using ::faultdrill::testing::TempDir;
using ::faultdrill::testing::TmpfsMount;
using ::faultdrill::testing::UsedFraction;
using ::faultdrill::testing::WaitUntil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class DiskFillTest : public ::faultdrill::testing::InjectorTest {
 protected:
  DiskFillTest() : InjectorTest(&DiskFillInjector::Create) {}

  absl::StatusOr<std::unique_ptr<Injector>> CreateOn(const std::string& path, const std::string& amount) {
    return Create(fmt::format("{{kind: disk-fill, name: fill, at: 1s, path: \"{}\", {}}}", path, amount));
  }
};

TEST_F(DiskFillTest, TouchesTheFilesystemOfThePathThroughOneFile) {
  auto injector = CreateOn("/var/tmp", "fill_percent: 90%");
  ASSERT_TRUE(injector.ok()) << injector.status();
  EXPECT_THAT((*injector)->Touches(),
              ElementsAre("filesystem of /var/tmp (file /var/tmp/faultdrill-disk-fill-fill, to 90% used)"));
}

TEST_F(DiskFillTest, RequiresAPathWithItsLocation) {
  auto injector = Create("{kind: disk-fill, at: 1s, fill_percent: 50%}");
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(injector.status().message(), HasSubstr("path"));
}

TEST_F(DiskFillTest, RefusesToFillBeyond99Percent) {
  auto injector = CreateOn("/var/tmp", "fill_percent: 100%");
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(injector.status().message(), HasSubstr("at most 99%"));
}

TEST_F(DiskFillTest, RefusesKernelPseudoFilesystems) {
  for (const char* path : {"/proc", "/sys/fs", "/dev/shm/../"}) {
    auto injector = CreateOn(path, "bytes: 1MiB");
    EXPECT_THAT(injector.status().message(), HasSubstr("pseudo filesystem")) << path;
  }
  EXPECT_TRUE(CreateOn("/devices", "bytes: 1MiB").ok());  // a prefix of a name is not the folder
}

TEST_F(DiskFillTest, WantsExactlyOneOfFillPercentAndBytes) {
  EXPECT_THAT(CreateOn("/var/tmp", "bytes: 1MiB, fill_percent: 5%").status().message(), HasSubstr("either"));
  EXPECT_THAT(Create("{kind: disk-fill, at: 1s, path: /var/tmp}").status().message(), HasSubstr("t.yaml:5:"));
}

TEST_F(DiskFillTest, NeedsAWritableFolder) {
  auto injector = CreateOn("/nonexistent/folder", "bytes: 1MiB");
  ASSERT_TRUE(injector.ok());
  auto needs = (*injector)->Needs();
  ASSERT_FALSE(needs.empty());
  EXPECT_EQ(needs[0].what, "writable folder /nonexistent/folder");
  EXPECT_EQ(needs[0].status.code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(DiskFillTest, RefusesAFileThatIsAlreadyThereAndJournalsNothing) {
  TempDir dir;
  std::ofstream(dir.File("faultdrill-disk-fill-fill")) << "someone's";
  auto injector = CreateOn(dir.path(), "bytes: 4KiB");
  ASSERT_TRUE(injector.ok());
  absl::Status status = (*injector)->Apply();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("already exists"));
  EXPECT_TRUE(run_.journal().Records().empty());
  ASSERT_TRUE((*injector)->Revert().ok());
  EXPECT_TRUE(FileExists(dir.File("faultdrill-disk-fill-fill")));  // not ours: left alone
}

// The real thing, on a small tmpfs: the filesystem reaches the fill level,
// and the file is gone after revert.
TEST_F(DiskFillTest, FillsATmpfsToThePercentAndRemovesTheFileOnRevert) {
  TmpfsMount tmpfs("8m");
  if (!tmpfs.error().empty()) GTEST_SKIP() << tmpfs.error();
  auto injector = CreateOn(tmpfs.path(), "fill_percent: 60%");
  ASSERT_TRUE(injector.ok()) << injector.status();
  ASSERT_TRUE((*injector)->Apply().ok());
  const std::string file = tmpfs.path() + "/faultdrill-disk-fill-fill";
  EXPECT_TRUE(FileExists(file));
  EXPECT_GE(UsedFraction(tmpfs.path()), 0.60);
  EXPECT_LT(UsedFraction(tmpfs.path()), 0.65);
  EXPECT_EQ((*injector)->Counters().at("used_percent"), 60);
  EXPECT_GT((*injector)->Counters().at("bytes_held"), 4'000'000);

  // The file's removal is journaled before the helper that creates it.
  std::vector<JournalRecord> records = run_.journal().Records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].undo.action, "remove-file");
  EXPECT_EQ(records[0].undo.args["path"], file);
  EXPECT_EQ(records[1].undo.action, "stop-process");

  ASSERT_TRUE((*injector)->Revert().ok());
  EXPECT_FALSE(FileExists(file));
  EXPECT_LT(UsedFraction(tmpfs.path()), 0.05);
  EXPECT_TRUE((*injector)->Revert().ok());
}

// After a crash, `faultdrill recover` runs the journal newest first: the
// helper is killed (SIGKILL: no clean-up of its own), then the file removed.
TEST_F(DiskFillTest, JournaledUndoStepsTakeTheFillBack) {
  TmpfsMount tmpfs("4m");
  if (!tmpfs.error().empty()) GTEST_SKIP() << tmpfs.error();
  auto injector = CreateOn(tmpfs.path(), "bytes: 1MiB");
  ASSERT_TRUE(injector.ok());
  ASSERT_TRUE((*injector)->Apply().ok());
  std::vector<JournalRecord> records = run_.journal().Records();
  ASSERT_EQ(records.size(), 2u);
  const pid_t pid = records[1].undo.args["pid"].get<pid_t>();
  ASSERT_TRUE(RunUndo(records[1].undo).ok());
  EXPECT_TRUE(WaitUntil([&] { return ProcessGone(pid); }, 2s));
  ASSERT_TRUE(RunUndo(records[0].undo).ok());
  EXPECT_FALSE(FileExists(tmpfs.path() + "/faultdrill-disk-fill-fill"));
  EXPECT_TRUE((*injector)->Revert().ok());
}

TEST_F(DiskFillTest, BytesBeyondTheLimitFailWithTheHelpersMessage) {
  TmpfsMount tmpfs("4m");
  if (!tmpfs.error().empty()) GTEST_SKIP() << tmpfs.error();
  auto injector = CreateOn(tmpfs.path(), "bytes: 8MiB");
  ASSERT_TRUE(injector.ok());
  absl::Status status = (*injector)->Apply();
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(status.message(), HasSubstr("beyond 99%"));
  EXPECT_FALSE(FileExists(tmpfs.path() + "/faultdrill-disk-fill-fill"));
  EXPECT_TRUE((*injector)->Revert().ok());
}

}  // namespace
}  // namespace faultdrill::injectors
