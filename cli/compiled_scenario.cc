#include "cli/compiled_scenario.h"

#include "injectors/load_hook.h"

#include <arpa/inet.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "load/jsonl_requests.h"
#include "load/request_generator.h"

namespace faultdrill::cli {
namespace {

std::string HostOf(const std::string& endpoint) {
  if (absl::StartsWith(endpoint, "[")) {  // [::1]:8001
    auto close = endpoint.find(']');
    return close == std::string::npos ? endpoint : endpoint.substr(1, close - 1);
  }
  auto colon = endpoint.rfind(':');
  return colon == std::string::npos ? endpoint : endpoint.substr(0, colon);
}

// Only addresses, not names that merely start like one ("127.0.0.1.example.com").
bool IsLoopback(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr v4{};
  return ::inet_pton(AF_INET, host.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

absl::Status CheckTarget(const Scenario& scenario) {
  const TargetSpec& target = scenario.target;
  if (!target.embedded && !EndpointAllowed(target.endpoint, target.allow_hosts)) {
    return LocatedError(target.where,
                        absl::StrCat("target.endpoint '", target.endpoint,
                                     "' is not on loopback; list its host under target.allow_hosts "
                                     "to send drill traffic there"));
  }
  return absl::OkStatus();
}

}  // namespace

bool EndpointAllowed(const std::string& endpoint, const std::vector<std::string>& allow_hosts) {
  std::string host = HostOf(endpoint);
  if (IsLoopback(host)) return true;
  return std::find(allow_hosts.begin(), allow_hosts.end(), host) != allow_hosts.end();
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
  for (const ProbeSpec& probe : s.steady_state.probes) {
    if (probe.kind != "health") {
      return LocatedError(probe.where, absl::StrCat("unknown probe kind '", probe.kind, "' (known: health)"));
    }
    auto settings = probes::ParseHealthProbe(probe, s);
    if (!settings.ok()) return settings.status();
    compiled->steady_state_probes.push_back(*std::move(settings));
  }
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
