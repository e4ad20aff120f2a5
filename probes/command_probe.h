// `command`: runs a program (an argument vector, never a shell) and judges its
// exit code and, optionally, its output. For checks faultdrill has no probe
// for: `curl` a health page, `nvidia-smi`, a script of the service's own.
//
//   probes:
//     - name: disk
//       kind: command
//       command: [df, --output=pcent, /var/lib/models]
//       timeout: 5s                # the program is killed after it
//       expect_exit: 0             # default 0
//       expect_output: " [0-7]?[0-9]%"    # optional regex (probes/regex.h) in stdout+stderr: under 80% full
#ifndef FAULTDRILL_PROBES_COMMAND_PROBE_H_
#define FAULTDRILL_PROBES_COMMAND_PROBE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/command.h"
#include "core/scenario.h"
#include "probes/probe.h"
#include "probes/regex.h"
#include "probes/registry.h"

namespace faultdrill::probes {

struct CommandProbeSettings {
  std::vector<std::string> argv;
  Duration timeout = std::chrono::seconds(5);
  int expect_exit = 0;
  std::optional<Regex> expect_output;  // searched in stdout and stderr together
};

// Validates a `kind: command` probe's keys (command, timeout, expect_exit,
// expect_output; located errors, including regex syntax). The program is not
// looked up here: a missing one is reported by the first check.
absl::StatusOr<CommandProbeSettings> ParseCommandProbe(const ProbeSpec& spec);

// Runs a program to completion (core/command.h RunCommand for the real one).
using CommandRunner = std::function<absl::StatusOr<CommandResult>(const std::vector<std::string>&, Duration)>;

class CommandProbe final : public Probe {
 public:
  CommandProbe(CommandProbeSettings settings, CommandRunner run);

  // kind `command`, running programs with RunCommand.
  static absl::StatusOr<std::unique_ptr<Probe>> Create(const ProbeSpec& spec, const ProbeContext& context);

  std::string Describe() const override;
  // exit_code (when the program exited), duration_s (s).
  std::vector<ValueInfo> Values() const override;
  // healthy: the program exited with expect_exit and its output matched.
  ProbeResult Check() override;

 private:
  const CommandProbeSettings settings_;
  const CommandRunner run_;
};

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_COMMAND_PROBE_H_
