#include "injectors/undo.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "injectors/command.h"
#include "injectors/launched_process.h"
#include "tests/common/files.h"
#include "tests/common/processes.h"

namespace faultdrill::injectors {
namespace {

using ::testing::HasSubstr;
using testing::ReadWholeFile;
using testing::TempDir;

void Write(const std::string& path, const std::string& content) { std::ofstream(path, std::ios::binary) << content; }

TEST(Undo, RestoreFilePutsTheOriginalBackByteIdenticalAndIsIdempotent) {
  TempDir dir;
  const std::string original(70000, '\x5a');
  Write(dir.File("w.fdw"), original + "tail");
  auto sha = Sha256OfFile(dir.File("w.fdw"));
  ASSERT_TRUE(sha.ok());
  ASSERT_TRUE(CopyFileDurably(dir.File("w.fdw"), dir.File("backup")).ok());
  Write(dir.File("w.fdw"), "corrupted");
  UndoAction undo = MakeRestoreFile(dir.File("w.fdw"), dir.File("backup"), *sha);
  ASSERT_TRUE(RunUndo(undo).ok());
  EXPECT_EQ(ReadWholeFile(dir.File("w.fdw")), original + "tail");
  EXPECT_EQ(*Sha256OfFile(dir.File("w.fdw")), *sha);
  // Again, and with the backup gone: the file is already right, nothing to do.
  std::filesystem::remove(dir.File("backup"));
  EXPECT_TRUE(RunUndo(undo).ok());
}

TEST(Undo, RestoreFileRefusesABackupThatIsNotTheOriginal) {
  TempDir dir;
  Write(dir.File("w"), "original");
  std::string sha = *Sha256OfFile(dir.File("w"));
  Write(dir.File("backup"), "something else");
  Write(dir.File("w"), "corrupted");
  absl::Status s = RunUndo(MakeRestoreFile(dir.File("w"), dir.File("backup"), sha));
  EXPECT_TRUE(absl::IsDataLoss(s)) << s;
  EXPECT_EQ(ReadWholeFile(dir.File("w")), "corrupted") << "a wrong backup must not be copied over";
}

TEST(Undo, RemoveAndWriteFileAreIdempotent) {
  TempDir dir;
  Write(dir.File("fill"), "x");
  EXPECT_TRUE(RunUndo(MakeRemoveFile(dir.File("fill"))).ok());
  EXPECT_FALSE(std::filesystem::exists(dir.File("fill")));
  EXPECT_TRUE(RunUndo(MakeRemoveFile(dir.File("fill"))).ok());

  Write(dir.File("clock"), "+2h");
  EXPECT_TRUE(RunUndo(MakeWriteFile(dir.File("clock"), "+0")).ok());
  EXPECT_TRUE(RunUndo(MakeWriteFile(dir.File("clock"), "+0")).ok());
  EXPECT_EQ(ReadWholeFile(dir.File("clock")), "+0");
}

TEST(Undo, StopProcessEndsOnlyTheJournaledProcess) {
  auto sleeper = LaunchedProcess::Start({.command = {"sleep", "30"}});
  ASSERT_TRUE(sleeper.ok()) << sleeper.status();
  pid_t pid = (*sleeper)->pid();
  uint64_t start = ProcessStartTime(pid);
  ASSERT_GT(start, 0u);
  // A different start time or marker: the pid was reused, leave it alone.
  EXPECT_TRUE(RunUndo(MakeStopProcess(pid, start + 1, "")).ok());
  EXPECT_TRUE(RunUndo(MakeStopProcess(pid, start, "not-in-its-cmdline")).ok());
  EXPECT_TRUE((*sleeper)->Running());
  EXPECT_TRUE(RunUndo(MakeStopProcess(pid, start, "30")).ok());
  EXPECT_TRUE((*sleeper)->WaitForExit(std::chrono::seconds(5)).ok());
  EXPECT_TRUE(RunUndo(MakeStopProcess(pid, start, "30")).ok()) << "gone already: nothing to do";
}

TEST(Undo, ContinueProcessResumesAStoppedProcess) {
  auto sleeper = LaunchedProcess::Start({.command = {"sleep", "30"}});
  ASSERT_TRUE(sleeper.ok());
  pid_t pid = (*sleeper)->pid();
  ASSERT_TRUE((*sleeper)->Signal(SIGSTOP).ok());
  ASSERT_EQ(testing::SettledProcessState(pid, 'T'), 'T');
  ASSERT_TRUE(RunUndo(MakeContinueProcess(pid, ProcessStartTime(pid))).ok());
  EXPECT_EQ(testing::SettledProcessState(pid, 'S'), 'S');
}

TEST(Undo, UnknownActionsAndBadArgumentsAreErrors) {
  EXPECT_THAT(std::string(RunUndo({"format-disk", {}}).message()), HasSubstr("unknown undo step \"format-disk\""));
  EXPECT_THAT(std::string(RunUndo({"remove-file", {{"path", 3}}}).message()), HasSubstr("\"path\" must be a string"));
  EXPECT_THAT(std::string(RunUndo({"stop-process", {{"pid", "1"}}}).message()), HasSubstr("\"pid\" must be an integer"));
}

// A real root qdisc in a network namespace of the test's own.
TEST(Undo, DeleteQdiscRemovesTheRootQdiscAndIsIdempotent) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (CAP_NET_ADMIN) to create a network namespace";
  const std::string ns = "fdundo-" + std::to_string(::getpid());
  auto added = RunCommand({"ip", "netns", "add", ns});
  if (!added.ok() || added->exit_code != 0) {
    GTEST_SKIP() << "cannot create a network namespace: " << (added.ok() ? added->output : added.status().ToString());
  }
  struct Cleanup {
    std::string ns;
    ~Cleanup() { (void)RunCommand({"ip", "netns", "del", ns}); }
  } cleanup{ns};
  ASSERT_EQ(RunCommand({"ip", "-n", ns, "link", "set", "lo", "up"})->exit_code, 0);
  auto add_tbf = [&](const std::string& handle) {
    return RunCommand({"tc", "-n", ns, "qdisc", "add", "dev", "lo", "root", "handle", handle, "tbf", "rate", "1mbit",
                       "burst", "32kbit", "latency", "400ms"});
  };
  auto root = [&] { return RunCommand({"tc", "-n", ns, "qdisc", "show", "dev", "lo", "root"})->output; };
  auto tbf = add_tbf(kFaultdrillQdiscHandle);
  ASSERT_TRUE(tbf.ok());
  if (tbf->exit_code != 0) GTEST_SKIP() << "tbf is not available: " << tbf->output;
  ASSERT_THAT(root(), HasSubstr("tbf fd17:"));
  UndoAction undo = MakeDeleteQdisc("lo", ns);
  ASSERT_TRUE(RunUndo(undo).ok());
  EXPECT_THAT(root(), ::testing::Not(HasSubstr("tbf")));
  EXPECT_TRUE(RunUndo(undo).ok()) << "no qdisc of ours left: nothing to do";

  // Someone else's root qdisc, added after ours was gone, is not ours to delete.
  ASSERT_EQ(add_tbf("1:")->exit_code, 0);
  EXPECT_TRUE(RunUndo(undo).ok());
  EXPECT_THAT(root(), HasSubstr("tbf 1:"));
}

TEST(Recover, UndoesEveryPendingStepNewestFirstAndASecondRunFindsNothing) {
  TempDir dir;
  const std::string journal_dir = dir.File("journal");
  Write(dir.File("weights"), "original");
  std::string sha = *Sha256OfFile(dir.File("weights"));
  {
    auto journal = Journal::Open(journal_dir, "drill");
    ASSERT_TRUE(journal.ok());
    Journal& j = **journal;
    std::string backup = j.files_dir() + "/weights.bak";
    ASSERT_TRUE(CopyFileDurably(dir.File("weights"), backup).ok());
    ASSERT_TRUE(j.RecordUndo("corrupt", "corrupt-weights", MakeRestoreFile(dir.File("weights"), backup, sha)).ok());
    Write(dir.File("weights"), "corrupted");
    ASSERT_TRUE(j.RecordUndo("fill", "disk-fill", MakeRemoveFile(dir.File("fill"))).ok());
    Write(dir.File("fill"), "xxxx");
    ASSERT_TRUE(j.RecordUndo("gone", "disk-fill", MakeRemoveFile(dir.File("gone"))).ok());
    ASSERT_TRUE(j.RecordDone("gone", "revert").ok());
    // faultdrill dies here: no "done" for corrupt and fill.
  }
  auto report = RecoverJournal(journal_dir);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->steps.size(), 2u);
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->steps[0].fault, "fill");
  EXPECT_EQ(report->steps[1].fault, "corrupt");
  EXPECT_EQ(ReadWholeFile(dir.File("weights")), "original");
  EXPECT_FALSE(std::filesystem::exists(dir.File("fill")));

  auto again = RecoverJournal(journal_dir);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->steps.empty());
}

TEST(Recover, AFailedStepStaysPendingForTheNextTry) {
  TempDir dir;
  {
    auto journal = Journal::Open(dir.path(), "drill");
    ASSERT_TRUE((*journal)->RecordUndo("c", "corrupt-weights",
                                       MakeRestoreFile(dir.File("w"), dir.File("missing-backup"), "00")).ok());
    ASSERT_TRUE((*journal)->RecordUndo("f", "disk-fill", MakeRemoveFile(dir.File("f"))).ok());
  }
  auto report = RecoverJournal(dir.path());
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok());
  auto pending = PendingUndos(*ReadJournal(dir.path()));
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].fault, "c");
}

}  // namespace
}  // namespace faultdrill::injectors
