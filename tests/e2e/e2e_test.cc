// End to end: the faultdrill binary on real scenarios, against the real
// reference server it starts itself.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <thread>

#include "nlohmann/json.hpp"
#include "tests/e2e/cli_runner.h"

namespace faultdrill::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

nlohmann::json ReadJson(const std::string& path) {
  return nlohmann::json::parse(ReadWholeFile(path), nullptr, /*allow_exceptions=*/false);
}

const nlohmann::json* FindVerdict(const nlohmann::json& result, const std::string& metric) {
  for (const auto& verdict : result["verdicts"]) {
    if (verdict["metric"] == metric) return &verdict;
  }
  return nullptr;
}

const nlohmann::json* FindWindow(const nlohmann::json& result, const std::string& name) {
  for (const auto& window : result["windows"]) {
    if (window["name"] == name) return &window;
  }
  return nullptr;
}

// No process is left whose command line mentions `text` (e.g. a run's folder).
bool NoProcessMentions(const std::string& text) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::string cmdline = ReadWholeFile((entry.path() / "cmdline").string());
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(text) != std::string::npos) return false;
  }
  return true;
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
  nlohmann::json result = ReadJson(out + "/result.json");
  EXPECT_EQ(result["outcome"], "passed");
  EXPECT_EQ(result["faults"][0]["state"], "reverted");
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
  EXPECT_EQ(ReadJson(out + "/result.json")["outcome"], "failed");
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

TEST(EndToEnd, UsageErrorsExitTwo) {
  EXPECT_EQ(RunFaultdrill({"frobnicate"}, 30s).exit_code, 2);
  EXPECT_EQ(RunFaultdrill({"run", "no/such/file.yaml"}, 30s).exit_code, 2);
}

TEST(EndToEnd, KillWithRestartYieldsAMeasuredRecoveryTime) {
  TempDir dir;
  const std::string& out = dir.path();
  CommandResult run = RunFaultdrill({"run", "tests/e2e/scenarios/kill-restart.yaml", "--out", out, "-q"}, 60s);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  nlohmann::json result = ReadJson(out + "/result.json");
  const nlohmann::json* recovery = FindVerdict(result, "recovery_time");
  ASSERT_NE(recovery, nullptr) << result.dump(2);
  ASSERT_TRUE(recovery->contains("measured")) << recovery->dump();
  EXPECT_GE((*recovery)["measured"].get<double>(), 0.0);
  EXPECT_LE((*recovery)["measured"].get<double>(), 3.0);
  const nlohmann::json& fault = result["faults"][0];
  EXPECT_EQ(fault["counters"]["signals_sent"], 1);
  EXPECT_EQ(fault["counters"]["restarts"], 1);
  // The kill shows as errors while the server is down.
  const nlohmann::json* during = FindWindow(result, "during(kill)");
  ASSERT_NE(during, nullptr);
  EXPECT_GT((*during)["errors"].get<uint64_t>(), 0u);
}

TEST(EndToEnd, APauseOfOneSecondShowsInTheCorrectedP99) {
  TempDir dir;
  const std::string& out = dir.path();
  CommandResult run = RunFaultdrill({"run", "tests/e2e/scenarios/pause.yaml", "--out", out, "-q"}, 60s);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  nlohmann::json result = ReadJson(out + "/result.json");
  const nlohmann::json* all = FindWindow(result, "all");
  ASSERT_NE(all, nullptr);
  EXPECT_GE((*all)["latency"]["p99_ms"].get<double>(), 900.0) << all->dump(2);
  EXPECT_LE((*all)["service_time"]["p99_ms"].get<double>(), (*all)["latency"]["p99_ms"].get<double>());
  EXPECT_EQ(result["faults"][0]["counters"]["resumes"], 1);
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
  nlohmann::json result = ReadJson(out + "/result.json");
  EXPECT_EQ(result["outcome"], "aborted");
  EXPECT_EQ(result["faults"][0]["state"], "reverted");
  EXPECT_EQ(result["faults"][0]["counters"]["resumes"], 1);
  EXPECT_THAT(ReadWholeFile(out + "/junit.xml"), HasSubstr("<error"));
  EXPECT_TRUE(NoProcessMentions(out)) << "the target outlived faultdrill";
}

}  // namespace
}  // namespace faultdrill::testing
