// A launched target and everything it starts, as one process group: real
// wrapper scripts (sh) that fork a child, as a target started through a
// script does. Stop, Signal and Restart reach the children; every start is
// journaled, so `recover` ends a group whose owner was SIGKILLed, and never a
// group that is no longer ours.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "core/journal.h"
#include "injectors/launched_process.h"
#include "injectors/undo.h"
#include "tests/common/files.h"
#include "tests/common/processes.h"

namespace faultdrill::injectors {
namespace {

using ::testing::HasSubstr;
using testing::ReadWholeFile;
using testing::TempDir;
using namespace std::chrono_literals;

// A wrapper script in `dir` that starts `sleep 300` in the background, writes
// the child's pid to the file named by its first argument, then runs `tail`
// (e.g. "wait": stay until the child ends; "": exit and leave it behind).
std::string WrapperScript(const TempDir& dir, const std::string& head, const std::string& tail) {
  const std::string path = dir.File("wrapper.sh");
  std::ofstream(path) << "#!/bin/sh\n"
                      << head << "\n"
                      << "sleep 300 &\n"
                      << "echo $! > \"$1.tmp\" && mv \"$1.tmp\" \"$1\"\n"
                      << tail << "\n";
  ::chmod(path.c_str(), 0755);
  return path;
}

// The pid the wrapper wrote to `file`, once it is there (bounded wait).
pid_t ChildPid(const std::string& file) {
  for (int i = 0; i < 500; ++i) {
    const std::string text = ReadWholeFile(file);
    if (!text.empty()) return static_cast<pid_t>(std::atoi(text.c_str()));
    std::this_thread::sleep_for(10ms);
  }
  return 0;
}

// Whether `pid` has ended (gone, or a zombie nobody reaped yet), waiting up to 5 s.
bool Ended(pid_t pid) {
  for (int i = 0; i < 500; ++i) {
    const char state = testing::ProcessState(pid);
    if (state == '?' || state == 'Z') return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

bool Alive(pid_t pid) {
  const char state = testing::ProcessState(pid);
  return state != '?' && state != 'Z';
}

// The value of kLaunchTokenVariable in `pid`'s environment.
std::string TokenOf(pid_t pid) {
  std::string environ = ReadWholeFile("/proc/" + std::to_string(pid) + "/environ");
  const std::string key = std::string(kLaunchTokenVariable) + "=";
  const size_t at = environ.find(key);
  if (at == std::string::npos) return "";
  return environ.substr(at + key.size(), environ.find('\0', at) - at - key.size());
}

struct Launched {
  std::unique_ptr<LaunchedProcess> process;
  pid_t child = 0;
};

Launched LaunchWrapper(const TempDir& dir, const std::string& head, const std::string& tail,
                       Journal* journal = nullptr) {
  Launched launched;
  auto process = LaunchedProcess::Start({.command = {WrapperScript(dir, head, tail), dir.File("child.pid")},
                                         .log_file = dir.File("wrapper.log"),
                                         .journal = journal,
                                         .journal_name = "launched-target"});
  EXPECT_TRUE(process.ok()) << process.status();
  if (!process.ok()) return launched;
  launched.process = *std::move(process);
  launched.child = ChildPid(dir.File("child.pid"));
  EXPECT_GT(launched.child, 0) << ReadWholeFile(dir.File("wrapper.log"));
  return launched;
}

TEST(LaunchedProcessGroup, TheTargetLeadsAGroupItsChildrenAreIn) {
  TempDir dir;
  Launched target = LaunchWrapper(dir, "", "wait");
  ASSERT_GT(target.child, 0);
  EXPECT_EQ(target.process->process_group(), target.process->pid());
  EXPECT_EQ(ProcessGroupOf(target.child), target.process->pid());
  EXPECT_NE(ProcessGroupOf(target.child), ProcessGroupOf(::getpid())) << "not in faultdrill's own group";
  EXPECT_FALSE(TokenOf(target.child).empty()) << "the child inherits the launch token";
}

TEST(LaunchedProcessGroup, StopEndsTheChildrenOfAWrapperScript) {
  TempDir dir;
  Launched target = LaunchWrapper(dir, "", "wait");
  ASSERT_GT(target.child, 0);
  target.process->Stop(5s);
  EXPECT_FALSE(target.process->Running());
  EXPECT_TRUE(Ended(target.child)) << "the wrapper's child outlived Stop";
}

TEST(LaunchedProcessGroup, StopKillsAGroupThatIgnoresSigtermAfterTheGrace) {
  TempDir dir;
  Launched target = LaunchWrapper(dir, "trap '' TERM", "wait");  // the child inherits the ignored TERM
  ASSERT_GT(target.child, 0);
  target.process->Stop(100ms);
  EXPECT_TRUE(WIFSIGNALED(target.process->last_exit_status()));
  EXPECT_EQ(WTERMSIG(target.process->last_exit_status()), SIGKILL);
  EXPECT_TRUE(Ended(target.child));
}

TEST(LaunchedProcessGroup, ASignalReachesEveryProcessOfTheGroup) {
  TempDir dir;
  Launched target = LaunchWrapper(dir, "", "wait");
  ASSERT_GT(target.child, 0);
  ASSERT_TRUE(target.process->Signal(SIGKILL).ok());
  ASSERT_TRUE(target.process->WaitForExit(5s).ok());
  EXPECT_TRUE(Ended(target.child)) << "a process-kill of a wrapped target must kill the server it started";
}

TEST(LaunchedProcessGroup, WhatALeaderLeftBehindIsEndedByStop) {
  TempDir dir;
  Launched target = LaunchWrapper(dir, "", "");  // the script exits, its child stays
  ASSERT_GT(target.child, 0);
  ASSERT_TRUE(target.process->WaitForExit(5s).ok());
  ASSERT_TRUE(Alive(target.child));
  EXPECT_EQ(target.process->Stop(1s), -1) << "the leader was not running";
  EXPECT_TRUE(Ended(target.child));
}

TEST(LaunchedProcessGroup, RestartEndsWhatThePreviousInstanceLeftBehind) {
  TempDir dir;
  Launched target = LaunchWrapper(dir, "", "");
  ASSERT_GT(target.child, 0);
  ASSERT_TRUE(target.process->WaitForExit(5s).ok());
  std::remove(dir.File("child.pid").c_str());
  ASSERT_TRUE(target.process->Restart().ok());
  EXPECT_TRUE(Ended(target.child)) << "the first instance's child would hold the target's port";
  const pid_t second = ChildPid(dir.File("child.pid"));
  ASSERT_GT(second, 0);
  EXPECT_TRUE(Alive(second));
  target.process->Stop(1s);
  EXPECT_TRUE(Ended(second));
}

TEST(LaunchedProcessGroup, EveryStartIsJournaledBeforeItReturnsAndAStoppedGroupIsDone) {
  TempDir dir;
  auto journal = Journal::Open(dir.File("journal"), "test");
  ASSERT_TRUE(journal.ok());
  {
    Launched target = LaunchWrapper(dir, "", "wait", journal->get());
    ASSERT_GT(target.child, 0);
    std::vector<PendingUndo> pending = PendingUndos((*journal)->Records());
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0].fault, "launched-target");
    EXPECT_EQ(pending[0].undo.action, "stop-process-group");
    EXPECT_EQ(pending[0].undo.args["pgid"].get<pid_t>(), target.process->pid());
    EXPECT_EQ(pending[0].undo.args["start_time"].get<uint64_t>(), ProcessStartTime(target.process->pid()));
    EXPECT_EQ(pending[0].undo.args["token"].get<std::string>(), TokenOf(target.child));
    ASSERT_TRUE(target.process->Signal(SIGKILL).ok());
    ASSERT_TRUE(target.process->WaitForExit(5s).ok());
    ASSERT_TRUE(target.process->Restart().ok());
    EXPECT_EQ(PendingUndos((*journal)->Records()).size(), 2u) << "the restarted group is journaled too";
  }
  EXPECT_TRUE(PendingUndos((*journal)->Records()).empty()) << "stopped: nothing is left for recover";
}

TEST(LaunchedProcessGroup, OnlyAnExitFaultdrillDidNotAskForIsReported) {
  TempDir dir;
  const std::string script = dir.File("exits.sh");
  std::ofstream(script) << "#!/bin/sh\nwhile [ ! -e \"$1\" ]; do sleep 0.01; done\nexit 3\n";
  ::chmod(script.c_str(), 0755);
  auto process = LaunchedProcess::Start({.command = {script, dir.File("go")}});
  ASSERT_TRUE(process.ok()) << process.status();
  std::atomic<int> reported{0};
  std::atomic<int> status{0};
  (*process)->SetUnexpectedExitObserver([&](const ProcessExit& exit) {
    status = exit.status;
    ++reported;
  });
  std::ofstream(dir.File("go")) << "";
  ASSERT_TRUE((*process)->WaitForExit(5s).ok());
  for (int i = 0; i < 500 && reported == 0; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(reported, 1) << "it exited on its own";
  EXPECT_EQ(DescribeExit(status), "exited with status 3");

  std::remove(dir.File("go").c_str());
  ASSERT_TRUE((*process)->Restart().ok());
  ASSERT_TRUE((*process)->Signal(SIGKILL).ok());  // a process-kill fault
  ASSERT_TRUE((*process)->WaitForExit(5s).ok());
  ASSERT_TRUE((*process)->Restart().ok());
  (*process)->Stop(1s);  // the end of the run
  EXPECT_EQ(reported, 1) << "ended by faultdrill: not news";
  EXPECT_EQ(DescribeExit(SIGSEGV), "killed by SIGSEGV");
}

// Run only as a child of RecoverEndsTheGroupOfATargetWhoseOwnerWasKilled
// (disabled otherwise): launches the wrapper journaled in
// $FAULTDRILL_GROUP_OWNER_DIR/journal, then waits to be killed.
TEST(ProcessGroupOwner, DISABLED_LaunchesAJournaledWrapperAndWaits) {
  const char* dir = std::getenv("FAULTDRILL_GROUP_OWNER_DIR");
  ASSERT_NE(dir, nullptr);
  auto journal = Journal::Open(std::string(dir) + "/journal", "owner");
  ASSERT_TRUE(journal.ok());
  auto process = LaunchedProcess::Start({.command = {std::string(dir) + "/wrapper.sh", std::string(dir) + "/child.pid"},
                                         .journal = journal->get(),
                                         .journal_name = "launched-target"});
  ASSERT_TRUE(process.ok()) << process.status();
  std::this_thread::sleep_for(60s);
}

TEST(RecoverProcessGroup, RecoverEndsTheGroupOfATargetWhoseOwnerWasKilled) {
  TempDir dir;
  WrapperScript(dir, "", "wait");
  auto owner = LaunchedProcess::Start({
      .command = {"/proc/self/exe", "--gtest_also_run_disabled_tests",
                  "--gtest_filter=ProcessGroupOwner.DISABLED_LaunchesAJournaledWrapperAndWaits"},
      .env = {{"FAULTDRILL_GROUP_OWNER_DIR", dir.path()}},
      .log_file = dir.File("owner.log"),
  });
  ASSERT_TRUE(owner.ok()) << owner.status();
  const pid_t child = ChildPid(dir.File("child.pid"));
  ASSERT_GT(child, 0) << ReadWholeFile(dir.File("owner.log"));
  auto records = ReadJournal(dir.File("journal"));
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(PendingUndos(*records).size(), 1u) << "journaled before Start returned";
  const pid_t leader = PendingUndos(*records)[0].undo.args["pgid"].get<pid_t>();

  ASSERT_TRUE((*owner)->Signal(SIGKILL).ok());  // faultdrill itself, SIGKILLed
  ASSERT_TRUE((*owner)->WaitForExit(5s).ok());
  ASSERT_TRUE(Ended(leader)) << "the leader dies with its owner (PR_SET_PDEATHSIG)";
  ASSERT_TRUE(Alive(child)) << "its child is what recover is for";

  auto report = RecoverJournal(dir.File("journal"));
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->steps.size(), 1u);
  EXPECT_EQ(report->steps[0].action, "stop-process-group");
  EXPECT_TRUE(report->steps[0].status.ok()) << report->steps[0].status;
  EXPECT_TRUE(Ended(child)) << "recover left the wrapper's child running";
  EXPECT_TRUE(RecoverJournal(dir.File("journal"))->steps.empty()) << "a second recover finds nothing to do";
}

TEST(RecoverProcessGroup, AGroupThatIsNoLongerOursIsLeftAlone) {
  TempDir dir;
  // Leader alive: a start time that is not the journaled one means the pid
  // (and so the group id) belongs to someone else now.
  Launched live = LaunchWrapper(dir, "", "wait");
  ASSERT_GT(live.child, 0);
  const pid_t pgid = live.process->pid();
  const uint64_t start = ProcessStartTime(pgid);
  const std::string token = TokenOf(live.child);
  EXPECT_FALSE(IsOurProcessGroup(pgid, start + 1, token));
  ASSERT_TRUE(RunUndo(MakeStopProcessGroup(pgid, start + 1, token)).ok());
  EXPECT_TRUE(Alive(live.child));
  EXPECT_TRUE(live.process->Running());
  EXPECT_TRUE(IsOurProcessGroup(pgid, start, token));
  live.process->Stop(1s);

  // Leader gone: only a member carrying the journaled token proves the group is ours.
  TempDir other;
  Launched orphaned = LaunchWrapper(other, "", "");
  ASSERT_GT(orphaned.child, 0);
  ASSERT_TRUE(orphaned.process->WaitForExit(5s).ok());
  const pid_t group = orphaned.process->process_group();
  const std::string orphan_token = TokenOf(orphaned.child);
  ASSERT_FALSE(orphan_token.empty());
  ASSERT_TRUE(RunUndo(MakeStopProcessGroup(group, 0, "not-the-token")).ok());
  EXPECT_TRUE(Alive(orphaned.child)) << "a group without our token is someone else's";
  ASSERT_TRUE(RunUndo(MakeStopProcessGroup(group, 0, orphan_token)).ok());
  EXPECT_TRUE(Ended(orphaned.child));
  EXPECT_TRUE(RunUndo(MakeStopProcessGroup(group, 0, orphan_token)).ok()) << "gone already: done";
}

TEST(RecoverProcessGroup, BadArgumentsAreErrors) {
  EXPECT_THAT(std::string(RunUndo({"stop-process-group", {{"pgid", 1}, {"start_time", 0}, {"token", "x"}}}).message()),
              HasSubstr("\"pgid\" must be more than 1"));
  EXPECT_THAT(std::string(RunUndo({"stop-process-group", {{"pgid", 1234}, {"start_time", 0}}}).message()),
              HasSubstr("\"token\" must be a string"));
}

}  // namespace
}  // namespace faultdrill::injectors
