// `faultdrill run SCENARIO`: compile, run the drill, print the summary.
#include <unistd.h>

#include <ostream>

#include "cli/commands.h"
#include "cli/compiled_scenario.h"
#include "cli/console_style.h"
#include "cli/drill.h"
#include "cli/exit_codes.h"
#include "cli/interrupts.h"
#include "cli/summary.h"

namespace faultdrill::cli {
namespace {

// `text` as one POSIX shell word: as it is when it is plain, else in single quotes.
std::string ShellWord(const std::string& text) {
  const bool plain = !text.empty() && text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                             "0123456789_-+=.,/:@%") == std::string::npos;
  if (plain) return text;
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

std::string ReproduceCommand(const RunOptions& options, uint64_t seed) {
  std::string command = "faultdrill run " + ShellWord(options.scenario) + " --seed " + std::to_string(seed);
  for (const Override& o : options.overrides) command += " --set " + ShellWord(o.key + "=" + o.value);
  return command;
}

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
  settings.command = ReproduceCommand(options, (*compiled)->scenario.seed);

  InterruptWatcher interrupts;
  Drill drill(**compiled, settings, err);
  DrillOutcome outcome = drill.Run(interrupts.token());
  out << FormatSummary(outcome.result, outcome.report_files, ColourWanted(STDOUT_FILENO)) << std::flush;
  if (outcome.exit_code == kExitEnvironment && !outcome.result.abort_reason.empty()) {
    err << "faultdrill: cannot run the drill: " << outcome.result.abort_reason << "\n";
  }
  return outcome.exit_code;
}

}  // namespace faultdrill::cli
