// The faultdrill binary with a target it launches through a wrapper script
// (the reference server started as the script's child): nothing of the
// target outlives the run or a SIGKILL of faultdrill plus `recover`, `recover`
// leaves the journal of a drill that is still running alone, and the report
// says when the target died on its own.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "core/journal.h"
#include "injectors/command.h"
#include "tests/common/files.h"
#include "tests/common/processes.h"
#include "tests/e2e/cli_runner.h"
#include "tests/e2e/run_result_file.h"
#include "tests/common/ports.h"

namespace faultdrill::testing {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;


bool Alive(pid_t pid) {
  const char state = ProcessState(pid);
  return state != '?' && state != 'Z';
}

// Waits up to 10 s for `pid` to end (gone, or a zombie nobody reaped yet).
bool Ended(pid_t pid) {
  for (int i = 0; i < 1000 && Alive(pid); ++i) std::this_thread::sleep_for(10ms);
  return !Alive(pid);
}

// Polls `file` (bounded: 60 s) until it holds `text`.
bool WaitForText(const std::string& file, const std::string& text) {
  for (int i = 0; i < 6000; ++i) {
    if (ReadWholeFile(file).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

class LaunchedTargetSafety : public ::testing::Test {
 protected:
  void SetUp() override {
    auto generated = injectors::RunCommand(
        {BinDir() + "/faultdrill-model-server", "generate-weights", "--out", dir_.File("models")}, 60s);
    ASSERT_TRUE(generated.ok() && generated->exit_code == 0) << (generated.ok() ? generated->output : "");
    // What deployments do: a script that starts the server in the background.
    std::ofstream(dir_.File("wrapper.sh")) << "#!/bin/sh\n"
                                           << "\"$1\" --port \"$2\" --models \"$3\" --no-verify-checksums &\n"
                                           << "echo $! > \"$4.tmp\" && mv \"$4.tmp\" \"$4\"\n"
                                           << "wait\n";
    ::chmod(dir_.File("wrapper.sh").c_str(), 0755);
  }

  // A scenario whose target is the wrapper; `faults` are YAML list items.
  std::string Scenario(const std::string& duration, const std::string& faults = "") {
    const int port = FreeLoopbackPort();
    const std::string path = dir_.File("wrapped.yaml");
    std::ofstream(path) << "name: wrapped-target\n"
                        << "target:\n  endpoint: 127.0.0.1:" << port << "\n  model: classifier\n"
                        << "  launch:\n    command: [" << dir_.File("wrapper.sh") << ", " << BinDir()
                        << "/faultdrill-model-server, \"" << port << "\", " << dir_.File("models") << ", "
                        << ServerPidFile() << "]\n"
                        << "load: {generator: {model: classifier}, rate: 20/s, duration: " << duration
                        << ", deadline: 1s}\n"
                        << (faults.empty() ? "" : "faults:\n" + faults);
    return path;
  }

  std::string Out() const { return dir_.File("out"); }
  std::string JournalDir() const { return Out() + "/journal"; }
  std::string ServerPidFile() const { return dir_.File("server.pid"); }
  pid_t ServerPid() const { return static_cast<pid_t>(std::atoi(ReadWholeFile(ServerPidFile()).c_str())); }

  TempDir dir_;
};

TEST_F(LaunchedTargetSafety, TheServerAWrapperStartedEndsWithTheRun) {
  const std::string scenario = Scenario("2s");
  CommandResult run = RunFaultdrill({"run", scenario, "--out", Out(), "--quiet"}, 60s);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const pid_t server = ServerPid();
  ASSERT_GT(server, 0);
  EXPECT_TRUE(Ended(server)) << "the wrapper's server outlived the run; the next run would drill it";
  auto records = ReadJournal(JournalDir());
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_TRUE(PendingUndos(*records).empty()) << "a run that stopped its target leaves nothing to recover";
}

TEST_F(LaunchedTargetSafety, RecoverEndsTheServerAWrapperStartedAfterFaultdrillWasKilled) {
  const std::string scenario = Scenario("60s");
  CommandResult run = RunFaultdrill({"run", scenario, "--out", Out(), "--quiet"}, 90s,
                                    [&](injectors::LaunchedProcess& faultdrill, const std::string& output) {
                                      EXPECT_TRUE(WaitForText(output, "target healthy")) << ReadWholeFile(output);
                                      (void)faultdrill.Signal(SIGKILL);
                                    });
  ASSERT_EQ(run.exit_code, -1) << "faultdrill should have died of SIGKILL:\n" << run.output;
  const pid_t server = ServerPid();
  ASSERT_GT(server, 0);
  ASSERT_TRUE(Alive(server)) << "the wrapper's child outlives a SIGKILLed faultdrill: what recover is for";

  CommandResult recovered = RunFaultdrill({"recover", "--journal", JournalDir()}, 60s);
  EXPECT_EQ(recovered.exit_code, 0) << recovered.output;
  EXPECT_THAT(recovered.output, HasSubstr("stop process group"));
  EXPECT_TRUE(Ended(server)) << "recover left the wrapper's server running:\n" << recovered.output;

  CommandResult again = RunFaultdrill({"run", Scenario("1s"), "--out", Out(), "--quiet"}, 60s);
  EXPECT_EQ(again.exit_code, 0) << "the next run drills a fresh target:\n" << again.output;
}

TEST_F(LaunchedTargetSafety, RecoverLeavesTheJournalOfADrillThatIsStillRunningAlone) {
  const std::string scenario = Scenario("60s");
  CommandResult refused_recover, refused_run;
  pid_t drill = 0;
  CommandResult run = RunFaultdrill({"run", scenario, "--out", Out(), "--quiet"}, 90s,
                                    [&](injectors::LaunchedProcess& faultdrill, const std::string& output) {
                                      drill = faultdrill.pid();
                                      EXPECT_TRUE(WaitForText(output, "target healthy")) << ReadWholeFile(output);
                                      refused_recover = RunFaultdrill({"recover", "--journal", JournalDir()}, 60s);
                                      refused_run = RunFaultdrill({"run", scenario, "--out", Out(), "--quiet"}, 60s);
                                      (void)faultdrill.Signal(SIGTERM);
                                    });
  EXPECT_EQ(refused_recover.exit_code, 3) << refused_recover.output;
  EXPECT_THAT(refused_recover.output, HasSubstr("still running (faultdrill pid " + std::to_string(drill) + ")"));
  EXPECT_EQ(refused_run.exit_code, 3) << refused_run.output;
  EXPECT_THAT(refused_run.output, HasSubstr("still running"));
  EXPECT_EQ(run.exit_code, 4) << "the drill went on undisturbed until it was stopped:\n" << run.output;
  EXPECT_TRUE(Ended(ServerPid()));

  CommandResult after = RunFaultdrill({"recover", "--journal", JournalDir()}, 60s);
  EXPECT_EQ(after.exit_code, 0) << after.output;
  EXPECT_THAT(after.output, HasSubstr("nothing to undo"));
}

TEST_F(LaunchedTargetSafety, TheReportSaysWhenTheTargetDiedWithoutAFaultEndingIt) {
  // The drill's own kill (and restart) is not news; the server dying later is.
  const std::string scenario =
      Scenario("8s", "  - {kind: process-kill, name: kill, at: 1s, signal: SIGKILL, restart_after: 1s}\n");
  CommandResult run = RunFaultdrill(
      {"run", scenario, "--out", Out(), "--quiet"}, 90s,
      [&](injectors::LaunchedProcess&, const std::string&) {
        // The restart is journaled once the new wrapper runs and is watched
        // (LaunchedProcess::Spawn), and the wrapper then writes its new
        // server's pid: from then on its death is not the drill's doing.
        for (int i = 0; i < 3000; ++i) {
          auto records = ReadJournal(JournalDir());
          const bool restarted = records.ok() && std::count_if(records->begin(), records->end(), [](const auto& r) {
                                   return r.type == "undo" && r.fault == "launched-target";
                                 }) == 2;
          if (restarted && ServerPid() > 0 && Alive(ServerPid())) break;
          std::this_thread::sleep_for(10ms);
        }
        ::kill(ServerPid(), SIGKILL);  // not the drill's doing
      });
  ASSERT_NE(run.exit_code, -1) << run.output;
  const RunResult result = ReadRunResult(Out());
  int died = 0;
  for (const Event& event : result.events) {
    if (event.source == "target" && event.message.find("died without a fault") != std::string::npos) {
      ++died;
      EXPECT_THAT(event.message, HasSubstr("exited with status"));  // the wrapper, whose server was killed
    }
  }
  EXPECT_EQ(died, 1) << run.output;
}

}  // namespace
}  // namespace faultdrill::testing
