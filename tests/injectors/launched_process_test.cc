// LaunchedProcess with real processes (coreutils' sleep and true).
#include "injectors/launched_process.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include "tests/server/server_process.h"

namespace faultdrill::injectors {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST(LaunchedProcess, StartsSignalsAndReapsAProcess) {
  auto process = LaunchedProcess::Start({.command = {"sleep", "30"}});
  ASSERT_TRUE(process.ok()) << process.status();
  EXPECT_TRUE((*process)->Running());
  EXPECT_GT((*process)->pid(), 0);
  EXPECT_EQ((*process)->name(), "sleep");
  ASSERT_TRUE((*process)->Signal(SIGKILL).ok());
  ASSERT_TRUE((*process)->WaitForExit(5s).ok());
  EXPECT_FALSE((*process)->Running());
  EXPECT_TRUE(WIFSIGNALED((*process)->last_exit_status()));
  EXPECT_EQ((*process)->Signal(SIGKILL).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(LaunchedProcess, RestartsWithTheSameCommand) {
  auto process = LaunchedProcess::Start({.command = {"sleep", "30"}});
  ASSERT_TRUE(process.ok());
  pid_t first = (*process)->pid();
  EXPECT_EQ((*process)->Restart().code(), absl::StatusCode::kFailedPrecondition);  // still running
  ASSERT_TRUE((*process)->Signal(SIGTERM).ok());
  ASSERT_TRUE((*process)->WaitForExit(5s).ok());
  ASSERT_TRUE((*process)->Restart().ok());
  EXPECT_TRUE((*process)->Running());
  EXPECT_NE((*process)->pid(), first);
}

TEST(LaunchedProcess, WaitForExitTimesOutOnALiveProcess) {
  auto process = LaunchedProcess::Start({.command = {"sleep", "30"}});
  ASSERT_TRUE(process.ok());
  EXPECT_EQ((*process)->WaitForExit(50ms).code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(LaunchedProcess, StopEndsAStoppedProcess) {
  auto process = LaunchedProcess::Start({.command = {"sleep", "30"}});
  ASSERT_TRUE(process.ok());
  ASSERT_TRUE((*process)->Signal(SIGSTOP).ok());
  (*process)->Stop(2s);
  EXPECT_FALSE((*process)->Running());
}

TEST(LaunchedProcess, RecordsTheExitCode) {
  auto process = LaunchedProcess::Start({.command = {"false"}});
  ASSERT_TRUE(process.ok());
  ASSERT_TRUE((*process)->WaitForExit(5s).ok());
  EXPECT_EQ(WEXITSTATUS((*process)->last_exit_status()), 1);
}

TEST(LaunchedProcess, AMissingCommandIsNotFound) {
  auto process = LaunchedProcess::Start({.command = {"no-such-command-faultdrill"}});
  EXPECT_EQ(process.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(process.status().message()), HasSubstr("PATH"));
}

TEST(LaunchedProcess, ArgumentsReachTheProgramAsTheyAreWithoutAShell) {
  faultdrill::testing::TempDir dir;
  std::string log = dir.File("out.txt");
  auto process = LaunchedProcess::Start({.command = {"echo", "$HOME; rm -rf / `id` \"quoted\""}, .log_file = log});
  ASSERT_TRUE(process.ok());
  ASSERT_TRUE((*process)->WaitForExit(5s).ok());
  EXPECT_EQ(faultdrill::testing::ReadWholeFile(log), "$HOME; rm -rf / `id` \"quoted\"\n");
}

TEST(LaunchedProcess, EnvironmentEntriesAreAdded) {
  faultdrill::testing::TempDir dir;
  std::string log = dir.File("out.txt");
  auto process = LaunchedProcess::Start(
      {.command = {"printenv", "FAULTDRILL_TEST_VALUE"}, .env = {{"FAULTDRILL_TEST_VALUE", "42"}}, .log_file = log});
  ASSERT_TRUE(process.ok());
  ASSERT_TRUE((*process)->WaitForExit(5s).ok());
  EXPECT_EQ(faultdrill::testing::ReadWholeFile(log), "42\n");
}

}  // namespace
}  // namespace faultdrill::injectors
