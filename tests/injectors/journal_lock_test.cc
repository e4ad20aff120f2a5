// The journal lock with real processes: a drill that is still running keeps
// its journal from `recover`; a journal whose holder died is recovered.
#include "injectors/journal_lock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "core/journal.h"
#include "injectors/launched_process.h"
#include "injectors/undo.h"
#include "tests/common/files.h"

namespace faultdrill::injectors {
namespace {

using ::testing::HasSubstr;
using testing::ReadWholeFile;
using testing::TempDir;
using namespace std::chrono_literals;

TEST(JournalLock, ASecondHolderIsRefusedWhileTheFirstHoldsIt) {
  TempDir dir;
  auto first = JournalLock::Acquire(dir.path());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(ReadWholeFile(JournalLockFile(dir.path())),
            std::to_string(::getpid()) + " " + std::to_string(ProcessStartTime(::getpid())) + "\n");
  auto second = JournalLock::Acquire(dir.path());
  ASSERT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(second.status().message()), HasSubstr("still running (faultdrill pid " +
                                                                std::to_string(::getpid()) + ")"));
  EXPECT_FALSE(ReadWholeFile(JournalLockFile(dir.path())).empty()) << "a refused Acquire keeps the holder";
  first->reset();
  EXPECT_TRUE(ReadWholeFile(JournalLockFile(dir.path())).empty()) << "released: no holder named";
  EXPECT_TRUE(JournalLock::Acquire(dir.path()).ok());
}

TEST(JournalLock, ALiveProcessNamedInTheFileIsRefusedEvenWithoutItsFlock) {
  TempDir dir;
  auto sleeper = LaunchedProcess::Start({.command = {"sleep", "30"}});
  ASSERT_TRUE(sleeper.ok());
  const pid_t pid = (*sleeper)->pid();
  std::ofstream(JournalLockFile(dir.path())) << pid << " " << ProcessStartTime(pid) << "\n";
  auto lock = JournalLock::Acquire(dir.path());
  ASSERT_EQ(lock.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(lock.status().message()), HasSubstr("faultdrill pid " + std::to_string(pid)));
}

TEST(JournalLock, AHolderThatIsGoneOrAPidSinceReusedDoesNotHoldIt) {
  TempDir dir;
  auto sleeper = LaunchedProcess::Start({.command = {"sleep", "30"}});
  ASSERT_TRUE(sleeper.ok());
  const pid_t pid = (*sleeper)->pid();
  // The same pid with another start time: the holder died and the pid was reused.
  std::ofstream(JournalLockFile(dir.path())) << pid << " " << ProcessStartTime(pid) + 1 << "\n";
  EXPECT_TRUE(JournalLock::Acquire(dir.path()).ok());
  (*sleeper)->Stop(1s);
  std::ofstream(JournalLockFile(dir.path())) << pid << " 12345\n";
  EXPECT_TRUE(JournalLock::Acquire(dir.path()).ok());
  std::ofstream(JournalLockFile(dir.path())) << "garbage";
  EXPECT_TRUE(JournalLock::Acquire(dir.path()).ok());
}

// Run only as a child of RecoverRefusesAJournalHeldByARunningDrill (disabled
// otherwise): a stand-in drill that journals a fill file in
// $FAULTDRILL_JOURNAL_HOLDER_DIR, holds the lock, says so, and waits to be killed.
TEST(JournalHolder, DISABLED_HoldsAJournalAndWaits) {
  const char* env = std::getenv("FAULTDRILL_JOURNAL_HOLDER_DIR");
  ASSERT_NE(env, nullptr);
  const std::string dir(env);
  std::filesystem::create_directories(dir + "/journal");
  auto lock = JournalLock::Acquire(dir + "/journal");
  ASSERT_TRUE(lock.ok()) << lock.status();
  auto journal = Journal::Open(dir + "/journal", "holder");
  ASSERT_TRUE(journal.ok());
  ASSERT_TRUE((*journal)->RecordUndo("fill", "disk-fill", MakeRemoveFile(dir + "/fill")).ok());
  std::ofstream(dir + "/fill") << "the fault";
  std::ofstream(dir + "/ready") << "ready";
  std::this_thread::sleep_for(60s);
}

TEST(RecoverJournalLock, RefusesAJournalHeldByARunningDrillAndRecoversItOnceTheHolderIsDead) {
  TempDir dir;
  auto holder = LaunchedProcess::Start({
      .command = {"/proc/self/exe", "--gtest_also_run_disabled_tests",
                  "--gtest_filter=JournalHolder.DISABLED_HoldsAJournalAndWaits"},
      .env = {{"FAULTDRILL_JOURNAL_HOLDER_DIR", dir.path()}},
      .log_file = dir.File("holder.log"),
  });
  ASSERT_TRUE(holder.ok()) << holder.status();
  for (int i = 0; i < 1000 && !std::filesystem::exists(dir.File("ready")); ++i) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(std::filesystem::exists(dir.File("ready"))) << ReadWholeFile(dir.File("holder.log"));

  auto refused = RecoverJournal(dir.File("journal"));
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("still running (faultdrill pid " + std::to_string((*holder)->pid()) + ")"));
  EXPECT_TRUE(std::filesystem::exists(dir.File("fill"))) << "the running drill's fault was taken back under it";

  ASSERT_TRUE((*holder)->Signal(SIGKILL).ok());
  ASSERT_TRUE((*holder)->WaitForExit(5s).ok());
  auto recovered = RecoverJournal(dir.File("journal"));
  ASSERT_TRUE(recovered.ok()) << recovered.status();
  ASSERT_EQ(recovered->steps.size(), 1u);
  EXPECT_TRUE(recovered->ok());
  EXPECT_FALSE(std::filesystem::exists(dir.File("fill")));
}

TEST(RecoverJournalLock, AFolderWithoutAJournalIsNotFoundAndGetsNoLockFile) {
  TempDir dir;
  EXPECT_EQ(RecoverJournal(dir.path()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(JournalLockFile(dir.path())));
}

}  // namespace
}  // namespace faultdrill::injectors
