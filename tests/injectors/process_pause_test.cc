#include "injectors/process_pause.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

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

}  // namespace
}  // namespace faultdrill::injectors
