#include "injectors/process_pause.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <thread>

#include "injectors/launched_process.h"
#include "injectors/undo.h"
#include "tests/common/files.h"
#include "tests/common/processes.h"
#include "tests/injectors/fake_target_process.h"
#include "tests/injectors/scenario_fixture.h"

namespace faultdrill::injectors {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ProcessPauseTest : public ::faultdrill::testing::InjectorTest {
 protected:
  ProcessPauseTest() : InjectorTest(&ProcessPauseInjector::Create) {}
};

TEST_F(ProcessPauseTest, NeedsForWithItsLocation) {
  auto injector = Create("{kind: process-pause, at: 1s}");
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(injector.status().message(), HasSubstr("'for'"));
}

TEST_F(ProcessPauseTest, StopsThenContinues) {
  auto injector = Create("{kind: process-pause, at: 1s, for: 1s}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  EXPECT_EQ((*injector)->ActiveFor(), std::chrono::seconds(1));
  targets_.set_launched(&process_);
  ASSERT_TRUE((*injector)->Apply().ok());
  ASSERT_TRUE((*injector)->Revert().ok());
  ASSERT_TRUE((*injector)->Revert().ok());
  EXPECT_THAT(process_.signals, ElementsAre(SIGSTOP, SIGCONT));
  EXPECT_EQ((*injector)->Counters().at("pauses"), 1);
  EXPECT_EQ((*injector)->Counters().at("resumes"), 1);
}

TEST_F(ProcessPauseTest, RejectsKindSpecificKeysItDoesNotHave) {
  auto injector = Create("{kind: process-pause, at: 1s, for: 1s, signal: SIGSTOP}");
  EXPECT_THAT(injector.status().message(), HasSubstr("signal"));
}

// The state letter in /proc/PID/stat: 'T' while stopped.
TEST_F(ProcessPauseTest, JournalsTheContinueBeforeStoppingTheLaunchedTarget) {
  auto injector = Create("{kind: process-pause, at: 1s, for: 1s}");
  ASSERT_TRUE(injector.ok());
  targets_.set_launched(&process_);
  ASSERT_TRUE((*injector)->Apply().ok());
  const auto records = run_.journal().Records();
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back().undo.action, "continue-process");
  EXPECT_EQ(records.back().undo.args["pid"], 4242);
}

TEST_F(ProcessPauseTest, PausesAndResumesAnExplicitPid) {
  auto sleeper = LaunchedProcess::Start({.command = {"sleep", "30"}});
  ASSERT_TRUE(sleeper.ok());
  const pid_t pid = (*sleeper)->pid();
  auto injector = Create("{kind: process-pause, at: 1s, for: 1s, pid: " + std::to_string(pid) + "}", false);
  ASSERT_TRUE(injector.ok()) << injector.status();
  EXPECT_THAT((*injector)->Describe(), HasSubstr("SIGSTOP pid " + std::to_string(pid)));
  ASSERT_TRUE((*injector)->Apply().ok());
  EXPECT_EQ(testing::SettledProcessState(pid, 'T'), 'T');
  const auto records = run_.journal().Records();
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back().undo.action, "continue-process");
  EXPECT_EQ(records.back().undo.args["pid"], pid);
  EXPECT_EQ(records.back().undo.args["start_time"], ProcessStartTime(pid));
  // What `recover` would run resumes it too.
  ASSERT_TRUE(RunUndo(records.back().undo).ok());
  EXPECT_EQ(testing::SettledProcessState(pid, 'S'), 'S');
  ASSERT_TRUE((*sleeper)->Signal(SIGSTOP).ok());
  ASSERT_EQ(testing::SettledProcessState(pid, 'T'), 'T');
  ASSERT_TRUE((*injector)->Revert().ok());
  EXPECT_EQ(testing::SettledProcessState(pid, 'S'), 'S');
  EXPECT_EQ((*injector)->Counters().at("resumes"), 1);
}

TEST_F(ProcessPauseTest, AnExplicitProcessThatIsGoneIsAClearError) {
  testing::TempDir dir;
  std::ofstream(dir.File("gone.pid")) << "999999999\n";
  auto injector = Create("{kind: process-pause, at: 1s, for: 1s, pid_file: \"" + dir.File("gone.pid") + "\"}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  absl::Status status = (*injector)->Apply();
  EXPECT_THAT(status.message(), HasSubstr("pid file"));
}

}  // namespace
}  // namespace faultdrill::injectors
