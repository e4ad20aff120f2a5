// End to end: the faultdrill binary on real scenarios, against the real
// reference server it starts itself.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <thread>

#include "core/run_result.h"
#include "reports/json_report.h"
#include "tests/common/processes.h"
#include "tests/e2e/cli_runner.h"
#include "tests/e2e/run_result_file.h"

namespace faultdrill::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

const Verdict* FindVerdict(const RunResult& result, const std::string& metric) {
  for (const Verdict& verdict : result.verdicts) {
    if (verdict.metric == metric) return &verdict;
  }
  return nullptr;
}

TEST(EndToEnd, QuickstartPassesAndWritesThreeReports) {
  TempDir dir;
  const std::string& out = dir.path();
  CommandResult run = RunFaultdrill({"run", "scenarios/quickstart.yaml", "--out", out}, 120s);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("PASSED"));
  for (const char* file : {"result.json", "junit.xml", "report.html"}) {
    EXPECT_TRUE(fs::exists(fs::path(out) / file)) << file;
  }
  RunResult result = ReadRunResult(out);
  EXPECT_EQ(result.outcome, Outcome::kPassed);
  ASSERT_EQ(result.faults.size(), 1u);
  EXPECT_EQ(result.faults[0].state, "reverted");
  // The verdicts the scenario promises are all there (and passed, as the outcome says).
  for (const char* name : {"fast before the fault — p99_latency", "fast before the fault — error_rate",
                           "recovers after the kill", "serves after the restart", "errors overall",
                           "fault kill-server applied and reverted", "before: health probe", "after: health probe"}) {
    const Verdict* verdict = VerdictNamed(result, name);
    ASSERT_NE(verdict, nullptr) << name;
    EXPECT_TRUE(verdict->passed) << name << ": " << verdict->message;
  }
  // Failed calls are not latency: while the server is down its calls fail,
  // and they are counted apart from the successful calls' latency.
  const WindowResult* kill = result.FindWindow("during(kill-server)");
  ASSERT_NE(kill, nullptr);
  EXPECT_GT(kill->errors, 0u);
  EXPECT_EQ(kill->failed_latency.count, kill->errors);
  EXPECT_EQ(kill->ok_latency.count, kill->ok);
  for (const WindowResult& w : result.windows) {
    EXPECT_EQ(w.ok_latency.count + w.failed_latency.count, w.latency.count) << w.name;
  }
  for (const SecondSample& s : result.series) {
    if (s.ok() == 0) {
      EXPECT_EQ(s.ok_latency.p99_ms, 0) << "second " << s.second;
    }
  }
  EXPECT_THAT(ReadWholeFile(out + "/junit.xml"), HasSubstr("<testsuites"));
  EXPECT_TRUE(NoProcessMentions(out));
}

TEST(EndToEnd, AnSloThatCannotHoldExitsOneAndFailsInJunit) {
  TempDir dir;
  const std::string& out = dir.path();
  CommandResult run = RunFaultdrill({"run", "tests/e2e/scenarios/impossible-slo.yaml", "--out", out, "-q"}, 60s);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  std::string junit = ReadWholeFile(out + "/junit.xml");
  EXPECT_THAT(junit, HasSubstr("<failure"));
  EXPECT_THAT(junit, HasSubstr("answers in a microsecond &lt;&amp;&gt;"));
  EXPECT_EQ(ReadRunResult(out).outcome, Outcome::kFailed);
}

TEST(EndToEnd, AnInvalidScenarioExitsTwoNamingLineAndColumn) {
  CommandResult run = RunFaultdrill({"run", "tests/e2e/scenarios/invalid.yaml"}, 30s);
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_THAT(run.output, HasSubstr("tests/e2e/scenarios/invalid.yaml:5:"));
}

TEST(EndToEnd, ValidateAcceptsGoodScenariosAndRejectsBadOnes) {
  CommandResult good = RunFaultdrill({"validate", "scenarios/quickstart.yaml", "tests/e2e/scenarios/pause.yaml"}, 30s);
  EXPECT_EQ(good.exit_code, 0) << good.output;
  EXPECT_THAT(good.output, HasSubstr("ok"));
  CommandResult bad = RunFaultdrill({"validate", "scenarios/quickstart.yaml", "tests/e2e/scenarios/invalid.yaml"}, 30s);
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_THAT(bad.output, HasSubstr("invalid.yaml:5:"));
}

TEST(EndToEnd, PlanShowsTheTimelineWithoutRunningAnything) {
  CommandResult plan = RunFaultdrill({"plan", "scenarios/quickstart.yaml"}, 30s);
  EXPECT_EQ(plan.exit_code, 0) << plan.output;
  EXPECT_THAT(plan.output, HasSubstr("+8s  apply  kill-server (process-kill)"));
  EXPECT_THAT(plan.output, HasSubstr("during(kill-server)"));
}

TEST(EndToEnd, SetOverridesAScenarioValue) {
  CommandResult plan = RunFaultdrill({"plan", "scenarios/quickstart.yaml", "--set", "faults.0.at=3s"}, 30s);
  EXPECT_EQ(plan.exit_code, 0) << plan.output;
  EXPECT_THAT(plan.output, HasSubstr("+3s  apply  kill-server"));
  CommandResult bad = RunFaultdrill({"plan", "scenarios/quickstart.yaml", "--set", "nonsense"}, 30s);
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
}

TEST(EndToEnd, ARunRefusesToStartWhileAFaultsNeedIsMissing) {
  CommandResult plan = RunFaultdrill({"plan", "tests/e2e/scenarios/missing-needs.yaml"}, 30s);
  EXPECT_EQ(plan.exit_code, 0) << plan.output;
  EXPECT_THAT(plan.output, HasSubstr("needs    kernel module sch_netem"));
  EXPECT_THAT(plan.output, HasSubstr("touches  interface lo (root qdisc)"));
  if (plan.output.find("MISSING") == std::string::npos) {
    GTEST_SKIP() << "this machine has sch_netem and a GPU: nothing is missing";
  }
  EXPECT_THAT(plan.output, HasSubstr("this machine lacks:"));
  TempDir dir;
  CommandResult run = RunFaultdrill({"run", "tests/e2e/scenarios/missing-needs.yaml", "--out", dir.path(), "-q"}, 30s);
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_THAT(run.output, HasSubstr("this machine lacks what the faults need"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/models")) << "nothing should have started";
  EXPECT_EQ(ReadRunResult(dir.path()).outcome, Outcome::kError);
}

TEST(EndToEnd, RecoverWithNothingToDoSaysSo) {
  TempDir dir;
  CommandResult run = RunFaultdrill({"run", "tests/e2e/scenarios/pause.yaml", "--out", dir.path(), "-q",
                                     "--set", "load.duration=3s", "--set", "load.rate=50/s"},
                                    60s);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  CommandResult recover = RunFaultdrill({"recover", "--journal", dir.path() + "/journal"}, 30s);
  EXPECT_EQ(recover.exit_code, 0) << recover.output;
  EXPECT_THAT(recover.output, HasSubstr("nothing to undo"));
  CommandResult missing = RunFaultdrill({"recover", "--journal", dir.path() + "/no-such-journal"}, 30s);
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_THAT(missing.output, HasSubstr("no journal at"));
}

TEST(EndToEnd, UsageErrorsExitTwo) {
  EXPECT_EQ(RunFaultdrill({"frobnicate"}, 30s).exit_code, 2);
  EXPECT_EQ(RunFaultdrill({"run", "no/such/file.yaml"}, 30s).exit_code, 2);
}

TEST(EndToEnd, KillWithRestartYieldsAMeasuredRecoveryTime) {
  TempDir dir;
  const std::string& out = dir.path();
  CommandResult run = RunFaultdrill({"run", "tests/e2e/scenarios/kill-restart.yaml", "--out", out, "-q"}, 60s);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  RunResult result = ReadRunResult(out);
  const Verdict* recovery = FindVerdict(result, "recovery_time");
  ASSERT_NE(recovery, nullptr);
  ASSERT_TRUE(recovery->measured.has_value()) << recovery->message;
  // Counted from the restart (the fault's end): the restarted server serves
  // again within the SLO. How fast is the machine's business, not the test's.
  EXPECT_GE(*recovery->measured, 0.0);
  EXPECT_TRUE(recovery->passed) << recovery->message;
  ASSERT_EQ(result.faults.size(), 1u);
  EXPECT_EQ(result.faults[0].counters["signals_sent"], 1);
  EXPECT_EQ(result.faults[0].counters["restarts"], 1);
  // The kill shows as errors while the server is down.
  const WindowResult* during = result.FindWindow("during(kill)");
  ASSERT_NE(during, nullptr);
  EXPECT_GT(during->errors, 0u);
}

TEST(EndToEnd, APauseOfOneSecondShowsInTheCorrectedP99) {
  TempDir dir;
  const std::string& out = dir.path();
  CommandResult run = RunFaultdrill({"run", "tests/e2e/scenarios/pause.yaml", "--out", out, "-q"}, 60s);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  RunResult result = ReadRunResult(out);
  const WindowResult* all = result.FindWindow("all");
  ASSERT_NE(all, nullptr);
  EXPECT_GE(all->latency.p99_ms, 900.0);
  EXPECT_LE(all->service_time.p99_ms, all->latency.p99_ms);
  ASSERT_EQ(result.faults.size(), 1u);
  EXPECT_EQ(result.faults[0].counters["resumes"], 1);
}

TEST(EndToEnd, SigtermDuringARunRevertsTheFaultWritesReportsAndExitsFour) {
  TempDir dir;
  const std::string& out = dir.path();
  CommandResult run = RunFaultdrill(
      {"run", "tests/e2e/scenarios/long-pause.yaml", "--out", out}, 60s,
      [](injectors::LaunchedProcess& faultdrill, const std::string& log) {
        // The first progress line (5 s into the load) shows the pause active.
        for (int i = 0; i < 300 && ReadWholeFile(log).find("active: long-pause") == std::string::npos; ++i) {
          std::this_thread::sleep_for(100ms);
        }
        (void)faultdrill.Signal(SIGTERM);
      });
  EXPECT_EQ(run.exit_code, 4) << run.output;
  RunResult result = ReadRunResult(out);
  EXPECT_EQ(result.outcome, Outcome::kAborted);
  ASSERT_EQ(result.faults.size(), 1u);
  EXPECT_EQ(result.faults[0].state, "reverted");
  EXPECT_EQ(result.faults[0].counters["resumes"], 1);
  EXPECT_THAT(ReadWholeFile(out + "/junit.xml"), HasSubstr("<error"));
  EXPECT_TRUE(NoProcessMentions(out)) << "the target outlived faultdrill";
}

}  // namespace
}  // namespace faultdrill::testing
