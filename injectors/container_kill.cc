#include "injectors/container_kill.h"

#include <signal.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "injectors/signal_names.h"

namespace faultdrill::injectors {
namespace {

bool IsContainerId(std::string_view line) {
  if (line.size() < 12 || line.size() > 64) return false;
  for (char c : line) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c)) || absl::ascii_isupper(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<std::string> ListContainersCommand(const ContainerKillSettings& settings) {
  return {settings.docker, "ps", "-q", "--filter", settings.filter};
}

std::vector<std::string> KillContainersCommand(const ContainerKillSettings& settings,
                                               const std::vector<std::string>& ids) {
  std::vector<std::string> argv = {settings.docker, "kill", "--signal", SignalName(settings.signal)};
  argv.insert(argv.end(), ids.begin(), ids.end());
  return argv;
}

std::vector<std::string> ParseContainerIds(const std::string& output) { return OutputLines(output, &IsContainerId); }

absl::StatusOr<std::unique_ptr<Injector>> ContainerKillInjector::Create(const FaultSpec& spec,
                                                                        InjectorContext& context) {
  ParamReader params(spec.params, absl::StrCat("fault '", spec.name, "' (container-kill)"));
  if (absl::Status s = params.CheckKnownKeys({"label", "container_name", "signal", "count", "docker"}); !s.ok()) {
    return s;
  }
  ContainerKillSettings settings;
  settings.name = spec.name;
  settings.seed = FaultSeed(context.scenario.seed, spec.name);
  settings.active_for = spec.duration;

  // `name:` is the fault's own name, so a container's name is `container_name`.
  if (params.Has("label") == params.Has("container_name")) {
    return params.Has("label")
               ? params.Error("container_name", "give either `label` or `container_name`, not both")
               : params.MapError("needs `label` (a Docker label, key or key=value) or `container_name`");
  }
  const std::string key = params.Has("label") ? "label" : "container_name";
  auto value = params.String(key);
  if (!value.ok()) return value.status();
  if (value->empty()) return params.Error(key, "must not be empty (it would match every container)");
  settings.filter = absl::StrCat(key == "label" ? "label" : "name", "=", *value);

  auto signal_text = params.String("signal", "SIGKILL");
  if (!signal_text.ok()) return signal_text.status();
  std::optional<int> signal = ParseSignal(*signal_text);
  if (!signal || *signal == SIGSTOP || *signal == SIGCONT) {
    return params.Error("signal", absl::StrCat("'", *signal_text,
                                               "' is not a signal that ends a container (use SIGKILL, SIGTERM, "
                                               "SIGINT, SIGQUIT, SIGABRT)"));
  }
  settings.signal = *signal;

  auto count = ReadVictimCount(params);
  if (!count.ok()) return count.status();
  settings.count = *count;

  auto docker = params.String("docker", "docker");
  if (!docker.ok()) return docker.status();
  if (docker->empty()) return params.Error("docker", "must not be empty");
  settings.docker = *docker;
  return std::make_unique<ContainerKillInjector>(std::move(settings));
}

ContainerKillInjector::ContainerKillInjector(ContainerKillSettings settings)
    : VictimKillInjector({.fault = settings.name,
                          .noun = "container",
                          .tool = "docker",
                          .tool_path = settings.docker,
                          .install = "install the Docker CLI",
                          .count = settings.count,
                          .seed = settings.seed,
                          .active_for = settings.active_for,
                          .timeout = settings.timeout}),
      settings_(std::move(settings)) {}

std::string ContainerKillInjector::Describe() const {
  std::string text = absl::StrCat(SignalName(settings_.signal), " ", settings_.count.Describe("container"),
                                  " matching ", settings_.filter,
                                  " with docker; nothing to undo (their restart policy brings them back)");
  const std::vector<std::string> killed = Killed();
  if (!killed.empty()) absl::StrAppend(&text, "; signalled ", absl::StrJoin(killed, ", "));
  return text;
}

std::vector<std::string> ContainerKillInjector::Touches() const {
  return {absl::StrCat("Docker containers matching ", settings_.filter, ": ", settings_.count.Describe("container"),
                       " sent ", SignalName(settings_.signal))};
}

}  // namespace faultdrill::injectors
