#include "injectors/cpu_hog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "injectors/undo.h"
#include "tests/injectors/hog_fixture.h"
#include "tests/injectors/scenario_fixture.h"

namespace faultdrill::injectors {
namespace {

using namespace std::chrono_literals;
using ::faultdrill::testing::CpuTicks;
using ::faultdrill::testing::ProcessGone;
using ::faultdrill::testing::WaitUntil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class CpuHogTest : public ::faultdrill::testing::InjectorTest {
 protected:
  CpuHogTest() : InjectorTest(&CpuHogInjector::Create) {}

  // The pid of the helper, from the undo step Apply journaled.
  pid_t HelperPid() const {
    for (const JournalRecord& record : run_.journal().Records()) {
      if (record.undo.action == "stop-process") return record.undo.args["pid"].get<pid_t>();
    }
    return 0;
  }
};

TEST_F(CpuHogTest, DefaultsToOneThreadPerCore) {
  auto injector = Create("{kind: cpu-hog, at: 1s, for: 2s}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  EXPECT_THAT((*injector)->Describe(), HasSubstr("every core"));
  EXPECT_EQ((*injector)->ActiveFor(), std::chrono::seconds(2));
}

TEST_F(CpuHogTest, TouchesTheCpuWithItsThreads) {
  auto injector = Create("{kind: cpu-hog, at: 1s, threads: 2}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  EXPECT_THAT((*injector)->Touches(), ElementsAre("CPU: 2 busy threads (helper process faultdrill-hog)"));
}

TEST_F(CpuHogTest, RejectsZeroThreadsWithItsLocation) {
  auto injector = Create("{kind: cpu-hog, at: 1s, threads: 0}");
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(injector.status().message(), HasSubstr("threads"));
}

TEST_F(CpuHogTest, RejectsUnknownKeys) {
  auto injector = Create("{kind: cpu-hog, at: 1s, thread: 2}");
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(injector.status().message(), HasSubstr("thread"));
}

TEST_F(CpuHogTest, NeedsTheHelperBinary) {
  auto injector = Create("{kind: cpu-hog, at: 1s, threads: 1}");
  ASSERT_TRUE(injector.ok());
  auto needs = (*injector)->Needs();
  ASSERT_EQ(needs.size(), 1u);
  EXPECT_TRUE(needs[0].status.ok()) << needs[0].status;
}

TEST_F(CpuHogTest, RevertWithoutApplyTouchesNothing) {
  auto injector = Create("{kind: cpu-hog, at: 1s, threads: 1}");
  ASSERT_TRUE(injector.ok());
  EXPECT_TRUE((*injector)->Revert().ok());
  EXPECT_TRUE(run_.journal().Records().empty());
}

// The real thing: a helper that burns CPU until reverted.
TEST_F(CpuHogTest, HelperBurnsCpuUntilReverted) {
  auto injector = Create("{kind: cpu-hog, at: 1s, threads: 1}");
  ASSERT_TRUE(injector.ok());
  ASSERT_TRUE((*injector)->Apply().ok());
  const pid_t pid = HelperPid();
  ASSERT_GT(pid, 0);
  // 10 ticks (100 ms at 100 Hz) of CPU time, on a machine others share too.
  EXPECT_TRUE(WaitUntil([&] { return CpuTicks(pid) >= 10; }, 1500ms)) << CpuTicks(pid) << " ticks";
  EXPECT_EQ((*injector)->Counters().at("threads"), 1);
  ASSERT_TRUE((*injector)->Revert().ok());
  EXPECT_TRUE(ProcessGone(pid));
  EXPECT_TRUE((*injector)->Revert().ok());  // idempotent
}

// `faultdrill recover` runs the journaled undo step: the helper ends.
TEST_F(CpuHogTest, JournaledUndoStopsTheHelper) {
  auto injector = Create("{kind: cpu-hog, at: 1s, threads: 1}");
  ASSERT_TRUE(injector.ok());
  ASSERT_TRUE((*injector)->Apply().ok());
  std::vector<JournalRecord> records = run_.journal().Records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].kind, "cpu-hog");
  EXPECT_THAT(records[0].undo.args["marker"].get<std::string>(), HasSubstr("faultdrill-hog/"));
  ASSERT_TRUE(RunUndo(records[0].undo).ok());
  EXPECT_TRUE(WaitUntil([&] { return ProcessGone(HelperPid()); }, 2s));
  EXPECT_TRUE((*injector)->Revert().ok());
}

}  // namespace
}  // namespace faultdrill::injectors
