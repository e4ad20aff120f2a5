#include "cli/compiled_scenario.h"

#include "injectors/load_hook.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/allowed_hosts.h"
#include "load/jsonl_requests.h"
#include "load/request_generator.h"

namespace faultdrill::cli {
namespace {

absl::Status CheckTarget(const Scenario& scenario) {
  const TargetSpec& target = scenario.target;
  if (!target.embedded && !EndpointAllowed(target.endpoint, target.allow_hosts)) {
    return LocatedError(target.where,
                        absl::StrCat("target.endpoint '", target.endpoint,
                                     "' is not on loopback; list its host under target.allow_hosts "
                                     "to send drill traffic there"));
  }
  if (scenario.candidate && !scenario.candidate->embedded &&
      !EndpointAllowed(scenario.candidate->endpoint, target.allow_hosts)) {
    return LocatedError(scenario.candidate->where,
                        absl::StrCat("candidate.endpoint '", scenario.candidate->endpoint,
                                     "' is not on loopback; list its host under target.allow_hosts "
                                     "to send drill traffic there"));
  }
  return absl::OkStatus();
}

// Every probe a thresholds names must report the value it bounds.
absl::Status CheckProbeValue(const CompiledScenario& compiled, const ProbeThreshold& threshold) {
  const auto& specs = compiled.scenario.probes;
  for (size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].name != threshold.probe) continue;
    std::vector<std::string> names = {"healthy"};
    for (const probes::ValueInfo& value : compiled.probes[i]->Values()) names.push_back(value.name);
    if (std::find(names.begin(), names.end(), threshold.value) != names.end()) return absl::OkStatus();
    return LocatedError(threshold.where, absl::StrCat("probe '", threshold.probe, "' (", specs[i].kind,
                                                      ") has no value '", threshold.value,
                                                      "' (values: ", absl::StrJoin(names, ", "), ")"));
  }
  return LocatedError(threshold.where, absl::StrCat("no probe named '", threshold.probe, "'"));
}

absl::Status CompileProbes(CompiledScenario& compiled) {
  const Scenario& s = compiled.scenario;
  compiled.probe_context = std::make_unique<probes::ProbeContext>(probes::ProbeContext{.scenario = s});
  probes::ProbeContext& context = *compiled.probe_context;
  context.target_endpoint = [info = &compiled.target_info] { return info->endpoint(); };
  context.target_metrics_url = [info = &compiled.target_info] { return info->metrics_url(); };
  context.launched_log = [info = &compiled.target_info] { return info->log(); };
  context.launched_pid = [targets = &compiled.targets]() -> std::optional<int> {
    injectors::TargetProcess* process = targets->launched();
    if (process == nullptr || process->pid() <= 0) return std::nullopt;
    return static_cast<int>(process->pid());
  };
  for (const ProbeSpec& spec : s.probes) {
    auto probe = probes::Registry::Default().Create(spec, context);
    if (!probe.ok()) return probe.status();
    compiled.probes.push_back(*std::move(probe));
  }
  for (const ProbeSpec& spec : s.steady_state.probes) {
    auto probe = probes::Registry::Default().Create(spec, context);
    if (!probe.ok()) return probe.status();
    compiled.steady_state_probes.push_back(*std::move(probe));
    std::unique_ptr<probes::Probe> sampled;
    if (spec.continuous) {
      auto second = probes::Registry::Default().Create(spec, context);
      if (!second.ok()) return second.status();
      sampled = *std::move(second);
    }
    compiled.continuous_probes.push_back(std::move(sampled));
  }
  std::vector<const ProbeThreshold*> thresholds;
  for (const SloSpec& slo : s.slos) {
    if (slo.probe) thresholds.push_back(&*slo.probe);
  }
  for (const SloSpec& slo : s.steady_state.slos) {
    if (slo.probe) thresholds.push_back(&*slo.probe);
  }
  for (const AbortCondition& condition : s.abort_when) {
    if (condition.probe) thresholds.push_back(&*condition.probe);
  }
  for (const ProbeThreshold* threshold : thresholds) {
    if (absl::Status status = CheckProbeValue(compiled, *threshold); !status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace

void TargetInfo::Set(std::string endpoint, std::string metrics_url, std::string log) {
  std::lock_guard lock(mu_);
  endpoint_ = std::move(endpoint);
  metrics_url_ = std::move(metrics_url);
  log_ = std::move(log);
}

std::string TargetInfo::endpoint() const {
  std::lock_guard lock(mu_);
  return endpoint_;
}

std::string TargetInfo::metrics_url() const {
  std::lock_guard lock(mu_);
  return metrics_url_;
}

std::string TargetInfo::log() const {
  std::lock_guard lock(mu_);
  return log_;
}

absl::StatusOr<std::unique_ptr<CompiledScenario>> CompileScenario(const std::string& path,
                                                                  const CompileOptions& options) {
  auto scenario = LoadScenarioFile(path, options.overrides);
  if (!scenario.ok()) return scenario.status();
  auto compiled = std::make_unique<CompiledScenario>();
  compiled->scenario = *std::move(scenario);
  Scenario& s = compiled->scenario;
  if (options.seed) s.seed = *options.seed;
  if (absl::Status status = CheckTarget(s); !status.ok()) return status;

  injectors::InjectorContext context{s, compiled->targets, compiled->run};
  std::vector<TimelineFault> timeline_faults;
  for (const FaultSpec& fault : s.faults) {
    auto injector = injectors::Registry::Default().Create(fault, context);
    if (!injector.ok()) return injector.status();
    timeline_faults.push_back({fault.name, fault.kind, fault.at, (*injector)->ActiveFor()});
    compiled->injectors.push_back(*std::move(injector));
  }
  if (absl::Status status = CompileProbes(*compiled); !status.ok()) return status;
  auto requests = s.load.generator
                      ? load::MakeGenerator(*s.load.generator, s.target.model, s.target.model_version, s.seed)
                      : load::LoadJsonlRequests(s.load.requests_file, s.target.model, s.target.model_version);
  if (!requests.ok()) {
    // JSONL errors already name path:line; a generator error is the scenario's.
    if (s.load.generator) return LocatedError(s.load.generator->where, std::string(requests.status().message()));
    return requests.status();
  }
  compiled->requests = *std::move(requests);
  // Faults that act on the load's own requests build what they send now, so
  // that `validate` reports their problems too.
  for (size_t i = 0; i < compiled->injectors.size(); ++i) {
    auto* hook = dynamic_cast<injectors::LoadHook*>(compiled->injectors[i].get());
    if (hook == nullptr) continue;
    if (absl::Status status = hook->PrepareRequests(*compiled->requests); !status.ok()) {
      return LocatedError(s.faults[i].where, std::string(status.message()));
    }
  }
  auto timeline = Timeline::Compile(s.load.duration, std::move(timeline_faults));
  if (!timeline.ok()) return LocatedError(s.load.where, std::string(timeline.status().message()));
  compiled->timeline = *std::move(timeline);
  return compiled;
}

}  // namespace faultdrill::cli
