// End to end: the scenarios shipped in scenarios/ run here, against the
// embedded reference server, and give the verdicts they promise. (quickstart
// and golden-gate have their tests in e2e_test.cc and judgement_test.cc.)
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/command.h"
#include "injectors/weights_corruption.h"
#include "tests/common/processes.h"
#include "tests/e2e/cli_runner.h"
#include "tests/e2e/run_result_file.h"
#include "tests/common/ports.h"

namespace faultdrill::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

// Under AddressSanitizer the server is several times slower and its RSS grows
// by design (quarantine): latency and memory objectives are not judged there.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

std::vector<std::string> RunArgs(const std::string& scenario, const std::string& out,
                                 const std::vector<std::pair<std::string, std::string>>& sets = {}) {
  std::vector<std::string> args{"run", scenario, "--out", out, "-q"};
  for (const auto& [key, value] : sets) {
    args.push_back("--set");
    args.push_back(key + "=" + value);
  }
  return args;
}

TEST(ShippedScenarios, RegressionGatePassesEveryVerdictAgainstItsMasters) {
  TempDir dir;
  CommandResult run = RunFaultdrill(RunArgs("scenarios/regression-gate.yaml", dir.path()), 90s);
  RunResult result = ReadRunResult(dir.path());
  if (!kAddressSanitizer) {
    EXPECT_EQ(run.exit_code, 0) << run.output;
    EXPECT_EQ(result.outcome, Outcome::kPassed) << FailedVerdicts(result);
    ASSERT_TRUE(result.score.has_value());
    EXPECT_DOUBLE_EQ(result.score->score, 100.0);
  }
  for (const char* name : {"golden outputs match the masters in all", "no request fails",
                           "continuous: health probe", "no error lines in the server log",
                           "no abort condition held"}) {
    const Verdict* v = VerdictNamed(result, name);
    ASSERT_NE(v, nullptr) << name;
    EXPECT_TRUE(v->passed) << name << ": " << v->message;
  }
  for (const char* name : {"latency — p50_latency", "latency — p90_latency", "latency — p99_latency",
                           "keeps up with the load", "memory bounded"}) {
    EXPECT_NE(VerdictNamed(result, name), nullptr) << name;
  }
  const GoldenWindowResult* all = nullptr;
  for (const GoldenWindowResult& w : result.golden) {
    if (w.window == "all") all = &w;
  }
  ASSERT_NE(all, nullptr);
  EXPECT_GE(all->compared, 400u);  // 50/s for 10 s, every answer compared
  EXPECT_EQ(all->differing, 0u);
  EXPECT_EQ(all->without_master, 0u);
  EXPECT_TRUE(NoProcessMentions(dir.path()));
}

// The quarterly drill, its 80 s timeline pressed into 46 s with --set: every
// fault keeps its place in the sequence and its overlaps, and each group still
// ends 3 s before the next starts (recovery is measured up to the next fault,
// and a busy runner may spoil a second or two).
struct ShortFault {
  const char* name;    // checks that faults[i] is still this fault
  const char* at;
  const char* length;  // `for`, or process-kill's restart_after
};
constexpr ShortFault kShortDrill[] = {
    {"latency", "3s", "2s"},   {"hog", "4s", "2s"},        {"flaky", "9s", "2s"},
    {"lossy", "10s", "2s"},    {"thin-link", "15s", "2s"}, {"partition", "20s", "1s"},
    {"stall", "24s", "1s"},    {"kill", "28s", "1s"},      {"skewed-clock", "33s", "2s"},
    {"squeeze", "33s", "2s"},  {"full-disk", "34s", "2s"}, {"poison", "39s", "2s"},
    {"bad-weights", "40s", "2s"},
};
constexpr const char* kShortDrillLoad = "46s";

TEST(ShippedScenarios, QuarterlyDrillRunsEveryFaultKindInSequenceAndOverlapping) {
  std::vector<std::pair<std::string, std::string>> sets{{"load.duration", kShortDrillLoad}};
  for (size_t i = 0; i < std::size(kShortDrill); ++i) {
    const ShortFault& f = kShortDrill[i];
    sets.emplace_back("faults." + std::to_string(i) + ".at", f.at);
    sets.emplace_back("faults." + std::to_string(i) + (std::string(f.name) == "kill" ? ".restart_after" : ".for"),
                      f.length);
  }
  TempDir dir;
  CommandResult run = RunFaultdrill(RunArgs("scenarios/quarterly-drill.yaml", dir.path(), sets), 150s);
  RunResult result = ReadRunResult(dir.path());
  if (!kAddressSanitizer) {
    EXPECT_EQ(run.exit_code, 0) << run.output;
    EXPECT_EQ(result.outcome, Outcome::kPassed) << FailedVerdicts(result);
  }

  ASSERT_EQ(result.faults.size(), std::size(kShortDrill)) << "the scenario's faults changed: update kShortDrill";
  std::set<std::string> kinds;
  for (size_t i = 0; i < result.faults.size(); ++i) {
    const FaultRecord& fault = result.faults[i];
    ASSERT_EQ(fault.name, kShortDrill[i].name) << "the scenario's faults changed order: update kShortDrill";
    EXPECT_EQ(fault.state, "reverted") << fault.name << ": " << fault.error;
    kinds.insert(fault.kind);
  }
  EXPECT_EQ(kinds.size(), 13u) << "every kind that runs without a GPU, netem, a cluster or Docker";

  auto counter = [&](std::string_view fault, const char* name) -> int64_t {
    for (const FaultRecord& f : result.faults) {
      if (f.name == fault) return f.counters.contains(name) ? f.counters.at(name) : -1;
    }
    return -1;
  };
  EXPECT_GT(counter("flaky", "requests_affected"), 0);  // calls aborted
  EXPECT_EQ(counter("stall", "resumes"), 1);
  EXPECT_EQ(counter("kill", "restarts"), 1);
  EXPECT_GE(counter("skewed-clock", "skew_seconds"), 7000);  // +2h
  EXPECT_EQ(counter("squeeze", "bytes_held"), int64_t{256} << 20);
  EXPECT_EQ(counter("full-disk", "bytes_held"), int64_t{256} << 20);
  EXPECT_GT(counter("poison", "poisoned_sent"), 0);
  EXPECT_EQ(counter("bad-weights", "bits_flipped"), 64);
  EXPECT_GE(counter("bad-weights", "reloads"), 2);  // damaged, then restored
  EXPECT_FALSE(fs::exists("/var/tmp/faultdrill-disk-fill-full-disk")) << "disk-fill left its file";

  const WindowResult* partition = result.FindWindow("during(partition)");
  ASSERT_NE(partition, nullptr);
  EXPECT_GT(partition->errors, 0u) << "the partition cut the calls off";
  // The server kept its old weights while the file was damaged, and refused the poison.
  for (const char* name : {"golden outputs match the masters in before",
                           "golden outputs match the masters in during(bad-weights)", "poison-inputs poison",
                           "fault bad-weights applied and reverted", "no abort condition held"}) {
    const Verdict* v = VerdictNamed(result, name);
    ASSERT_NE(v, nullptr) << name;
    EXPECT_TRUE(v->passed) << name << ": " << v->message;
  }
  for (const char* name : {"recovers after every fault", "recovers after the partition", "recovers after the kill"}) {
    const Verdict* v = VerdictNamed(result, name);
    ASSERT_NE(v, nullptr) << name;
    if (!kAddressSanitizer) {
      EXPECT_TRUE(v->passed) << name << ": " << v->message;
    }
  }
  EXPECT_TRUE(NoProcessMentions(dir.path())) << "a helper outlived the drill";
}

// The masters shipped with golden-after-fix are the reference server's answers.
TEST(ShippedScenarios, GoldenAfterFixMastersMatchTheReferenceServer) {
  TempDir out;
  CommandResult compare =
      RunFaultdrill({"golden", "compare", "scenarios/golden-after-fix.yaml", "--out", out.path()}, 60s);
  EXPECT_EQ(compare.exit_code, 0) << compare.output;
  EXPECT_THAT(compare.output, HasSubstr(" 0 differ"));
}


// golden-after-fix's workflow, as its comments tell it, on the shipped file:
// the target becomes a reference server the test launches on weights it can
// change (checksums off), and the masters a file of the test's own.
class GoldenAfterFixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    models_ = dir_.File("models");
    auto generated = RunCommand({BinDir() + "/faultdrill-model-server", "generate-weights", "--out", models_}, 60s);
    ASSERT_TRUE(generated.ok()) << generated.status();
    ASSERT_EQ(generated->exit_code, 0) << generated->output;
    const std::string port = std::to_string(FreeLoopbackPort());
    sets_ = {
        {"target", "{endpoint: \"127.0.0.1:" + port + "\", model: classifier, launch: {command: [\"" + BinDir() +
                       "/faultdrill-model-server\", --port, \"" + port + "\", --models, \"" + models_ +
                       "\", --no-verify-checksums]}}"},
        {"golden.masters", "\"" + dir_.File("masters/golden-after-fix.golden.jsonl") + "\""},
    };
  }

  CommandResult Golden(const std::string& action, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"golden", action, "scenarios/golden-after-fix.yaml", "--out",
                                  dir_.File("work-" + action)};
    for (const auto& [key, value] : sets_) {
      args.push_back("--set");
      args.push_back(key + "=" + value);
    }
    args.insert(args.end(), extra.begin(), extra.end());
    return RunFaultdrill(args, 60s);
  }

  // The "fix" that changes the answers: the classifier's output layer scaled.
  void ScaleOutputLayer(double factor) {
    const std::string path = models_ + "/classifier.fdw";
    std::string bytes = ReadWholeFile(path);
    injectors::Corruption change;
    change.kind = injectors::Corruption::Kind::kScale;
    change.tensor = "w2";
    change.factor = factor;
    ASSERT_TRUE(injectors::Corrupt(bytes, change, 1).ok());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }

  TempDir dir_;
  std::string models_;
  std::vector<std::pair<std::string, std::string>> sets_;
};

TEST_F(GoldenAfterFixTest, RecordChangeCompareThenApproveTheIntendedChange) {
  // 1. Record the known-good build's answers. (That unchanged answers compare
  // clean is GoldenAfterFixMastersMatchTheReferenceServer.)
  CommandResult record = Golden("record");
  ASSERT_EQ(record.exit_code, 0) << record.output;
  ASSERT_TRUE(fs::exists(dir_.File("masters/golden-after-fix.golden.jsonl")));
  // 2-3. A fix that changes the answers fails the comparison, naming the
  // output, with the first elements side by side.
  ScaleOutputLayer(3.0);
  CommandResult changed = Golden("compare");
  EXPECT_EQ(changed.exit_code, 1) << changed.output;
  EXPECT_THAT(changed.output, HasSubstr("PROBABILITIES"));
  EXPECT_THAT(changed.output, HasSubstr("expected"));
  // 4. The change is intended: approve --yes replaces the masters, and the
  // changed build now compares clean.
  CommandResult approved = Golden("approve", {"--yes"});
  EXPECT_EQ(approved.exit_code, 0) << approved.output;
  CommandResult after = Golden("compare");
  EXPECT_EQ(after.exit_code, 0) << after.output;
  EXPECT_THAT(after.output, HasSubstr(" 0 differ"));
}

}  // namespace
}  // namespace faultdrill::testing
