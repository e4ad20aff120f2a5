#include "probes/command_probe.h"

#include <fmt/format.h>

#include <chrono>
#include <utility>

#include "absl/strings/str_join.h"

namespace faultdrill::probes {

namespace {

constexpr size_t kShownOutput = 200;

// The first non-empty line of `output`, cut short; "(no output)" when none.
std::string FirstLine(const std::string& output) {
  size_t start = 0;
  while (start < output.size()) {
    size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    if (end > start) {
      std::string line = output.substr(start, std::min(end - start, kShownOutput));
      if (end - start > kShownOutput) line += "...";
      return line;
    }
    start = end + 1;
  }
  return "(no output)";
}

}  // namespace

absl::StatusOr<CommandProbeSettings> ParseCommandProbe(const ProbeSpec& spec) {
  ParamReader params(spec.params, fmt::format("probe '{}' (command)", spec.name));
  if (absl::Status s = params.CheckKnownKeys({"command", "timeout", "expect_exit", "expect_output"}); !s.ok()) {
    return s;
  }
  CommandProbeSettings settings;
  if (const ParamNode* command = params.Find("command");
      command != nullptr && command->kind == ParamNode::Kind::kScalar) {
    return params.Error("command",
                        "write the program and its arguments as a list, e.g. [curl, -sf, URL]; "
                        "faultdrill never runs a shell");
  }
  absl::StatusOr<std::vector<std::string>> argv = params.StringList("command");
  if (!argv.ok()) return argv.status();
  if (argv->empty() || (*argv)[0].empty()) return params.Error("command", "name a program to run");
  settings.argv = *std::move(argv);
  absl::StatusOr<Duration> timeout = params.Dur("timeout", std::chrono::seconds(5));
  if (!timeout.ok()) return timeout.status();
  if (timeout->count() <= 0) return params.Error("timeout", "must be greater than zero");
  settings.timeout = *timeout;
  absl::StatusOr<int64_t> expect_exit = params.Int("expect_exit", 0, 255, 0);
  if (!expect_exit.ok()) return expect_exit.status();
  settings.expect_exit = static_cast<int>(*expect_exit);
  if (params.Has("expect_output")) {
    absl::StatusOr<std::string> text = params.String("expect_output");
    if (!text.ok()) return text.status();
    absl::StatusOr<Regex> regex = Regex::Compile(*text);
    if (!regex.ok()) return params.Error("expect_output", std::string(regex.status().message()));
    settings.expect_output = *std::move(regex);
  }
  return settings;
}

CommandProbe::CommandProbe(CommandProbeSettings settings, CommandRunner run)
    : settings_(std::move(settings)), run_(std::move(run)) {}

absl::StatusOr<std::unique_ptr<Probe>> CommandProbe::Create(const ProbeSpec& spec, const ProbeContext& /*context*/) {
  absl::StatusOr<CommandProbeSettings> settings = ParseCommandProbe(spec);
  if (!settings.ok()) return settings.status();
  CommandRunner run = [](const std::vector<std::string>& argv, Duration timeout) { return RunCommand(argv, timeout); };
  return std::unique_ptr<Probe>(std::make_unique<CommandProbe>(*std::move(settings), std::move(run)));
}

std::string CommandProbe::Describe() const {
  std::string text = fmt::format("command `{}` exits {}", absl::StrJoin(settings_.argv, " "), settings_.expect_exit);
  if (settings_.expect_output) text += fmt::format(" with output matching /{}/", settings_.expect_output->pattern());
  return text;
}

std::vector<ValueInfo> CommandProbe::Values() const { return {{"exit_code", ""}, {"duration_s", "s"}}; }

ProbeResult CommandProbe::Check() {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<CommandResult> ran = run_(settings_.argv, settings_.timeout);
  ProbeResult result;
  result.took = std::chrono::steady_clock::now() - start;
  const double seconds = ToSeconds(result.took);
  result.values.push_back({"duration_s", seconds});
  const std::string took = FormatDuration(std::chrono::duration_cast<std::chrono::milliseconds>(result.took));
  if (!ran.ok()) {
    result.detail = std::string(ran.status().message());
    return result;
  }
  if (ran->exit_code >= 0) result.values.push_back({"exit_code", static_cast<double>(ran->exit_code)});
  if (ran->exit_code != settings_.expect_exit) {
    result.detail = fmt::format("{} (expected exit {}) after {}: {}",
                                ran->exit_code >= 0 ? fmt::format("exit {}", ran->exit_code) : "killed by a signal",
                                settings_.expect_exit, took, FirstLine(ran->output));
    return result;
  }
  if (settings_.expect_output && !settings_.expect_output->Search(ran->output)) {
    result.detail = fmt::format("exit {} after {}, but the output does not match /{}/: {}", ran->exit_code, took,
                                settings_.expect_output->pattern(), FirstLine(ran->output));
    return result;
  }
  result.healthy = true;
  result.detail = fmt::format("exit {} after {}", ran->exit_code, took);
  return result;
}

}  // namespace faultdrill::probes
