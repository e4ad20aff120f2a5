// `faultdrill run SCENARIO`: compile, run the drill, print the summary.
#include <unistd.h>

#include <ostream>

#include "cli/commands.h"
#include "cli/compiled_scenario.h"
#include "cli/drill.h"
#include "cli/exit_codes.h"
#include "cli/interrupts.h"
#include "cli/summary.h"

namespace faultdrill::cli {

int Run(const RunOptions& options, std::ostream& out, std::ostream& err) {
  auto compiled = CompileScenario(options.scenario, {.overrides = options.overrides, .seed = options.seed});
  if (!compiled.ok()) {
    err << compiled.status().message() << "\n";
    return kExitInvalid;
  }
  DrillSettings settings;
  settings.out_dir = options.out_dir.empty() ? "out/" + (*compiled)->scenario.name : options.out_dir;
  settings.live_progress = !options.quiet;
  settings.interactive = ::isatty(STDERR_FILENO) == 1;

  InterruptWatcher interrupts;
  Drill drill(**compiled, settings, err);
  DrillOutcome outcome = drill.Run(interrupts.token());
  out << FormatSummary(outcome.result, outcome.report_files) << std::flush;
  if (outcome.exit_code == kExitEnvironment && !outcome.result.abort_reason.empty()) {
    err << "faultdrill: cannot run the drill: " << outcome.result.abort_reason << "\n";
  }
  return outcome.exit_code;
}

}  // namespace faultdrill::cli
