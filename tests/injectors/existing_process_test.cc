// ExistingProcess and the explicit process selectors, with real `sleep` processes.
#include "injectors/existing_process.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "injectors/launched_process.h"
#include "injectors/undo.h"
#include "tests/common/files.h"

namespace faultdrill::injectors {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

std::unique_ptr<LaunchedProcess> StartSleep(const std::string& program = "sleep") {
  auto process = LaunchedProcess::Start({.command = {program, "30"}});
  EXPECT_TRUE(process.ok()) << process.status();
  return process.ok() ? *std::move(process) : nullptr;
}

// A copy of sleep under a name no other process has, so name lookups find only ours.
std::string UniqueSleepCopy(const testing::TempDir& dir) {
  const std::string path = dir.File("fdsleep" + std::to_string(::getpid() % 100000));
  std::filesystem::copy_file("/bin/sleep", path);
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path;
}

TEST(ExistingProcess, AttachesSignalsAndSeesTheExit) {
  auto child = StartSleep();
  ASSERT_NE(child, nullptr);
  auto process = ExistingProcess::Attach(child->pid());
  ASSERT_TRUE(process.ok()) << process.status();
  EXPECT_EQ((*process)->name(), "sleep");
  EXPECT_EQ((*process)->pid(), child->pid());
  EXPECT_EQ((*process)->start_time(), ProcessStartTime(child->pid()));
  EXPECT_TRUE((*process)->Running());
  EXPECT_EQ((*process)->WaitForExit(20ms).code(), absl::StatusCode::kDeadlineExceeded);
  ASSERT_TRUE((*process)->Signal(SIGKILL).ok());
  // Not reaped yet (a zombie of this test): it counts as exited all the same.
  ASSERT_TRUE((*process)->WaitForExit(5s).ok());
  EXPECT_FALSE((*process)->Running());
  EXPECT_EQ((*process)->pid(), 0);
  EXPECT_EQ((*process)->Signal(SIGKILL).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ExistingProcess, CannotBeRestarted) {
  auto child = StartSleep();
  ASSERT_NE(child, nullptr);
  auto process = ExistingProcess::Attach(child->pid());
  ASSERT_TRUE(process.ok());
  absl::Status restart = (*process)->Restart();
  EXPECT_EQ(restart.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(restart.message(), HasSubstr("faultdrill did not start it; cannot restart"));
}

TEST(ExistingProcess, RefusesFaultdrillItselfInitAndMissingPids) {
  EXPECT_EQ(ExistingProcess::Attach(::getpid()).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ExistingProcess::Attach(1).status().code(), absl::StatusCode::kFailedPrecondition);
  auto child = StartSleep();
  ASSERT_NE(child, nullptr);
  const pid_t gone = child->pid();
  child.reset();  // stops and reaps it
  EXPECT_EQ(ExistingProcess::Attach(gone).status().code(), absl::StatusCode::kNotFound);
}

TEST(ExistingProcess, TellsAProcessFromALaterOneWithTheSamePid) {
  auto child = StartSleep();
  ASSERT_NE(child, nullptr);
  const uint64_t start = ProcessStartTime(child->pid());
  EXPECT_TRUE(IsSameLiveProcess(child->pid(), start));
  EXPECT_FALSE(IsSameLiveProcess(child->pid(), start + 1));
}

TEST(FindProcessesByName, FindsEveryProcessOfThatNameButNeverFaultdrill) {
  testing::TempDir dir;
  const std::string program = UniqueSleepCopy(dir);
  const std::string name = std::filesystem::path(program).filename();
  EXPECT_TRUE(FindProcessesByName(name).empty());
  auto first = StartSleep(program);
  auto second = StartSleep(program);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  std::vector<pid_t> expected = {first->pid(), second->pid()};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(FindProcessesByName(name), expected);
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").filename();
  for (pid_t pid : FindProcessesByName(self)) EXPECT_NE(pid, ::getpid());
}

TEST(ReadPidFile, ReadsOnePidWithWhitespace) {
  testing::TempDir dir;
  std::ofstream(dir.File("ok.pid")) << "  4242\n";
  std::ofstream(dir.File("bad.pid")) << "42x\n";
  std::ofstream(dir.File("empty.pid")) << "";
  EXPECT_EQ(*ReadPidFile(dir.File("ok.pid")), 4242);
  EXPECT_EQ(ReadPidFile(dir.File("bad.pid")).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadPidFile(dir.File("empty.pid")).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadPidFile(dir.File("missing.pid")).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace faultdrill::injectors
