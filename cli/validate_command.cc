// `faultdrill validate SCENARIO...`: every scenario through the whole
// compilation (scenario, fault settings, probes, request files), nothing run.
#include <ostream>

#include "cli/commands.h"
#include "cli/compiled_scenario.h"
#include "cli/exit_codes.h"

namespace faultdrill::cli {

absl::StatusOr<Override> ParseOverride(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return absl::InvalidArgumentError("--set " + text + ": expected KEY=VALUE, e.g. --set load.rate=500/s");
  }
  return Override{text.substr(0, eq), text.substr(eq + 1)};
}

int Validate(const ValidateOptions& options, std::ostream& out, std::ostream& err) {
  int invalid = 0;
  for (const std::string& path : options.scenarios) {
    auto compiled = CompileScenario(path, {.overrides = options.overrides, .seed = std::nullopt});
    if (!compiled.ok()) {
      err << compiled.status().message() << "\n";
      ++invalid;
      continue;
    }
    const Scenario& s = (*compiled)->scenario;
    out << path << ": ok (scenario '" << s.name << "', " << s.faults.size() << " fault"
        << (s.faults.size() == 1 ? "" : "s") << ", " << s.slos.size() << " SLO"
        << (s.slos.size() == 1 ? "" : "s") << ", " << FormatDuration(s.load.duration) << " of load)\n";
  }
  return invalid == 0 ? kExitPassed : kExitInvalid;
}

}  // namespace faultdrill::cli
