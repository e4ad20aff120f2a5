// End to end: judgement. Abort conditions, the steady-state gate before the
// first fault, golden masters recorded from and compared against the real
// reference server, and shadow traffic to a second server.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/run_result.h"
#include "injectors/weights_corruption.h"
#include "reports/json_report.h"
#include "tests/e2e/cli_runner.h"
#include "tests/e2e/run_result_file.h"
#include "tests/common/ports.h"

namespace faultdrill::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace std::chrono_literals;


TEST(Judgement, AnAbortConditionStopsTheDrillWithinOneSamplingInterval) {
  TempDir dir;
  CommandResult run = RunFaultdrill({"run", "tests/e2e/scenarios/abort-on-errors.yaml", "--out", dir.path(), "-q"}, 60s);
  EXPECT_EQ(run.exit_code, 4) << run.output;
  RunResult result = ReadRunResult(dir.path());
  EXPECT_EQ(result.outcome, Outcome::kAborted);
  EXPECT_THAT(result.abort_reason, HasSubstr("abort_when error_rate > 50%"));
  EXPECT_THAT(result.abort_reason, HasSubstr("every active fault was reverted"));
  ASSERT_EQ(result.faults.size(), 1u);
  ASSERT_TRUE(result.faults[0].applied_at_s.has_value());
  // The kill at 2s fails every request from then on; the load is judged every
  // second, so the drill stops within one interval (plus the deadline for the
  // first failures to arrive, and scheduling slack).
  const double stopped_after_kill = result.duration_s - *result.faults[0].applied_at_s;
  EXPECT_GT(stopped_after_kill, 0.0);
  EXPECT_LE(stopped_after_kill, 1.0 + 0.5 + 0.5) << result.abort_reason;
  EXPECT_LT(result.duration_s, 6.0);
}

TEST(Judgement, ASteadyStateThatDoesNotHoldInjectsNothingAndExitsOne) {
  TempDir dir;
  CommandResult run =
      RunFaultdrill({"run", "tests/e2e/scenarios/steady-state-fails.yaml", "--out", dir.path(), "-q"}, 60s);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  RunResult result = ReadRunResult(dir.path());
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_THAT(result.abort_reason, HasSubstr("the steady state did not hold before the first fault"));
  EXPECT_THAT(result.abort_reason, HasSubstr("answers in a microsecond"));
  ASSERT_EQ(result.faults.size(), 1u);
  EXPECT_EQ(result.faults[0].state, "pending");  // never applied
  EXPECT_FALSE(result.faults[0].applied_at_s.has_value());
  EXPECT_LT(result.duration_s, 4.0);  // stopped at the first fault's time (2s), not at 10s
  const Verdict* probe = VerdictNamed(result, "before: health probe");
  ASSERT_NE(probe, nullptr);
  EXPECT_TRUE(probe->passed) << probe->message;
  ASSERT_TRUE(result.score.has_value());
  EXPECT_LT(result.score->score, 100.0);
}

TEST(Judgement, ShadowTrafficToAnIdenticalCandidateAgrees) {
  TempDir dir;
  CommandResult run = RunFaultdrill({"run", "tests/e2e/scenarios/shadow.yaml", "--out", dir.path(), "-q"}, 60s);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  RunResult result = ReadRunResult(dir.path());
  const Verdict* agree = VerdictNamed(result, "shadow: candidate answers like the primary");
  ASSERT_NE(agree, nullptr);
  EXPECT_TRUE(agree->passed) << agree->message;
  ASSERT_FALSE(result.golden.empty());
  const GoldenWindowResult& all = result.golden.front();
  EXPECT_EQ(all.against, "primary");
  EXPECT_GT(all.compared, 100u);
  EXPECT_EQ(all.differing, 0u);
  EXPECT_NE(VerdictNamed(result, "shadow: candidate p99 latency"), nullptr);
  EXPECT_NE(VerdictNamed(result, "shadow: candidate error rate"), nullptr);
}

// Under AddressSanitizer the server's RSS grows by design (ASan keeps freed
// memory in quarantine), so the leak check is not judged there.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

TEST(Judgement, TheShippedGoldenGatePassesWithItsProbesAsSeries) {
  TempDir dir;
  CommandResult run = RunFaultdrill({"run", "scenarios/golden-gate.yaml", "--out", dir.path(), "-q"}, 60s);
  if (!kAddressSanitizer) EXPECT_EQ(run.exit_code, 0) << run.output;
  RunResult result = ReadRunResult(dir.path());
  auto points = [&](const std::string& probe, const std::string& value) -> size_t {
    for (const ProbeSeries& s : result.probes) {
      if (s.probe == probe && s.value == value) return s.points.size();
    }
    return 0;
  };
  EXPECT_GE(points("server", "rss_bytes"), 20u);  // every 250ms for 8s
  EXPECT_GE(points("server", "healthy"), 20u);
  EXPECT_GE(points("metrics", "queue_depth"), 10u);
  EXPECT_GE(points("metrics", "requests_per_s"), 10u);
  for (const char* name : {"golden outputs match the masters", "server leak", "continuous: health probe",
                           "queue stays short", "memory bounded", "no abort condition held"}) {
    const Verdict* v = VerdictNamed(result, name);
    ASSERT_NE(v, nullptr) << name;
    if (kAddressSanitizer && std::string_view(name) == "server leak") continue;
    EXPECT_TRUE(v->passed) << v->message;
  }
  ASSERT_FALSE(result.golden.empty());
  EXPECT_EQ(result.golden.front().differing, 0u);
  EXPECT_GT(result.golden.front().compared, 500u);
  ASSERT_TRUE(result.score.has_value());
  if (!kAddressSanitizer) EXPECT_DOUBLE_EQ(result.score->score, 100.0);
}

// A scenario against a server the test launches through the scenario, with
// its own weights folder and checksums off, so the test can change weights.
class GoldenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    models_ = dir_.File("models");
    CommandResult generated =
        RunCommandLine({BinDir() + "/faultdrill-model-server", "generate-weights", "--out", models_});
    ASSERT_EQ(generated.exit_code, 0) << generated.output;
    const int port = FreeLoopbackPort();
    scenario_ = dir_.File("golden.yaml");
    std::ofstream(scenario_) << "name: e2e-golden\n"
                             << "target:\n  endpoint: 127.0.0.1:" << port << "\n  model: classifier\n"
                             << "  launch:\n    command: [" << BinDir() << "/faultdrill-model-server, --port, \""
                             << port << "\", --models, " << models_ << ", --no-verify-checksums]\n"
                             << "load: {generator: {model: classifier}, rate: 100/s, duration: 6s, deadline: 1s}\n"
                             << "golden:\n  masters: masters/classifier.golden.jsonl\n"
                             << "  tolerance: {abs: 1e-6, rel: 1e-5}\n"
                             << "  outputs: {PROBABILITIES: {abs: 1e-6, argmax: true}}\n"
                             << extra_;
  }

  static CommandResult RunCommandLine(const std::vector<std::string>& argv) {
    TempDir log_dir;
    auto process = injectors::LaunchedProcess::Start({.command = argv, .env = {}, .log_file = log_dir.File("log")});
    CommandResult result;
    if (!process.ok() || !(*process)->WaitForExit(std::chrono::seconds(60)).ok()) return result;
    int status = (*process)->last_exit_status();
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.output = ReadWholeFile(log_dir.File("log"));
    return result;
  }

  // Multiplies the classifier's output layer, as a bad fix would.
  void ScaleOutputLayer(double factor) {
    const std::string path = models_ + "/classifier.fdw";
    std::string bytes = ReadWholeFile(path);
    injectors::Corruption corruption;
    corruption.kind = injectors::Corruption::Kind::kScale;
    corruption.tensor = "w2";
    corruption.factor = factor;
    ASSERT_TRUE(injectors::Corrupt(bytes, corruption, 1).ok());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }

  CommandResult Golden(const std::string& action, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"golden", action, scenario_, "--out", dir_.File("work-" + action)};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunFaultdrill(args, 60s);
  }

  TempDir dir_;
  std::string models_;
  std::string scenario_;
  std::string extra_;
};

TEST_F(GoldenTest, RecordCompareAndApproveLocateChangedWeights) {
  CommandResult record = Golden("record");
  ASSERT_EQ(record.exit_code, 0) << record.output;
  EXPECT_THAT(record.output, HasSubstr("recorded"));
  EXPECT_TRUE(fs::exists(dir_.File("masters/classifier.golden.jsonl")));

  CommandResult same = Golden("compare");
  EXPECT_EQ(same.exit_code, 0) << same.output;
  EXPECT_THAT(same.output, HasSubstr(" 0 differ"));

  CommandResult again = Golden("record");
  EXPECT_EQ(again.exit_code, 2) << again.output;  // approve replaces masters, not record
  EXPECT_THAT(again.output, HasSubstr("golden approve"));

  ScaleOutputLayer(3.0);
  CommandResult changed = Golden("compare");
  EXPECT_EQ(changed.exit_code, 1) << changed.output;
  EXPECT_THAT(changed.output, HasSubstr("PROBABILITIES"));
  EXPECT_THAT(changed.output, HasSubstr("expected"));  // the side-by-side table
  EXPECT_THAT(changed.output, HasSubstr("golden: FAILED"));

  CommandResult pending = Golden("approve");
  EXPECT_EQ(pending.exit_code, 1) << pending.output;
  EXPECT_THAT(pending.output, HasSubstr("--yes"));
  CommandResult approved = Golden("approve", {"--yes"});
  EXPECT_EQ(approved.exit_code, 0) << approved.output;
  CommandResult after = Golden("compare");
  EXPECT_EQ(after.exit_code, 0) << after.output;
}

class GoldenDrillTest : public GoldenTest {
 protected:
  void SetUp() override {
    extra_ =
        "  windows: [before, during(corrupt)]\n"
        "faults:\n"
        "  - {kind: corrupt-weights, name: corrupt, at: 2s, for: 2s, file: models/classifier.fdw,\n"
        "     scale: {tensor: w2, factor: 3}, reload: sighup}\n";
    GoldenTest::SetUp();
    // The fault's file is relative to the scenario's folder.
  }
};

TEST_F(GoldenDrillTest, WindowsJudgeOutputsDuringAFaultApart) {
  ASSERT_EQ(Golden("record").exit_code, 0);
  const std::string out = dir_.File("run");
  CommandResult run = RunFaultdrill({"run", scenario_, "--out", out, "-q"}, 90s);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  RunResult result = ReadRunResult(out);
  const Verdict* before = nullptr;
  const Verdict* during = nullptr;
  for (const Verdict& v : result.verdicts) {
    if (v.group != "golden") continue;
    if (v.window == "before") before = &v;
    if (v.window == "during(corrupt)") during = &v;
  }
  ASSERT_NE(before, nullptr);
  ASSERT_NE(during, nullptr);
  EXPECT_TRUE(before->passed) << before->message;
  EXPECT_FALSE(during->passed) << during->message;
  for (const GoldenWindowResult& w : result.golden) {
    if (w.window != "during(corrupt)") continue;
    EXPECT_GT(w.differing, 0u);
    ASSERT_FALSE(w.first_differences.empty());
    EXPECT_EQ(w.first_differences[0].output, "PROBABILITIES");
    EXPECT_FALSE(w.first_differences[0].side_by_side.empty());
  }
  ASSERT_EQ(result.faults.size(), 1u);
  EXPECT_EQ(result.faults[0].state, "reverted");
}

}  // namespace
}  // namespace faultdrill::testing
