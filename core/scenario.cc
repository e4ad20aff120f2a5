// Scenario loading: YAML text -> located tree (yaml_document.cc) -> overrides
// (scenario_overrides.cc) -> the checks below -> an immutable Scenario. The
// first problem found is the one reported.
#include "core/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/scenario_reader.h"

namespace faultdrill {
namespace scenario_reader {

using Kind = ParamNode::Kind;



bool MatchesCharset(std::string_view text, std::string_view extra, bool upper) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (upper && c >= 'A' && c <= 'Z') ||
           extra.find(c) != std::string_view::npos;
  });
}

bool IsFaultName(std::string_view text) { return MatchesCharset(text, "._-", /*upper=*/true); }

absl::Status ExpectMap(const ParamNode& node, std::string_view context, std::string_view example) {
  if (node.kind == Kind::kMap) return absl::OkStatus();
  return LocatedError(node.where,
                      fmt::format("{}: expected a map such as {}, got {}", context, example, ParamKindName(node.kind)));
}

absl::StatusOr<Duration> PositiveDuration(const ParamReader& r, std::string_view key,
                                          std::optional<Duration> fallback) {
  FD_ASSIGN_OR_RETURN(Duration d, r.Dur(key, fallback));
  if (d <= Duration(0)) return r.Error(key, "must be greater than 0");
  return d;
}

absl::StatusOr<std::optional<Duration>> OptionalPositiveDuration(const ParamReader& r, std::string_view key) {
  if (!r.Has(key)) return std::optional<Duration>();
  FD_ASSIGN_OR_RETURN(Duration d, PositiveDuration(r, key));
  return std::optional<Duration>(d);
}

absl::StatusOr<Rate> PositiveRate(const ParamReader& r, std::string_view key) {
  FD_ASSIGN_OR_RETURN(Rate rate, r.RateValue(key));
  if (rate.per_second <= 0) return r.Error(key, "must be greater than 0/s");
  return rate;
}

bool IsEndpoint(std::string_view text) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view host = text.substr(0, colon), port = text.substr(colon + 1);
  if (host.front() == '[' ? host.back() != ']' || host.size() < 3 : host.find(':') != std::string_view::npos) {
    return false;
  }
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  int value = std::stoi(std::string(port));
  return value >= 1 && value <= 65535;
}

absl::StatusOr<LaunchSpec> ReadLaunch(const ParamNode& node, std::string_view context) {
  ParamReader r(node, std::string(context));
  FD_RETURN_IF_ERROR(r.CheckKnownKeys({"command", "ready_timeout", "env"}));
  LaunchSpec launch;
  launch.where = node.where;
  FD_ASSIGN_OR_RETURN(launch.command, r.StringList("command"));
  if (launch.command.empty()) return r.Error("command", "must not be empty: give the program and its arguments");
  if (launch.command[0].empty()) return r.Error("command", "the program (first element) must not be empty");
  FD_ASSIGN_OR_RETURN(launch.ready_timeout, PositiveDuration(r, "ready_timeout", std::chrono::seconds(10)));
  FD_ASSIGN_OR_RETURN(const ParamNode* env, r.Map("env"));
  if (env != nullptr) {
    for (size_t i = 0; i < env->entries.size(); ++i) {
      const auto& [name, value] = env->entries[i];
      if (!MatchesCharset(name, "_", /*upper=*/true) || (name[0] >= '0' && name[0] <= '9')) {
        return LocatedError(env->key_where[i],
                            fmt::format("{}.env: '{}' is not a valid variable name", context, name));
      }
      if (value.kind != Kind::kScalar) {
        return LocatedError(value.where, fmt::format("{}.env: {}: expected a string, got {}", context, name,
                                                     ParamKindName(value.kind)));
      }
      launch.env.emplace_back(name, value.scalar);
    }
  }
  return launch;
}

absl::Status CheckFaultExists(const ParamReader& r, std::string_view key, const std::string& name,
                              const std::vector<FaultSpec>& faults) {
  for (const FaultSpec& fault : faults) {
    if (fault.name == name) return absl::OkStatus();
  }
  if (faults.empty()) return r.Error(key, fmt::format("no fault named '{}' (the scenario has no faults)", name));
  std::string names;
  for (const FaultSpec& fault : faults) names += (names.empty() ? "" : ", ") + fault.name;
  return r.Error(key, fmt::format("no fault named '{}' (faults: {})", name, names));
}

absl::StatusOr<WindowSpec> ReadWindow(const ParamReader& r, std::string_view key, const std::vector<FaultSpec>& faults) {
  FD_ASSIGN_OR_RETURN(std::string text, r.String(key));
  absl::StatusOr<WindowSpec> spec = ParseWindowSpec(text);
  if (!spec.ok()) return r.Error(key, std::string(spec.status().message()));
  if (!spec->fault.empty()) FD_RETURN_IF_ERROR(CheckFaultExists(r, key, spec->fault, faults));
  return *spec;
}

}  // namespace scenario_reader

namespace {

using namespace scenario_reader;  // NOLINT: this file is the reader
using Kind = ParamNode::Kind;

constexpr std::string_view kThresholdKeys =
    "p50_latency, p90_latency, p99_latency, p999_latency, error_rate, min_throughput, recovery_time";

// --- target ---

absl::StatusOr<ModelCostSpec> ReadModelCost(const ParamNode& node, const std::string& model) {
  const std::string context = "target.server.cost." + model;
  FD_RETURN_IF_ERROR(ExpectMap(node, context, "{per_output_token: 2ms}"));
  ParamReader r(node, context);
  FD_RETURN_IF_ERROR(r.CheckKnownKeys({"per_batch", "per_input_token", "per_output_token"}));
  ModelCostSpec cost{.model = model};
  for (auto [key, field] : {std::pair{"per_batch", &cost.per_batch}, std::pair{"per_input_token", &cost.per_input_token},
                            std::pair{"per_output_token", &cost.per_output_token}}) {
    FD_ASSIGN_OR_RETURN(*field, r.Dur(key, Duration{0}));
    if (*field > std::chrono::seconds(60)) return r.Error(key, "must be at most 60s");
  }
  return cost;
}

absl::StatusOr<EmbeddedServerSpec> ReadEmbeddedServer(const ParamNode& node) {
  ParamReader r(node, "target.server");
  FD_RETURN_IF_ERROR(r.CheckKnownKeys({"workers", "cost"}));
  EmbeddedServerSpec server;
  server.where = node.where;
  FD_ASSIGN_OR_RETURN(server.workers, r.Int("workers", 1, 256, 2));
  FD_ASSIGN_OR_RETURN(const ParamNode* cost, r.Map("cost"));
  if (cost == nullptr) return server;
  ParamReader models(*cost, "target.server.cost");
  FD_RETURN_IF_ERROR(models.CheckKnownKeys({"tinylm", "classifier"}));
  for (const auto& [model, spec] : cost->entries) {
    FD_ASSIGN_OR_RETURN(ModelCostSpec model_cost, ReadModelCost(spec, model));
    server.cost.push_back(std::move(model_cost));
  }
  return server;
}

absl::StatusOr<TargetSpec> ReadTarget(const ParamNode& node) {
  ParamReader r(node, "target");
  FD_RETURN_IF_ERROR(
      r.CheckKnownKeys({"embedded", "endpoint", "model", "model_version", "launch", "allow_hosts", "server"}));
  TargetSpec target;
  target.where = node.where;
  FD_ASSIGN_OR_RETURN(target.embedded, r.Bool("embedded", false));
  if (r.Has("endpoint")) {
    if (target.embedded) return r.Error("endpoint", "cannot be combined with 'embedded: true'; choose one");
    FD_ASSIGN_OR_RETURN(target.endpoint, r.String("endpoint"));
    if (!IsEndpoint(target.endpoint)) {
      return r.Error("endpoint", fmt::format("'{}' is not host:port, e.g. 127.0.0.1:8001", target.endpoint));
    }
  } else if (!target.embedded) {
    return r.MapError("set either 'endpoint: host:port' or 'embedded: true'");
  }
  FD_ASSIGN_OR_RETURN(target.model, r.String("model"));
  if (target.model.empty()) return r.Error("model", "must not be empty");
  FD_ASSIGN_OR_RETURN(target.model_version, r.String("model_version", ""));
  FD_ASSIGN_OR_RETURN(const ParamNode* launch, r.Map("launch"));
  if (launch != nullptr) {
    if (target.embedded) {
      return r.Error("launch", "cannot be combined with 'embedded: true' (faultdrill launches the embedded server)");
    }
    FD_ASSIGN_OR_RETURN(target.launch, ReadLaunch(*launch, "target.launch"));
  }
  FD_ASSIGN_OR_RETURN(const ParamNode* server, r.Map("server"));
  if (server != nullptr) {
    if (!target.embedded) {
      return r.Error("server", "configures the embedded reference server: only with 'embedded: true'");
    }
    FD_ASSIGN_OR_RETURN(target.server, ReadEmbeddedServer(*server));
  }
  if (r.Has("allow_hosts")) {
    FD_ASSIGN_OR_RETURN(target.allow_hosts, r.StringList("allow_hosts"));
  }
  return target;
}

// --- load ---

absl::StatusOr<GeneratorSpec> ReadGenerator(const ParamNode& node) {
  ParamReader r(node, "load.generator");
  FD_RETURN_IF_ERROR(r.CheckKnownKeys({"model", "batch", "max_tokens"}));
  GeneratorSpec generator;
  generator.where = node.where;
  FD_ASSIGN_OR_RETURN(generator.model, r.Choice("model", {"tinylm", "classifier"}));
  FD_ASSIGN_OR_RETURN(generator.batch, r.Int("batch", 1, 64, 1));
  FD_ASSIGN_OR_RETURN(generator.max_tokens, r.Int("max_tokens", 1, 256, 8));
  return generator;
}

absl::StatusOr<std::vector<RampStep>> ReadRamp(const ParamNode& list) {
  std::vector<RampStep> ramp;
  for (size_t i = 0; i < list.items.size(); ++i) {
    const ParamNode& item = list.items[i];
    std::string context = fmt::format("load.ramp[{}]", i);
    FD_RETURN_IF_ERROR(ExpectMap(item, context, "{to: 400/s, over: 20s}"));
    ParamReader r(item, context);
    FD_RETURN_IF_ERROR(r.CheckKnownKeys({"to", "over"}));
    RampStep step;
    FD_ASSIGN_OR_RETURN(step.to, PositiveRate(r, "to"));
    FD_ASSIGN_OR_RETURN(step.over, PositiveDuration(r, "over"));
    ramp.push_back(step);
  }
  return ramp;
}

// `target` is the scenario's (already read): an embedded target's own models
// have a generator by default.
absl::StatusOr<LoadSpec> ReadLoad(const ParamNode& node, const std::string& directory, const TargetSpec& target) {
  ParamReader r(node, "load");
  FD_RETURN_IF_ERROR(
      r.CheckKnownKeys({"requests", "generator", "mode", "rate", "ramp", "concurrency", "duration", "deadline"}));
  LoadSpec load;
  load.where = node.where;

  if (r.Has("requests") && r.Has("generator")) {
    return r.Error("generator", "cannot be combined with 'requests'; choose one request source");
  }
  if (r.Has("requests")) {
    FD_ASSIGN_OR_RETURN(std::string requests, r.String("requests"));
    if (requests.empty()) return r.Error("requests", "must not be empty");
    std::filesystem::path path(requests);
    if (path.is_relative()) path = std::filesystem::path(directory) / path;
    load.requests_file = path.lexically_normal().string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(load.requests_file, ec)) {
      return r.Error(
          "requests",
          fmt::format("no such file: {} (relative paths are resolved from the scenario's folder)", load.requests_file));
    }
  } else if (r.Has("generator")) {
    FD_ASSIGN_OR_RETURN(const ParamNode* generator, r.Map("generator"));
    FD_ASSIGN_OR_RETURN(load.generator, ReadGenerator(*generator));
  } else if (target.embedded && (target.model == "tinylm" || target.model == "classifier")) {
    load.generator = GeneratorSpec{.model = target.model, .where = node.where};
  } else {
    return r.MapError(fmt::format("set either 'requests: <file.jsonl>' or 'generator: {{model: ...}}' (only an "
                                  "embedded target's own models, tinylm and classifier, have a default)"));
  }

  FD_ASSIGN_OR_RETURN(std::string mode, r.Choice("mode", {"open", "closed"}, "open"));
  load.mode = mode == "closed" ? LoadMode::kClosed : LoadMode::kOpen;
  if (load.mode == LoadMode::kOpen) {
    if (r.Has("concurrency")) return r.Error("concurrency", "only applies to 'mode: closed'; open loop uses 'rate'");
    if (!r.Has("rate")) return r.MapError("missing required key 'rate' (mode: open sends at a fixed rate, e.g. 200/s)");
    FD_ASSIGN_OR_RETURN(load.rate, PositiveRate(r, "rate"));
    FD_ASSIGN_OR_RETURN(const ParamNode* ramp, r.List("ramp"));
    if (ramp != nullptr) {
      FD_ASSIGN_OR_RETURN(load.ramp, ReadRamp(*ramp));
    }
  } else {
    if (r.Has("rate")) return r.Error("rate", "only applies to 'mode: open'; closed loop uses 'concurrency'");
    if (r.Has("ramp")) return r.Error("ramp", "only applies to 'mode: open'");
    if (!r.Has("concurrency")) {
      return r.MapError("missing required key 'concurrency' (mode: closed keeps that many requests in flight)");
    }
    FD_ASSIGN_OR_RETURN(int64_t concurrency, r.Int("concurrency", 1, 10000));
    load.concurrency = static_cast<int>(concurrency);
  }
  FD_ASSIGN_OR_RETURN(load.duration, PositiveDuration(r, "duration"));
  FD_ASSIGN_OR_RETURN(load.deadline, PositiveDuration(r, "deadline", std::chrono::seconds(2)));
  return load;
}

// --- faults ---

absl::StatusOr<FaultSpec> ReadFault(const ParamNode& node, size_t index, Duration run_length) {
  std::string context = fmt::format("faults[{}]", index);
  FD_RETURN_IF_ERROR(ExpectMap(node, context, "{kind: process-kill, at: 10s}"));
  FaultSpec fault;
  fault.where = node.where;
  ParamReader r(node, context);
  FD_ASSIGN_OR_RETURN(fault.kind, r.String("kind"));
  if (!MatchesCharset(fault.kind, "-", /*upper=*/false)) {
    return r.Error("kind", fmt::format("'{}' is not a fault kind (lowercase letters, digits and '-')", fault.kind));
  }
  FD_ASSIGN_OR_RETURN(fault.name, r.String("name", ""));
  if (r.Has("name") && !IsFaultName(fault.name)) {
    return r.Error("name", fmt::format("'{}' may hold only letters, digits, '.', '_' and '-'", fault.name));
  }
  ParamReader named(
      node, fmt::format("{} {}({})", context, fault.name.empty() ? "" : fmt::format("'{}' ", fault.name), fault.kind));
  FD_ASSIGN_OR_RETURN(fault.at, named.Dur("at"));
  if (fault.at >= run_length) {
    return named.Error(
        "at",
        fmt::format("{} is not before the end of the load (load.duration {}); a fault must start while the load runs",
                    FormatDuration(fault.at), FormatDuration(run_length)));
  }
  FD_ASSIGN_OR_RETURN(fault.duration, OptionalPositiveDuration(named, "for"));
  if (fault.duration.has_value() && *fault.duration > run_length - fault.at) {
    return named.Error(
        "for", fmt::format("the fault would end at {} + {}, after the end of the load (load.duration {})",
                           FormatDuration(fault.at), FormatDuration(*fault.duration), FormatDuration(run_length)));
  }
  fault.params.kind = Kind::kMap;
  fault.params.where = node.where;
  for (size_t i = 0; i < node.entries.size(); ++i) {
    const std::string& key = node.entries[i].first;
    if (key == "kind" || key == "name" || key == "at" || key == "for") continue;
    fault.params.entries.push_back(node.entries[i]);
    fault.params.key_where.push_back(node.key_where[i]);
  }
  return fault;
}

absl::StatusOr<std::vector<FaultSpec>> ReadFaults(const ParamNode& list, Duration run_length) {
  std::vector<FaultSpec> faults;
  std::vector<bool> named;
  for (size_t i = 0; i < list.items.size(); ++i) {
    FD_ASSIGN_OR_RETURN(FaultSpec fault, ReadFault(list.items[i], i, run_length));
    named.push_back(!fault.name.empty());
    faults.push_back(std::move(fault));
  }
  for (size_t i = 0; i < faults.size(); ++i) {
    FaultSpec& fault = faults[i];
    if (!fault.name.empty()) continue;
    auto same_kind =
        std::count_if(faults.begin(), faults.end(), [&](const FaultSpec& f) { return f.kind == fault.kind; });
    if (same_kind > 1) {
      return LocatedError(
          fault.where,
          fmt::format("faults[{}] ({}): missing 'name': kind '{}' occurs {} times, so each of them needs a unique name",
                      i, fault.kind, fault.kind, same_kind));
    }
    fault.name = fault.kind;
  }
  for (size_t i = 0; i < faults.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (faults[j].name != faults[i].name) continue;
      const ParamNode* name = list.items[i].Find("name");
      return LocatedError(named[i] ? name->where : faults[i].where,
                          fmt::format("faults[{}]: duplicate fault name '{}' (also faults[{}] at line {})", i,
                                      faults[i].name, j, faults[j].where.line));
    }
  }
  return faults;
}

// --- SLOs ---

std::string FormatPercent(double fraction) { return fmt::format("{:g}%", fraction * 100); }

std::string DefaultSloName(const SloSpec& slo) {
  std::string name = SloThresholdsText(slo);
  if (slo.window.kind != WindowSpec::Kind::kAll) name += fmt::format(" in {}", slo.window.ToString());
  return name;
}

// `faults` is null for steady-state SLOs, which have no window, recovery or fault.
absl::StatusOr<SloSpec> ReadSlo(const ParamNode& node, const std::string& context,
                                const std::vector<FaultSpec>* faults, const std::vector<ProbeSpec>& probes) {
  FD_RETURN_IF_ERROR(ExpectMap(node, context, "{p99_latency: 50ms, error_rate: 1%}"));
  ParamReader r(node, context);
  if (faults != nullptr) {
    FD_RETURN_IF_ERROR(r.CheckKnownKeys({"name", "window", "p50_latency", "p90_latency", "p99_latency", "p999_latency",
                                         "latency_of", "error_rate", "min_throughput", "recovery_time", "fault", "probe",
                                         "value", "max", "min", "stat"}));
  } else {
    FD_RETURN_IF_ERROR(r.CheckKnownKeys({"name", "p50_latency", "p90_latency", "p99_latency", "p999_latency",
                                         "latency_of", "error_rate", "min_throughput", "probe", "value", "max", "min",
                                         "stat", "continuous"}));
  }
  SloSpec slo;
  slo.where = node.where;
  FD_ASSIGN_OR_RETURN(slo.name, r.String("name", ""));
  if (r.Has("name") && slo.name.empty()) return r.Error("name", "must not be empty");
  FD_ASSIGN_OR_RETURN(slo.p50_latency, OptionalPositiveDuration(r, "p50_latency"));
  FD_ASSIGN_OR_RETURN(slo.p90_latency, OptionalPositiveDuration(r, "p90_latency"));
  FD_ASSIGN_OR_RETURN(slo.p99_latency, OptionalPositiveDuration(r, "p99_latency"));
  FD_ASSIGN_OR_RETURN(slo.p999_latency, OptionalPositiveDuration(r, "p999_latency"));
  if (r.Has("latency_of")) {
    FD_ASSIGN_OR_RETURN(std::string of, r.Choice("latency_of", {"ok", "all"}));
    if (!slo.p50_latency && !slo.p90_latency && !slo.p99_latency && !slo.p999_latency) {
      return r.Error("latency_of",
                     "applies to latency thresholds only: set p50_latency, p90_latency, p99_latency or p999_latency "
                     "in the same SLO");
    }
    slo.latency_of = of == "all" ? LatencyOf::kAll : LatencyOf::kOk;
  }
  if (r.Has("error_rate")) {
    FD_ASSIGN_OR_RETURN(slo.error_rate, r.Percent("error_rate"));
  }
  if (r.Has("min_throughput")) {
    FD_ASSIGN_OR_RETURN(slo.min_throughput, PositiveRate(r, "min_throughput"));
  }
  FD_ASSIGN_OR_RETURN(slo.probe, ReadProbeThreshold(r, probes));
  if (faults != nullptr) {
    FD_ASSIGN_OR_RETURN(slo.recovery_time, OptionalPositiveDuration(r, "recovery_time"));
    if (r.Has("fault")) {
      if (!slo.recovery_time) return r.Error("fault", "only applies together with 'recovery_time'");
      FD_ASSIGN_OR_RETURN(slo.recovery_fault, r.String("fault"));
      FD_RETURN_IF_ERROR(CheckFaultExists(r, "fault", slo.recovery_fault, *faults));
    }
    if (r.Has("window")) {
      FD_ASSIGN_OR_RETURN(slo.window, ReadWindow(r, "window", *faults));
    }
  } else {
    FD_ASSIGN_OR_RETURN(slo.continuous, r.Bool("continuous", false));
    if (slo.continuous && (slo.p50_latency || slo.p90_latency || slo.p99_latency || slo.p999_latency ||
                           slo.error_rate || slo.min_throughput)) {
      return r.Error("continuous",
                     "applies to probe values only (probe, value, max/min); to stop a drill whose error rate or "
                     "latency goes wrong while it runs, use abort_when");
    }
    if (slo.continuous && !slo.probe) return r.Error("continuous", "needs 'probe' and 'value' to check");
  }
  if (!slo.p50_latency && !slo.p90_latency && !slo.p99_latency && !slo.p999_latency && !slo.error_rate &&
      !slo.min_throughput && !slo.recovery_time && !slo.probe) {
    return r.MapError(fmt::format(
        "no threshold: set at least one of {}, or probe+value+max/min",
        faults != nullptr ? kThresholdKeys : kThresholdKeys.substr(0, kThresholdKeys.rfind(','))));
  }
  slo.named = !slo.name.empty();
  if (!slo.named) slo.name = DefaultSloName(slo);
  return slo;
}

absl::Status CheckUniqueSloNames(const std::vector<SloSpec>& slos, const ParamNode& list, std::string_view section) {
  for (size_t i = 0; i < slos.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (slos[i].name != slos[j].name) continue;
      const ParamNode* slo_node = &list.items[i];
      if (const ParamNode* inner = slo_node->Find("slo")) slo_node = inner;  // steady_state: {slo: {...}}
      const ParamNode* name = slo_node->Find("name");
      return LocatedError(name != nullptr ? name->where : slos[i].where,
                          fmt::format("{}: duplicate SLO name '{}' (also at line {}); give each SLO a distinct 'name'",
                                      section, slos[i].name, slos[j].where.line));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<SloSpec>> ReadSlos(const ParamNode& list, const std::vector<FaultSpec>& faults,
                                              const std::vector<ProbeSpec>& probes) {
  std::vector<SloSpec> slos;
  for (size_t i = 0; i < list.items.size(); ++i) {
    FD_ASSIGN_OR_RETURN(SloSpec slo, ReadSlo(list.items[i], fmt::format("slos[{}]", i), &faults, probes));
    slos.push_back(std::move(slo));
  }
  FD_RETURN_IF_ERROR(CheckUniqueSloNames(slos, list, "slos"));
  return slos;
}

// --- steady state ---

// `- probe: {kind: health}` (an inline probe, checked before and after, and
// sampled through the run with `continuous: true` beside it), `- probe: NAME`
// (the healthy check of a probe from `probes:`), or `- slo: {...}`.
absl::StatusOr<SteadyStateSpec> ReadSteadyState(const ParamNode& list, const std::vector<ProbeSpec>& probes) {
  SteadyStateSpec steady;
  for (size_t i = 0; i < list.items.size(); ++i) {
    const ParamNode& item = list.items[i];
    std::string context = fmt::format("steady_state[{}]", i);
    FD_RETURN_IF_ERROR(ExpectMap(item, context, "{probe: {kind: health}} or {slo: {p99_latency: 50ms}}"));
    ParamReader r(item, context);
    FD_RETURN_IF_ERROR(r.CheckKnownKeys({"probe", "slo", "continuous"}));
    if (item.Find("probe") != nullptr && item.Find("slo") != nullptr) {
      return r.MapError("each entry holds exactly one of 'probe' or 'slo'");
    }
    if (const ParamNode* probe = item.Find("probe")) {
      ProbeSpec spec;
      if (probe->kind == Kind::kScalar) {
        const ProbeSpec* named = nullptr;
        for (const ProbeSpec& p : probes) {
          if (p.name == probe->scalar) named = &p;
        }
        if (named == nullptr) {
          return r.Error("probe", fmt::format("no probe named '{}' in 'probes:'", probe->scalar));
        }
        spec = *named;
      } else {
        FD_ASSIGN_OR_RETURN(spec, ReadProbe(*probe, context + ".probe", /*named=*/false));
      }
      FD_ASSIGN_OR_RETURN(spec.continuous, r.Bool("continuous", false));
      spec.where = probe->where;
      steady.probes.push_back(std::move(spec));
    } else if (const ParamNode* slo_node = item.Find("slo")) {
      if (r.Has("continuous")) {
        return r.Error("continuous", "for an SLO, write it inside the slo: {..., continuous: true}");
      }
      FD_ASSIGN_OR_RETURN(SloSpec slo, ReadSlo(*slo_node, context + ".slo", nullptr, probes));
      steady.slos.push_back(std::move(slo));
    } else {
      return r.MapError("each entry holds exactly one of 'probe' or 'slo'");
    }
  }
  ParamNode slo_list;  // the slo entries alone, aligned with steady.slos, for locating duplicates
  slo_list.kind = Kind::kSequence;
  for (const ParamNode& item : list.items) {
    if (item.Find("slo") != nullptr) slo_list.items.push_back(item);
  }
  FD_RETURN_IF_ERROR(CheckUniqueSloNames(steady.slos, slo_list, "steady_state"));
  // Inline probes are named by their kind; a second one of a kind gets "-2".
  for (size_t i = 0; i < steady.probes.size(); ++i) {
    int same = 1;
    for (size_t j = 0; j < i; ++j) same += steady.probes[j].name.starts_with(steady.probes[i].kind) ? 1 : 0;
    if (steady.probes[i].name.empty()) {
      steady.probes[i].name = same == 1 ? steady.probes[i].kind : fmt::format("{}-{}", steady.probes[i].kind, same);
    }
  }
  return steady;
}

// --- the whole scenario ---

absl::Status ReadScenario(const ParamNode& root, Scenario* scenario) {
  ParamReader r(root, "");
  FD_RETURN_IF_ERROR(r.CheckKnownKeys({"name", "description", "seed", "target", "load", "probes", "steady_state",
                                       "faults", "slos", "abort_when", "golden", "candidate",
                                       "capacity"}));
  FD_ASSIGN_OR_RETURN(scenario->name, r.String("name"));
  if (!MatchesCharset(scenario->name, "._-", /*upper=*/false) ||
      scenario->name.find_first_not_of('.') == std::string::npos) {
    return r.Error("name",
                   fmt::format("'{}' must be lowercase letters, digits, '.', '_' and '-' (it names the output folder)",
                               scenario->name));
  }
  FD_ASSIGN_OR_RETURN(scenario->description, r.String("description", ""));
  FD_ASSIGN_OR_RETURN(scenario->seed, r.Uint64("seed", 1));
  FD_ASSIGN_OR_RETURN(const ParamNode* target, r.Map("target", /*required=*/true));
  FD_ASSIGN_OR_RETURN(scenario->target, ReadTarget(*target));
  FD_ASSIGN_OR_RETURN(const ParamNode* load, r.Map("load", /*required=*/true));
  FD_ASSIGN_OR_RETURN(scenario->load, ReadLoad(*load, scenario->directory, scenario->target));
  FD_ASSIGN_OR_RETURN(const ParamNode* probes, r.List("probes"));
  if (probes != nullptr) {
    FD_ASSIGN_OR_RETURN(scenario->probes, ReadProbes(*probes));
  }
  FD_ASSIGN_OR_RETURN(const ParamNode* steady, r.List("steady_state"));
  if (steady != nullptr) {
    FD_ASSIGN_OR_RETURN(scenario->steady_state, ReadSteadyState(*steady, scenario->probes));
  }
  FD_ASSIGN_OR_RETURN(const ParamNode* faults, r.List("faults"));
  if (faults != nullptr) {
    FD_ASSIGN_OR_RETURN(scenario->faults, ReadFaults(*faults, scenario->load.duration));
  }
  FD_ASSIGN_OR_RETURN(const ParamNode* slos, r.List("slos"));
  if (slos != nullptr) {
    FD_ASSIGN_OR_RETURN(scenario->slos, ReadSlos(*slos, scenario->faults, scenario->probes));
  }
  if (const ParamNode* abort_when = root.Find("abort_when")) {
    FD_ASSIGN_OR_RETURN(scenario->abort_when, ReadAbortWhen(*abort_when, scenario->probes));
  }
  FD_ASSIGN_OR_RETURN(const ParamNode* golden, r.Map("golden"));
  if (golden != nullptr) {
    FD_ASSIGN_OR_RETURN(scenario->golden, ReadGolden(*golden, scenario->directory, scenario->faults));
  }
  FD_ASSIGN_OR_RETURN(const ParamNode* candidate, r.Map("candidate"));
  if (candidate != nullptr) {
    FD_ASSIGN_OR_RETURN(scenario->candidate, ReadCandidate(*candidate));
  }
  FD_ASSIGN_OR_RETURN(const ParamNode* capacity, r.Map("capacity"));
  if (capacity != nullptr) {
    FD_ASSIGN_OR_RETURN(scenario->capacity, ReadCapacity(*capacity, scenario->load));
  }
  return absl::OkStatus();
}

}  // namespace

std::string WindowSpec::ToString() const {
  switch (kind) {
    case Kind::kAll:
      return "all";
    case Kind::kBefore:
      return "before";
    case Kind::kDuring:
      return fmt::format("during({})", fault);
    case Kind::kAfter:
      return fmt::format("after({})", fault);
  }
  return "all";
}

absl::StatusOr<WindowSpec> ParseWindowSpec(std::string_view text) {
  if (text == "all") return WindowSpec{WindowSpec::Kind::kAll, ""};
  if (text == "before") return WindowSpec{WindowSpec::Kind::kBefore, ""};
  for (auto [prefix, kind] : {std::pair{std::string_view("during("), WindowSpec::Kind::kDuring},
                              std::pair{std::string_view("after("), WindowSpec::Kind::kAfter}}) {
    if (text.substr(0, prefix.size()) != prefix || text.back() != ')') continue;
    std::string_view fault = text.substr(prefix.size(), text.size() - prefix.size() - 1);
    if (IsFaultName(fault)) return WindowSpec{kind, std::string(fault)};
  }
  return absl::InvalidArgumentError(
      fmt::format("invalid window \"{}\": expected all, before, during(<fault name>) or after(<fault name>)", text));
}

const FaultSpec* Scenario::FindFault(std::string_view name) const {
  for (const FaultSpec& fault : faults) {
    if (fault.name == name) return &fault;
  }
  return nullptr;
}

const ProbeSpec* Scenario::FindProbe(std::string_view name) const {
  for (const ProbeSpec& probe : probes) {
    if (probe.name == name) return &probe;
  }
  return nullptr;
}

std::string_view LatencyOfName(LatencyOf of) { return of == LatencyOf::kAll ? "all" : "ok"; }

std::string_view ProbeStatName(ProbeThreshold::Stat stat) {
  switch (stat) {
    case ProbeThreshold::Stat::kMax:
      return "max";
    case ProbeThreshold::Stat::kMin:
      return "min";
    case ProbeThreshold::Stat::kMean:
      return "mean";
    case ProbeThreshold::Stat::kLast:
      return "last";
  }
  return "?";
}

std::string FormatQuantity(double value) {
  if (const std::optional<int64_t> whole = WholeQuantity(value)) return fmt::format("{}", *whole);
  return fmt::format("{:g}", value);
}

std::string ProbeThreshold::ToString() const {
  std::string text = fmt::format("{} of {}.{}", ProbeStatName(stat), probe, value);
  if (max) text += fmt::format(" <= {}", FormatQuantity(*max));
  if (max && min) text += " and";
  if (min) text += fmt::format(" >= {}", FormatQuantity(*min));
  return text;
}

std::string AbortCondition::ToString() const {
  std::vector<std::string> parts;
  if (error_rate) parts.push_back(fmt::format("error_rate > {:g}%", *error_rate * 100));
  if (p99_latency) parts.push_back(fmt::format("p99_latency > {}", FormatDuration(*p99_latency)));
  if (probe) {
    std::string bound = probe->max ? "> " + FormatQuantity(*probe->max) : "< " + FormatQuantity(*probe->min);
    if (probe->max && probe->min) {
      bound = fmt::format("outside [{}, {}]", FormatQuantity(*probe->min), FormatQuantity(*probe->max));
    }
    parts.push_back(fmt::format("{}.{} {}", probe->probe, probe->value, bound));
  }
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : " or ") + part;
  if (hold.count() > 0) text += fmt::format(" for {}", FormatDuration(hold));
  return text;
}

const ToleranceSpec& GoldenSpec::ToleranceFor(std::string_view output) const {
  for (const auto& [name, spec] : outputs) {
    if (name == output) return spec;
  }
  return tolerance;
}

absl::StatusOr<Scenario> ParseScenario(std::string_view yaml_text, const std::string& file_name,
                                       const std::vector<Override>& overrides) {
  FD_ASSIGN_OR_RETURN(ParamNode root, ParseYamlDocument(yaml_text, file_name));
  if (root.kind == Kind::kNull) {
    return LocatedError(root.where, "the scenario is empty; it needs at least 'name', 'target' and 'load'");
  }
  if (root.kind != Kind::kMap) {
    return LocatedError(root.where, fmt::format("expected a map of scenario keys (name, target, load, ...), got {}",
                                                ParamKindName(root.kind)));
  }
  FD_RETURN_IF_ERROR(ApplyOverrides(root, overrides));
  Scenario scenario;
  scenario.file = file_name;
  scenario.directory = std::filesystem::path(file_name).parent_path().string();
  if (scenario.directory.empty()) scenario.directory = ".";
  FD_RETURN_IF_ERROR(ReadScenario(root, &scenario));
  return scenario;
}

absl::StatusOr<Scenario> LoadScenarioFile(const std::string& path, const std::vector<Override>& overrides) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return absl::InvalidArgumentError(fmt::format("{}: no such scenario file", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return absl::InvalidArgumentError(fmt::format("{}: cannot open the scenario file", path));
  std::stringstream text;
  text << in.rdbuf();
  return ParseScenario(text.str(), path, overrides);
}

std::string SloThresholdsText(const SloSpec& slo) {
  std::vector<std::string> parts;
  auto latency = [&](std::string_view name, const std::optional<Duration>& d) {
    if (d) parts.push_back(fmt::format("{} <= {}", name, FormatDuration(*d)));
  };
  latency("p50_latency", slo.p50_latency);
  latency("p90_latency", slo.p90_latency);
  latency("p99_latency", slo.p99_latency);
  latency("p999_latency", slo.p999_latency);
  if (slo.latency_of != LatencyOf::kOk) parts.push_back(fmt::format("latency_of: {}", LatencyOfName(slo.latency_of)));
  if (slo.error_rate) parts.push_back(fmt::format("error_rate <= {}", FormatPercent(*slo.error_rate)));
  if (slo.min_throughput) parts.push_back(fmt::format("min_throughput >= {:g}/s", slo.min_throughput->per_second));
  if (slo.probe) parts.push_back(slo.probe->ToString());
  if (slo.recovery_time) {
    parts.push_back(fmt::format("recovery_time <= {}{}", FormatDuration(*slo.recovery_time),
                                slo.recovery_fault.empty() ? "" : fmt::format(" after {}", slo.recovery_fault)));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace faultdrill
