// One drill, start to finish: bring up the target, check the steady state,
// drive the load while the faults run on the timeline, revert everything,
// check the steady state again, judge, and write the reports. Run() reads like
// the table of contents of a drill.
#ifndef FAULTDRILL_CLI_DRILL_H_
#define FAULTDRILL_CLI_DRILL_H_

#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <stop_token>
#include <string>
#include <vector>

#include "cli/compiled_scenario.h"
#include "cli/target_launcher.h"
#include "core/clock.h"
#include "core/event_log.h"
#include "core/journal.h"
#include "core/run_result.h"
#include "injectors/fault_proxy.h"
#include "injectors/journal_lock.h"
#include "load/recorder.h"

namespace faultdrill::cli {

class DrillMonitors;
class GoldenWatch;

struct DrillSettings {
  std::string out_dir;          // reports and the target's files go here
  bool live_progress = true;    // print the progress line
  bool interactive = false;     // the console is a terminal
  std::string command;          // reproduces the run (RunResult::command)
};

struct DrillOutcome {
  RunResult result;
  int exit_code = 0;
  std::vector<std::string> report_files;
};

class Drill {
 public:
  // `compiled` must outlive the drill; `console` gets progress and messages.
  Drill(CompiledScenario& compiled, DrillSettings settings, std::ostream& console);
  ~Drill();

  // Runs the whole drill. A stop request (Ctrl-C, SIGTERM) ends the load at
  // once, reverts every active fault, and still writes the reports (aborted).
  DrillOutcome Run(std::stop_token stop);

 private:
  absl::Status PrepareOutput();
  absl::Status LoadMasters();
  absl::Status CheckNeeds();
  absl::Status OpenJournal();
  absl::Status BringUpTarget(std::stop_token stop);
  void DriveLoadWithFaults(std::stop_token stop);
  bool SteadyStateHolds(const load::Recorder& recorder, const DrillMonitors& monitors);
  void CheckSteadyStateAfter(std::stop_token stop);
  void Judge(bool interrupted);
  void MeasureRecoveries();
  void WriteReports();
  void Fail(Outcome outcome, int exit_code, std::string reason);

  CompiledScenario& compiled_;
  const DrillSettings settings_;
  std::ostream& console_;
  Clock& clock_;
  std::unique_ptr<injectors::JournalLock> journal_lock_;  // released last, after the target is stopped
  std::unique_ptr<Journal> journal_;
  RunningTarget target_;
  RunningTarget candidate_;  // shadow comparison; empty endpoint when none
  std::unique_ptr<injectors::FaultProxy> proxy_;  // when a fault goes through the proxy
  std::string load_endpoint_;                      // the target's, or the proxy's
  std::unique_ptr<EventLog> events_;
  std::vector<Verdict> before_probe_verdicts_;  // from the check before the first fault
  std::vector<Verdict> after_probe_verdicts_;
  std::vector<Verdict> monitor_verdicts_;       // continuous checks, leak checks
  std::vector<Verdict> comparison_verdicts_;    // golden masters and shadow
  std::unique_ptr<GoldenWatch> golden_;         // when the scenario has golden:
  std::optional<std::string> abort_reason_;     // an abort condition stopped the drill
  std::mutex mu_;                               // steady_state_failure_ is set on the scheduler's thread
  std::optional<std::string> steady_state_failure_;
  DrillOutcome outcome_;
};

}  // namespace faultdrill::cli

#endif  // FAULTDRILL_CLI_DRILL_H_
