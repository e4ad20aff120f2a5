// RunCommand and FindProgram on real programs.
#include "core/command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "tests/common/files.h"
#include "tests/common/processes.h"

namespace faultdrill {
namespace {

using ::faultdrill::testing::TempDir;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST(RunCommand, ReturnsTheExitCodeAndOutputOfBothStreams) {
  auto result = RunCommand({"sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 3);
  EXPECT_THAT(result->output, HasSubstr("out\n"));
  EXPECT_THAT(result->output, HasSubstr("err\n"));
}

TEST(RunCommand, AProgramKilledByASignalHasExitCodeMinusOne) {
  auto result = RunCommand({"sh", "-c", "kill -9 $$"});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, -1);
}

TEST(RunCommand, StdinIsEmpty) {
  auto result = RunCommand({"cat"}, 5s);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 0);
  EXPECT_EQ(result->output, "");
}

TEST(RunCommand, KeepsTheLast64KiBOfALargeOutput) {
  auto result = RunCommand({"sh", "-c", "head -c 300000 /dev/zero | tr '\\0' a; echo END"});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->output.size(), 64u * 1024);
  EXPECT_THAT(result->output, EndsWith("aaaEND\n"));
}

TEST(RunCommand, ATimeoutKillsTheProgramAndWhatItStarted) {
  TempDir dir;
  const std::string pid_file = dir.File("child.pid");
  const auto start = std::chrono::steady_clock::now();
  auto result = RunCommand({"sh", "-c", "sleep 30 & echo $! > " + pid_file + "; wait"}, 300ms);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("did not finish within 300ms"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  const int grandchild = std::stoi("0" + testing::ReadWholeFile(pid_file));
  ASSERT_GT(grandchild, 0);
  // An orphan is reaped by PID 1, perhaps late: gone or a zombie both mean dead.
  char state = testing::ProcessState(grandchild);
  for (int i = 0; i < 200 && state != '?' && state != 'Z'; ++i) {
    std::this_thread::sleep_for(10ms);
    state = testing::ProcessState(grandchild);
  }
  EXPECT_TRUE(state == '?' || state == 'Z') << "state " << state;
}

TEST(RunCommand, DoesNotWaitForABackgroundChildThatKeepsTheOutputOpen) {
  const auto start = std::chrono::steady_clock::now();
  auto result = RunCommand({"sh", "-c", "echo started; sleep 3 &"}, 10s);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 0);
  EXPECT_THAT(result->output, HasSubstr("started"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(RunCommand, AMissingProgramIsNotFound) {
  EXPECT_EQ(RunCommand({"faultdrill-no-such-program"}).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(RunCommand({"/no/such/program"}).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(RunCommand({}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RunCommand, AFileThatCannotBeExecutedIsNotFound) {
  TempDir dir;
  const std::string script = dir.File("script");
  std::ofstream(script) << "not an executable format\n";
  ::chmod(script.c_str(), 0755);
  auto result = RunCommand({script});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("cannot execute"));
}

TEST(FindProgram, LooksNamesUpOnPathAndTakesPathsAsTheyAre) {
  auto sh = FindProgram("sh");
  ASSERT_TRUE(sh.ok()) << sh.status();
  EXPECT_THAT(*sh, EndsWith("/sh"));
  EXPECT_EQ(*FindProgram("/bin/sh"), "/bin/sh");
  EXPECT_THAT(std::string(FindProgram("faultdrill-no-such-program").status().message()),
              HasSubstr("was not found on PATH"));
  EXPECT_EQ(FindProgram("").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace faultdrill
