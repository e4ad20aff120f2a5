// The contract of the faultdrill-hog binary (injectors/hog/main.cc): ready
// line, clean exit on SIGTERM, death with its parent, exit codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "injectors/command.h"
#include "injectors/cuda_driver.h"
#include "injectors/hog_process.h"
#include "tests/injectors/hog_fixture.h"

namespace faultdrill::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

TEST(HogBinary, RejectsUnknownOptionsAsUsage) {
  auto result = injectors::RunCommand({HogBinary(), "cpu", "--threads", "1", "--bogus"}, 5s);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 2);
}

TEST(HogBinary, ExitsAtOnceWhenItsParentIsNotTheOneNamed) {
  auto result = injectors::RunCommand({HogBinary(), "cpu", "--threads", "1", "--parent", "1"}, 5s);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 1);
  EXPECT_THAT(result->output, HasSubstr("parent process is gone"));
}

TEST(HogBinary, WithoutTheNvidiaDriverExits3AndSaysSo) {
  if (injectors::LoadCudaDriver().ok()) GTEST_SKIP() << "this machine has the NVIDIA driver (libcuda.so.1)";
  auto result = injectors::RunCommand({HogBinary(), "gpu", "--device", "0", "--fraction", "0.5"}, 5s);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 3);
  EXPECT_THAT(result->output, HasSubstr("no NVIDIA driver: libcuda.so.1 not found"));
}

TEST(HogBinary, RefusesToFillBeyondTheLimit) {
  TempDir dir;
  auto result = injectors::RunCommand(
      {HogBinary(), "disk", "--file", dir.File("fill"), "--fill-percent", "50", "--max-percent", "100"}, 5s);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 2);
  EXPECT_FALSE(FileExists(dir.File("fill")));
}

TEST(HogBinary, ReleasesAndExitsZeroOnSigterm) {
  TmpfsMount tmpfs("4m");
  if (!tmpfs.error().empty()) GTEST_SKIP() << tmpfs.error();
  TempDir logs;
  const std::string file = tmpfs.path() + "/fill";
  Grandchild hog = StartUnderAParent({HogBinary(), "disk", "--file", file, "--bytes", "1048576"}, logs.File("log"));
  ASSERT_GT(hog.pid, 0);
  ASSERT_TRUE(WaitUntil([&] { return injectors::ParseReadyLine(ReadWholeFile(logs.File("log"))).has_value(); }, 2s))
      << ReadWholeFile(logs.File("log"));
  EXPECT_TRUE(FileExists(file));
  ::kill(hog.pid, SIGTERM);
  EXPECT_TRUE(WaitUntil([&] { return ProcessGone(hog.pid); }, 2s));
  EXPECT_FALSE(FileExists(file));
  EXPECT_THAT(ReadWholeFile(logs.File("log")), HasSubstr("released"));
  KillParent(hog);
  const int status = ExitStatus(hog, 2s);  // the zombie is ours now
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status;
}

// faultdrill SIGKILLed: the helper gets SIGTERM from the kernel
// (PR_SET_PDEATHSIG), removes its file and exits.
TEST(HogBinary, DiskFillerRemovesItsFileWhenItsParentIsKilled) {
  TmpfsMount tmpfs("4m");
  if (!tmpfs.error().empty()) GTEST_SKIP() << tmpfs.error();
  TempDir logs;
  const std::string file = tmpfs.path() + "/fill";
  Grandchild hog = StartUnderAParent({HogBinary(), "disk", "--file", file, "--fill-percent", "50"}, logs.File("log"));
  ASSERT_GT(hog.pid, 0);
  ASSERT_TRUE(WaitUntil([&] { return injectors::ParseReadyLine(ReadWholeFile(logs.File("log"))).has_value(); }, 2s))
      << ReadWholeFile(logs.File("log"));
  EXPECT_GE(UsedFraction(tmpfs.path()), 0.5);
  KillParent(hog);
  const int status = ExitStatus(hog, 2s);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status;
  EXPECT_FALSE(FileExists(file));
  EXPECT_LT(UsedFraction(tmpfs.path()), 0.05);
}

TEST(HogBinary, CpuBurnerEndsWhenItsParentIsKilled) {
  TempDir logs;
  Grandchild hog = StartUnderAParent({HogBinary(), "cpu", "--threads", "1"}, logs.File("log"));
  ASSERT_GT(hog.pid, 0);
  ASSERT_TRUE(WaitUntil([&] { return injectors::ParseReadyLine(ReadWholeFile(logs.File("log"))).has_value(); }, 2s));
  KillParent(hog);
  const int status = ExitStatus(hog, 2s);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status;
}

}  // namespace
}  // namespace faultdrill::testing
