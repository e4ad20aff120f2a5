// Crash safety end to end: a drill with every fault kind this machine can run
// active at once; faultdrill is killed with SIGKILL at several points; then
// `faultdrill recover` must leave nothing behind, and a second recover must
// find nothing to do.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "core/journal.h"
#include "injectors/command.h"
#include "injectors/undo.h"
#include "tests/common/processes.h"
#include "tests/e2e/cli_runner.h"

namespace faultdrill::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

// A network namespace of the test's own, with lo up; empty name when this
// machine cannot make one.
class NetworkNamespace {
 public:
  NetworkNamespace() {
    std::string name = "fdcrash-" + std::to_string(::getpid());
    auto added = injectors::RunCommand({"ip", "netns", "add", name});
    if (!added.ok() || added->exit_code != 0) return;
    name_ = name;
    (void)injectors::RunCommand({"ip", "-n", name_, "link", "set", "lo", "up"});
  }
  ~NetworkNamespace() {
    if (!name_.empty()) (void)injectors::RunCommand({"ip", "netns", "del", name_});
  }
  const std::string& name() const { return name_; }
  std::string RootQdisc() const {
    auto shown = injectors::RunCommand({"tc", "-n", name_, "qdisc", "show", "dev", "lo"});
    return shown.ok() ? shown->output : "";
  }

 private:
  std::string name_;
};

class CrashRecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A process the scenario pauses by pid file: it outlives faultdrill, so
    // after a crash it stays stopped until `recover` continues it.
    auto sleeper = injectors::LaunchedProcess::Start({.command = {"sleep", "120"}});
    ASSERT_TRUE(sleeper.ok()) << sleeper.status();
    sleeper_ = *std::move(sleeper);
    std::ofstream(dir_.File("sleeper.pid")) << sleeper_->pid() << "\n";
    fs::create_directories(dir_.File("fill"));
    // The weights the embedded server starts with, generated independently.
    auto generated = injectors::RunCommand(
        {BinDir() + "/faultdrill-model-server", "generate-weights", "--out", dir_.File("reference-models")}, 60s);
    ASSERT_TRUE(generated.ok() && generated->exit_code == 0) << (generated.ok() ? generated->output : "");
    WriteScenario();
  }

  // Every fault kind that runs on a machine without GPU, Kubernetes or
  // docker, applied half a second apart and all active until the end.
  void WriteScenario() {
    std::string yaml =
        "name: crash-every-fault\n"
        "target: {embedded: true, model: classifier}\n"
        "load: {generator: {model: classifier}, rate: 50/s, duration: 30s}\n"
        "faults:\n"
        "  - {kind: corrupt-weights, at: 1s, flips: 16}\n"
        "  - {kind: disk-fill, at: 1500ms, path: fill, bytes: 8MiB}\n"
        "  - {kind: cpu-hog, at: 2s, threads: 1}\n"
        "  - {kind: memory-hog, at: 2500ms, bytes: 16MiB}\n"
        "  - {kind: clock-skew, at: 3s, offset: \"+2h\"}\n"
        "  - {kind: network-latency, at: 3500ms, via: proxy, delay: 2ms}\n"
        "  - {kind: grpc-fault, at: 4s, action: abort, fraction: 1%, status: UNAVAILABLE}\n"
        "  - {kind: poison-inputs, at: 4500ms, fraction: 2%}\n"
        "  - {kind: process-pause, at: 5s, for: 20s, pid_file: sleeper.pid}\n";
    if (!netns_.name().empty()) {
      yaml += "  - {kind: network-bandwidth, at: 5500ms, via: netem, interface: lo, netns: " + netns_.name() +
              ", rate: 100mbit}\n";
    }
    std::ofstream(dir_.File("crash.yaml")) << yaml;
  }

  std::string Out() const { return dir_.File("out"); }
  std::string JournalDir() const { return Out() + "/journal"; }

  // Runs the drill and SIGKILLs faultdrill once `ready(records)` holds for
  // the journal (bounded: 40 s).
  void RunAndKill(const std::function<bool(const std::vector<JournalRecord>&)>& ready) {
    CommandResult run = RunFaultdrill(
        {"run", dir_.File("crash.yaml"), "--out", Out(), "--quiet"}, 60s,
        [&](injectors::LaunchedProcess& faultdrill, const std::string&) {
          for (int i = 0; i < 400; ++i) {
            auto records = ReadJournal(JournalDir());
            if (records.ok() && ready(*records)) break;
            std::this_thread::sleep_for(100ms);
          }
          (void)faultdrill.Signal(SIGKILL);
        });
    EXPECT_EQ(run.exit_code, -1) << "faultdrill should have died of SIGKILL:\n" << run.output;
  }

  static bool HasUndoOf(const std::vector<JournalRecord>& records, const std::string& fault) {
    return std::any_of(records.begin(), records.end(),
                       [&](const JournalRecord& r) { return r.type == "undo" && r.fault == fault; });
  }

  // Everything the journal says was changed is back, and nothing faultdrill
  // started is running.
  void ExpectNothingRemains(const std::vector<JournalRecord>& records) {
    std::set<std::string> actions;
    for (const JournalRecord& r : records) {
      if (r.type != "undo") continue;
      actions.insert(r.undo.action);
      const auto& a = r.undo.args;
      if (r.undo.action == "restore-file") {
        const std::string path = a["path"];
        EXPECT_EQ(*injectors::Sha256OfFile(path), a["sha256"].get<std::string>()) << path;
        EXPECT_EQ(ReadWholeFile(path), ReadWholeFile(dir_.File("reference-models/") + fs::path(path).filename().string()))
            << path << " is not byte-identical to the weights the server started with";
      } else if (r.undo.action == "remove-file") {
        EXPECT_FALSE(fs::exists(a["path"].get<std::string>())) << a["path"];
      } else if (r.undo.action == "write-file") {
        EXPECT_EQ(ReadWholeFile(a["path"]), a["content"].get<std::string>()) << a["path"];
      } else if (r.undo.action == "stop-process") {
        pid_t pid = a["pid"].get<int>();
        // SIGKILL takes effect asynchronously: allow it a moment.
        for (int i = 0; i < 50 && injectors::ProcessStartTime(pid) == a["start_time"].get<uint64_t>(); ++i) {
          std::this_thread::sleep_for(100ms);
        }
        EXPECT_NE(injectors::ProcessStartTime(pid), a["start_time"].get<uint64_t>())
            << "helper pid " << pid << " (" << r.fault << ") is still running";
      } else if (r.undo.action == "continue-process") {
        EXPECT_NE(ProcessState(a["pid"].get<int>()), 'T') << "pid " << a["pid"] << " is still stopped";
      } else if (r.undo.action == "delete-qdisc") {
        EXPECT_THAT(netns_.RootQdisc(), ::testing::Not(HasSubstr("tbf"))) << "the qdisc is still there";
      }
    }
    EXPECT_FALSE(actions.empty());
    for (int i = 0; i < 50 && !NoProcessMentions(Out()); ++i) std::this_thread::sleep_for(100ms);
    EXPECT_TRUE(NoProcessMentions(Out())) << "a process started for the run outlived faultdrill";
    EXPECT_NE(ProcessState(sleeper_->pid()), 'T');
  }

  // recover, check, and recover again: the second finds nothing.
  void RecoverTwice() {
    auto records = ReadJournal(JournalDir());
    ASSERT_TRUE(records.ok()) << records.status();
    ASSERT_FALSE(PendingUndos(*records).empty()) << "the kill left nothing to recover; the test proves nothing";

    CommandResult refused = RunFaultdrill({"run", dir_.File("crash.yaml"), "--out", Out(), "--quiet"}, 30s);
    EXPECT_EQ(refused.exit_code, 3) << refused.output;
    EXPECT_THAT(refused.output, HasSubstr("faultdrill recover --journal"));

    CommandResult first = RunFaultdrill({"recover", "--journal", JournalDir()}, 60s);
    EXPECT_EQ(first.exit_code, 0) << first.output;
    EXPECT_THAT(first.output, HasSubstr("undone"));
    EXPECT_THAT(first.output, ::testing::Not(HasSubstr("FAILED")));
    ExpectNothingRemains(*ReadJournal(JournalDir()));

    CommandResult second = RunFaultdrill({"recover", "--journal", JournalDir()}, 60s);
    EXPECT_EQ(second.exit_code, 0) << second.output;
    EXPECT_THAT(second.output, HasSubstr("nothing to undo"));
  }

  NetworkNamespace netns_;
  TempDir dir_;
  std::unique_ptr<injectors::LaunchedProcess> sleeper_;
};

// The undo is journaled before the fault is applied: kill once the weights
// really differ from what the journal says they were.
bool WeightsCorrupted(const std::vector<JournalRecord>& records) {
  for (const JournalRecord& r : records) {
    if (r.type != "undo" || r.undo.action != "restore-file") continue;
    absl::StatusOr<std::string> sha = injectors::Sha256OfFile(r.undo.args["path"]);
    if (sha.ok() && *sha != r.undo.args["sha256"].get<std::string>()) return true;
  }
  return false;
}

TEST_F(CrashRecoveryTest, KilledRightAfterTheFirstFault) {
  RunAndKill([](const auto& records) { return HasUndoOf(records, "corrupt-weights") && WeightsCorrupted(records); });
  // The weights are corrupted on disk now: the test can fail.
  auto records = ReadJournal(JournalDir());
  ASSERT_TRUE(records.ok());
  for (const JournalRecord& r : *records) {
    if (r.undo.action == "restore-file") {
      EXPECT_NE(*injectors::Sha256OfFile(r.undo.args["path"]), r.undo.args["sha256"].get<std::string>());
    }
  }
  RecoverTwice();
}

TEST_F(CrashRecoveryTest, KilledHalfwayThroughTheFaults) {
  RunAndKill([](const auto& records) { return HasUndoOf(records, "clock-skew"); });
  RecoverTwice();
}

TEST_F(CrashRecoveryTest, KilledWithEveryFaultActive) {
  const std::string last = netns_.name().empty() ? "process-pause" : "network-bandwidth";
  if (netns_.name().empty()) std::cerr << "note: no network namespace here; network-bandwidth (tbf) left out\n";
  // Journaled, then applied: kill once the last fault is in force.
  RunAndKill([&](const auto& records) {
    if (!HasUndoOf(records, last)) return false;
    return netns_.name().empty() ? ProcessState(sleeper_->pid()) == 'T'
                                 : netns_.RootQdisc().find("tbf") != std::string::npos;
  });
  EXPECT_EQ(ProcessState(sleeper_->pid()), 'T') << "the paused process should still be stopped before recover";
  if (!netns_.name().empty()) {
    EXPECT_THAT(netns_.RootQdisc(), HasSubstr("tbf"));
  }
  RecoverTwice();
}

}  // namespace
}  // namespace faultdrill::testing
