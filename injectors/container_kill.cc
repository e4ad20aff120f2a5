#include "injectors/container_kill.h"

#include <signal.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "injectors/command.h"
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

std::string ContainerKillInjector::Describe() const {
  std::string text = absl::StrCat(SignalName(settings_.signal), " ", settings_.count.Describe("container"),
                                  " matching ", settings_.filter,
                                  " with docker; nothing to undo (their restart policy brings them back)");
  const std::vector<std::string> killed = Killed();
  if (!killed.empty()) absl::StrAppend(&text, "; signalled ", absl::StrJoin(killed, ", "));
  return text;
}

absl::Status ContainerKillInjector::Apply() {
  const std::vector<std::string> list = ListContainersCommand(settings_);
  auto listed = RunCommand(list, settings_.timeout);
  if (!listed.ok()) {
    return absl::FailedPreconditionError(absl::StrCat("fault '", settings_.name, "': ", listed.status().message()));
  }
  if (listed->exit_code != 0) return ToolFailed(list, *listed);
  const std::vector<std::string> ids = ParseContainerIds(listed->output);
  containers_matched_ = static_cast<int64_t>(ids.size());
  if (ids.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("fault '", settings_.name, "': no running containers match ", settings_.filter));
  }
  const std::vector<std::string> victims = ChooseVictims(ids, settings_.count, settings_.seed);
  const std::vector<std::string> kill = KillContainersCommand(settings_, victims);
  auto killed = RunCommand(kill, settings_.timeout);
  if (!killed.ok()) {
    return absl::FailedPreconditionError(absl::StrCat("fault '", settings_.name, "': ", killed.status().message()));
  }
  if (killed->exit_code != 0) return ToolFailed(kill, *killed);
  {
    absl::MutexLock lock(&mu_);
    killed_.insert(killed_.end(), victims.begin(), victims.end());
  }
  containers_killed_ = static_cast<int64_t>(victims.size());
  return absl::OkStatus();
}

std::vector<std::string> ContainerKillInjector::Killed() const {
  absl::MutexLock lock(&mu_);
  return killed_;
}

std::map<std::string, int64_t> ContainerKillInjector::Counters() const {
  return {{"containers_matched", containers_matched_}, {"containers_killed", containers_killed_}};
}

std::vector<std::string> ContainerKillInjector::Touches() const {
  return {absl::StrCat("Docker containers matching ", settings_.filter, ": ", settings_.count.Describe("container"),
                       " sent ", SignalName(settings_.signal))};
}

std::vector<Need> ContainerKillInjector::Needs() const {
  Need need{.what = absl::StrCat("docker (", settings_.docker, ")")};
  if (auto found = FindProgram(settings_.docker); !found.ok()) {
    need.status = absl::FailedPreconditionError(absl::StrCat(
        found.status().message(), ": install the Docker CLI, or give its path with `docker:`"));
  }
  return {need};
}

}  // namespace faultdrill::injectors
