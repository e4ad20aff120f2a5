#include "injectors/process_kill.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "injectors/launched_process.h"
#include "tests/common/files.h"
#include "tests/injectors/fake_target_process.h"
#include "tests/injectors/scenario_fixture.h"

namespace faultdrill::injectors {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ProcessKillTest : public ::faultdrill::testing::InjectorTest {
 protected:
  ProcessKillTest() : InjectorTest(&ProcessKillInjector::Create) {}
};

TEST_F(ProcessKillTest, DefaultsToSigkillWithoutRestart) {
  auto injector = Create("{kind: process-kill, at: 1s}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  EXPECT_EQ((*injector)->ActiveFor(), std::nullopt);
  EXPECT_THAT((*injector)->Describe(), HasSubstr("SIGKILL"));
}

TEST_F(ProcessKillTest, RestartAfterSetsHowLongTheFaultLasts) {
  auto injector = Create("{kind: process-kill, at: 1s, restart_after: 2s}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  EXPECT_EQ((*injector)->ActiveFor(), std::chrono::seconds(2));
}

TEST_F(ProcessKillTest, ForIsAnAliasOfRestartAfter) {
  auto injector = Create("{kind: process-kill, at: 1s, for: 3s}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  EXPECT_EQ((*injector)->ActiveFor(), std::chrono::seconds(3));
}

TEST_F(ProcessKillTest, RejectsBothRestartAfterAndFor) {
  auto injector = Create("{kind: process-kill, at: 1s, for: 3s, restart_after: 2s}");
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(injector.status().message(), HasSubstr("not both"));
}

TEST_F(ProcessKillTest, RejectsAnUnknownSignalWithItsLocation) {
  auto injector = Create("{kind: process-kill, at: 1s, signal: SIGFOO}");
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(injector.status().message(), HasSubstr("SIGFOO"));
}

TEST_F(ProcessKillTest, RejectsStopBecausePauseIsAnotherFault) {
  auto injector = Create("{kind: process-kill, at: 1s, signal: SIGSTOP}");
  EXPECT_THAT(injector.status().message(), HasSubstr("process-pause"));
}

TEST_F(ProcessKillTest, RejectsUnknownKeys) {
  auto injector = Create("{kind: process-kill, at: 1s, restart_afterr: 2s}");
  EXPECT_THAT(injector.status().message(), HasSubstr("restart_afterr"));
}

TEST_F(ProcessKillTest, NeedsAProcessThatFaultdrillLaunches) {
  auto injector = Create("{kind: process-kill, at: 1s}", /*embedded=*/false);
  EXPECT_THAT(injector.status().message(), HasSubstr("launch"));
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
}

TEST_F(ProcessKillTest, ApplySignalsAndRevertRestarts) {
  auto injector = Create("{kind: process-kill, at: 1s, restart_after: 2s}");
  ASSERT_TRUE(injector.ok());
  targets_.set_launched(&process_);
  ASSERT_TRUE((*injector)->Apply().ok());
  EXPECT_THAT(process_.signals, ElementsAre(SIGKILL));
  EXPECT_FALSE(process_.Running());
  ASSERT_TRUE((*injector)->Revert().ok());
  EXPECT_TRUE(process_.Running());
  EXPECT_EQ((*injector)->Counters().at("signals_sent"), 1);
  EXPECT_EQ((*injector)->Counters().at("restarts"), 1);
  EXPECT_EQ((*injector)->Counters().at("killed_pid"), 4242);
}

TEST_F(ProcessKillTest, RevertIsIdempotent) {
  auto injector = Create("{kind: process-kill, at: 1s}");
  ASSERT_TRUE(injector.ok());
  targets_.set_launched(&process_);
  ASSERT_TRUE((*injector)->Apply().ok());
  ASSERT_TRUE((*injector)->Revert().ok());
  ASSERT_TRUE((*injector)->Revert().ok());
  EXPECT_EQ(process_.restarts, 1);
}

TEST_F(ProcessKillTest, RevertWithoutApplyTouchesNothing) {
  auto injector = Create("{kind: process-kill, at: 1s}");
  ASSERT_TRUE(injector.ok());
  targets_.set_launched(&process_);
  ASSERT_TRUE((*injector)->Revert().ok());
  EXPECT_TRUE(process_.signals.empty());
  EXPECT_EQ(process_.restarts, 0);
}

TEST_F(ProcessKillTest, ApplyFailsWhenTheProcessDoesNotExit) {
  auto injector = Create("{kind: process-kill, at: 1s, signal: SIGTERM, exit_timeout: 10ms}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  process_.ignores_term = true;
  targets_.set_launched(&process_);
  absl::Status status = (*injector)->Apply();
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
}

TEST_F(ProcessKillTest, RejectsRestartingAProcessFaultdrillDidNotStart) {
  auto injector = Create("{kind: process-kill, at: 1s, pid: 1234, restart_after: 2s}");
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(injector.status().message(), HasSubstr("faultdrill did not start it; cannot restart"));
  injector = Create("{kind: process-kill, at: 1s, for: 2s, process_name: worker}");
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(injector.status().message(), HasSubstr("cannot restart"));
}

TEST_F(ProcessKillTest, RejectsMoreThanOneWayToNameTheProcess) {
  auto injector = Create("{kind: process-kill, at: 1s, pid: 1234, process_name: worker}");
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(injector.status().message(), HasSubstr("only one of `pid`, `pid_file` and `process_name`"));
}

TEST_F(ProcessKillTest, RejectsPidOneAndBadNames) {
  EXPECT_THAT(Create("{kind: process-kill, at: 1s, pid: 1}").status().message(), HasSubstr("pid 1"));
  EXPECT_THAT(Create("{kind: process-kill, at: 1s, pid: -5}").status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(Create("{kind: process-kill, at: 1s, process_name: /usr/bin/x}").status().message(),
              HasSubstr("not a path"));
}

TEST_F(ProcessKillTest, AnExplicitProcessNeedsNoLaunchedTarget) {
  auto injector = Create("{kind: process-kill, at: 1s, pid: 1234}", /*embedded=*/false);
  ASSERT_TRUE(injector.ok()) << injector.status();
  EXPECT_THAT((*injector)->Describe(), HasSubstr("SIGKILL pid 1234"));
  EXPECT_THAT((*injector)->Describe(), HasSubstr("not restarted"));
  EXPECT_THAT((*injector)->Touches(), ElementsAre(HasSubstr("pid 1234")));
}

TEST_F(ProcessKillTest, KillsAnExplicitPidAndLeavesItDown) {
  auto sleeper = LaunchedProcess::Start({.command = {"sleep", "30"}});
  ASSERT_TRUE(sleeper.ok());
  const pid_t pid = (*sleeper)->pid();
  auto injector = Create("{kind: process-kill, at: 1s, signal: SIGTERM, pid: " + std::to_string(pid) + "}", false);
  ASSERT_TRUE(injector.ok()) << injector.status();
  ASSERT_TRUE((*injector)->Apply().ok());
  // Apply returns once the pid is gone from /proc (a zombie counts as gone);
  // the launcher's own waiter reaps it a moment later.
  EXPECT_TRUE((*sleeper)->WaitForExit(std::chrono::seconds(5)).ok());
  EXPECT_TRUE(WIFSIGNALED((*sleeper)->last_exit_status()));
  EXPECT_EQ(WTERMSIG((*sleeper)->last_exit_status()), SIGTERM);
  ASSERT_TRUE((*injector)->Revert().ok());
  EXPECT_FALSE((*sleeper)->Running());
  EXPECT_EQ((*injector)->Counters().at("killed_pid"), pid);
  EXPECT_EQ((*injector)->Counters().at("restarts"), 0);
}

TEST_F(ProcessKillTest, KillsTheProcessInAPidFile) {
  testing::TempDir dir;
  auto sleeper = LaunchedProcess::Start({.command = {"sleep", "30"}});
  ASSERT_TRUE(sleeper.ok());
  std::ofstream(dir.File("worker.pid")) << (*sleeper)->pid() << "\n";
  auto injector = Create("{kind: process-kill, at: 1s, pid_file: \"" + dir.File("worker.pid") + "\"}", false);
  ASSERT_TRUE(injector.ok()) << injector.status();
  ASSERT_TRUE((*injector)->Apply().ok());
  // Apply returns once the pid is gone from /proc (a zombie counts as gone);
  // the launcher's own waiter reaps it a moment later.
  EXPECT_TRUE((*sleeper)->WaitForExit(std::chrono::seconds(5)).ok());
}

TEST_F(ProcessKillTest, ProcessNameMustMatchExactlyOneProcess) {
  testing::TempDir dir;
  const std::string name = "fdkill" + std::to_string(::getpid() % 100000);
  std::filesystem::copy_file("/bin/sleep", dir.File(name));
  std::filesystem::permissions(dir.File(name), std::filesystem::perms::owner_all);
  auto injector = Create("{kind: process-kill, at: 1s, process_name: " + name + "}", false);
  ASSERT_TRUE(injector.ok()) << injector.status();
  absl::Status none = (*injector)->Apply();
  EXPECT_EQ(none.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(none.message(), HasSubstr("no running process is named '" + name + "'"));

  auto first = LaunchedProcess::Start({.command = {dir.File(name), "30"}});
  auto second = LaunchedProcess::Start({.command = {dir.File(name), "30"}});
  ASSERT_TRUE(first.ok() && second.ok());
  absl::Status two = (*injector)->Apply();
  EXPECT_EQ(two.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(two.message(), HasSubstr("2 processes are named"));
  EXPECT_TRUE((*first)->Running());
  EXPECT_TRUE((*second)->Running());

  ASSERT_TRUE((*second)->Signal(SIGKILL).ok());
  ASSERT_TRUE((*second)->WaitForExit(std::chrono::seconds(5)).ok());
  ASSERT_TRUE((*injector)->Apply().ok());
  EXPECT_TRUE((*first)->WaitForExit(std::chrono::seconds(5)).ok());
}

TEST_F(ProcessKillTest, ApplyFailsWithoutALaunchedTarget) {
  auto injector = Create("{kind: process-kill, at: 1s}");
  ASSERT_TRUE(injector.ok());
  EXPECT_EQ((*injector)->Apply().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace faultdrill::injectors
