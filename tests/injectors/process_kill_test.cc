#include "injectors/process_kill.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

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

TEST_F(ProcessKillTest, ApplyFailsWithoutALaunchedTarget) {
  auto injector = Create("{kind: process-kill, at: 1s}");
  ASSERT_TRUE(injector.ok());
  EXPECT_EQ((*injector)->Apply().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace faultdrill::injectors
