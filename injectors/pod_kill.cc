#include "injectors/pod_kill.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace faultdrill::injectors {
namespace {

bool IsPodLine(std::string_view line) { return line.substr(0, 4) == "pod/" && line.size() > 4; }

// A pod name as kubectl lists it: no spaces, nothing a tool could read as an option.
bool IsPlausiblePodName(std::string_view name) {
  if (name.empty() || name[0] == '-') return false;
  for (char c : name) {
    if (c == ' ' || c == '\t' || c == '\0') return false;
  }
  return true;
}

// kubectl's global options, before the subcommand.
std::vector<std::string> Kubectl(const PodKillSettings& settings) {
  std::vector<std::string> argv = {settings.kubectl};
  if (!settings.context.empty()) {
    argv.push_back("--context");
    argv.push_back(settings.context);
  }
  return argv;
}

}  // namespace

std::vector<std::string> ListPodsCommand(const PodKillSettings& settings) {
  std::vector<std::string> argv = Kubectl(settings);
  for (std::string arg : {"get", "pods", "-n"}) argv.push_back(arg);
  argv.push_back(settings.pod_namespace);
  argv.push_back("-l");
  argv.push_back(settings.selector);
  for (std::string arg : {"--field-selector", "status.phase=Running", "-o", "name"}) argv.push_back(arg);
  return argv;
}

std::vector<std::string> DeletePodsCommand(const PodKillSettings& settings, const std::vector<std::string>& pods) {
  std::vector<std::string> argv = Kubectl(settings);
  for (std::string arg : {"delete", "pod", "-n"}) argv.push_back(arg);
  argv.push_back(settings.pod_namespace);
  if (settings.grace_period_s) {
    argv.push_back(absl::StrCat("--grace-period=", *settings.grace_period_s));
    // kubectl turns a zero grace period into one second unless forced.
    if (*settings.grace_period_s == 0) argv.push_back("--force");
  }
  argv.push_back("--wait=false");
  argv.insert(argv.end(), pods.begin(), pods.end());
  return argv;
}

std::vector<std::string> ParsePodNames(const std::string& output) {
  std::vector<std::string> names;
  for (const std::string& line : OutputLines(output, &IsPodLine)) names.push_back(line.substr(4));
  return names;
}

absl::StatusOr<std::unique_ptr<Injector>> PodKillInjector::Create(const FaultSpec& spec, InjectorContext& context) {
  ParamReader params(spec.params, absl::StrCat("fault '", spec.name, "' (pod-kill)"));
  if (absl::Status s = params.CheckKnownKeys({"selector", "namespace", "context", "count", "grace_period", "kubectl"});
      !s.ok()) {
    return s;
  }
  PodKillSettings settings;
  settings.name = spec.name;
  settings.seed = FaultSeed(context.scenario.seed, spec.name);
  settings.active_for = spec.duration;

  auto selector = params.String("selector");
  if (!selector.ok()) return selector.status();
  if (selector->empty()) return params.Error("selector", "must not be empty (it would match every pod)");
  if (absl::Status s = RejectOptionLike(params, "selector", *selector); !s.ok()) return s;
  settings.selector = *selector;

  auto pod_namespace = params.String("namespace", "default");
  if (!pod_namespace.ok()) return pod_namespace.status();
  if (pod_namespace->empty()) return params.Error("namespace", "must not be empty");
  if (absl::Status s = RejectOptionLike(params, "namespace", *pod_namespace); !s.ok()) return s;
  settings.pod_namespace = *pod_namespace;

  auto kube_context = params.String("context", "");
  if (!kube_context.ok()) return kube_context.status();
  if (absl::Status s = RejectOptionLike(params, "context", *kube_context); !s.ok()) return s;
  settings.context = *kube_context;

  auto count = ReadVictimCount(params);
  if (!count.ok()) return count.status();
  settings.count = *count;

  if (params.Has("grace_period")) {
    auto grace = params.Dur("grace_period");
    if (!grace.ok()) return grace.status();
    if (*grace % std::chrono::seconds(1) != Duration::zero()) {
      return params.Error("grace_period", "must be whole seconds (kubectl takes seconds)");
    }
    settings.grace_period_s = std::chrono::duration_cast<std::chrono::seconds>(*grace).count();
  }

  auto kubectl = params.String("kubectl", "kubectl");
  if (!kubectl.ok()) return kubectl.status();
  if (kubectl->empty()) return params.Error("kubectl", "must not be empty");
  settings.kubectl = *kubectl;
  return std::make_unique<PodKillInjector>(std::move(settings));
}

PodKillInjector::PodKillInjector(PodKillSettings settings)
    : VictimKillInjector({.fault = settings.name,
                          .noun = "pod",
                          .tool = "kubectl",
                          .tool_path = settings.kubectl,
                          .install = "install kubectl",
                          .count = settings.count,
                          .seed = settings.seed,
                          .active_for = settings.active_for,
                          .timeout = settings.timeout}),
      settings_(std::move(settings)) {}

std::string PodKillInjector::Describe() const {
  std::string text = absl::StrCat("delete ", settings_.count.Describe("pod"), " matching '", settings_.selector,
                                  "' in namespace ", settings_.pod_namespace);
  if (!settings_.context.empty()) absl::StrAppend(&text, " (context ", settings_.context, ")");
  absl::StrAppend(&text, " with kubectl; nothing to undo (Kubernetes recreates them)");
  const std::vector<std::string> killed = Killed();
  if (!killed.empty()) absl::StrAppend(&text, "; deleted ", absl::StrJoin(killed, ", "));
  return text;
}

absl::StatusOr<std::vector<std::string>> PodKillInjector::Candidates(const std::string& output) const {
  std::vector<std::string> pods = ParsePodNames(output);
  for (const std::string& pod : pods) {
    if (!IsPlausiblePodName(pod)) {
      return absl::FailedPreconditionError(
          absl::StrCat("fault '", settings_.name, "': kubectl listed a pod name that is not one: '", pod, "'"));
    }
  }
  return pods;
}

std::string PodKillInjector::Selection() const {
  return absl::StrCat("'", settings_.selector, "' in namespace ", settings_.pod_namespace);
}

std::string PodKillInjector::KilledName(const std::string& pod) const {
  return absl::StrCat(settings_.pod_namespace, "/", pod);
}

std::vector<std::string> PodKillInjector::Touches() const {
  return {absl::StrCat("Kubernetes pods matching '", settings_.selector, "' in namespace ", settings_.pod_namespace,
                       settings_.context.empty() ? "" : absl::StrCat(" (context ", settings_.context, ")"),
                       ": ", settings_.count.Describe("pod"), " deleted")};
}

}  // namespace faultdrill::injectors
