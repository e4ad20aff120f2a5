// Scenario loading: YAML text -> located tree (yaml_document.cc) -> overrides
// (scenario_overrides.cc) -> the checks below -> an immutable Scenario. The
// first problem found is the one reported.
#include "core/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

// Local to this file: the `if (!s.ok()) return s;` rhythm, compressed.
#define FD_RETURN_IF_ERROR(expr)                       \
  do {                                                 \
    if (absl::Status s_ = (expr); !s_.ok()) return s_; \
  } while (0)

#define FD_CONCAT_INNER(a, b) a##b
#define FD_CONCAT(a, b) FD_CONCAT_INNER(a, b)
#define FD_ASSIGN_OR_RETURN(lhs, expr) FD_ASSIGN_OR_RETURN_IMPL(FD_CONCAT(status_or_, __LINE__), lhs, expr)
#define FD_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = *std::move(tmp)

namespace faultdrill {
namespace {

using Kind = ParamNode::Kind;

constexpr std::string_view kThresholdKeys =
    "p50_latency, p90_latency, p99_latency, p999_latency, error_rate, min_throughput, recovery_time";

bool MatchesCharset(std::string_view text, std::string_view extra, bool upper) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (upper && c >= 'A' && c <= 'Z') ||
           extra.find(c) != std::string_view::npos;
  });
}

bool IsFaultName(std::string_view text) { return MatchesCharset(text, "._-", /*upper=*/true); }

// A list element that must be a map.
absl::Status ExpectMap(const ParamNode& node, std::string_view context, std::string_view example) {
  if (node.kind == Kind::kMap) return absl::OkStatus();
  return LocatedError(node.where,
                      fmt::format("{}: expected a map such as {}, got {}", context, example, ParamKindName(node.kind)));
}

absl::StatusOr<Duration> PositiveDuration(const ParamReader& r, std::string_view key,
                                          std::optional<Duration> fallback = std::nullopt) {
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

// "host:port" or "[v6]:port".
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

std::string FaultNames(const std::vector<FaultSpec>& faults) {
  if (faults.empty()) return "the scenario has no faults";
  std::vector<std::string_view> names;
  for (const FaultSpec& fault : faults) names.push_back(fault.name);
  return fmt::format("faults: {}", fmt::join(names, ", "));
}

// --- target ---

absl::StatusOr<LaunchSpec> ReadLaunch(const ParamNode& node) {
  ParamReader r(node, "target.launch");
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
                            fmt::format("target.launch.env: '{}' is not a valid variable name", name));
      }
      if (value.kind != Kind::kScalar) {
        return LocatedError(value.where, fmt::format("target.launch.env: {}: expected a string, got {}", name,
                                                     ParamKindName(value.kind)));
      }
      launch.env.emplace_back(name, value.scalar);
    }
  }
  return launch;
}

absl::StatusOr<TargetSpec> ReadTarget(const ParamNode& node) {
  ParamReader r(node, "target");
  FD_RETURN_IF_ERROR(r.CheckKnownKeys({"embedded", "endpoint", "model", "model_version", "launch", "allow_hosts"}));
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
    FD_ASSIGN_OR_RETURN(target.launch, ReadLaunch(*launch));
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

absl::StatusOr<LoadSpec> ReadLoad(const ParamNode& node, const std::string& directory) {
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
  } else {
    return r.MapError("set either 'requests: <file.jsonl>' or 'generator: {model: ...}'");
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

absl::Status CheckFaultExists(const ParamReader& r, std::string_view key, const std::string& name,
                              const std::vector<FaultSpec>& faults) {
  for (const FaultSpec& fault : faults) {
    if (fault.name == name) return absl::OkStatus();
  }
  return r.Error(key, fmt::format("no fault named '{}' ({})", name, FaultNames(faults)));
}

// `faults` is null for steady-state SLOs, which have no window, recovery or fault.
absl::StatusOr<SloSpec> ReadSlo(const ParamNode& node, const std::string& context,
                                const std::vector<FaultSpec>* faults) {
  FD_RETURN_IF_ERROR(ExpectMap(node, context, "{p99_latency: 50ms, error_rate: 1%}"));
  ParamReader r(node, context);
  if (faults != nullptr) {
    FD_RETURN_IF_ERROR(r.CheckKnownKeys({"name", "window", "p50_latency", "p90_latency", "p99_latency", "p999_latency",
                                         "error_rate", "min_throughput", "recovery_time", "fault"}));
  } else {
    FD_RETURN_IF_ERROR(r.CheckKnownKeys(
        {"name", "p50_latency", "p90_latency", "p99_latency", "p999_latency", "error_rate", "min_throughput"}));
  }
  SloSpec slo;
  slo.where = node.where;
  FD_ASSIGN_OR_RETURN(slo.name, r.String("name", ""));
  if (r.Has("name") && slo.name.empty()) return r.Error("name", "must not be empty");
  FD_ASSIGN_OR_RETURN(slo.p50_latency, OptionalPositiveDuration(r, "p50_latency"));
  FD_ASSIGN_OR_RETURN(slo.p90_latency, OptionalPositiveDuration(r, "p90_latency"));
  FD_ASSIGN_OR_RETURN(slo.p99_latency, OptionalPositiveDuration(r, "p99_latency"));
  FD_ASSIGN_OR_RETURN(slo.p999_latency, OptionalPositiveDuration(r, "p999_latency"));
  if (r.Has("error_rate")) {
    FD_ASSIGN_OR_RETURN(slo.error_rate, r.Percent("error_rate"));
  }
  if (r.Has("min_throughput")) {
    FD_ASSIGN_OR_RETURN(slo.min_throughput, PositiveRate(r, "min_throughput"));
  }
  if (faults != nullptr) {
    FD_ASSIGN_OR_RETURN(slo.recovery_time, OptionalPositiveDuration(r, "recovery_time"));
    if (r.Has("fault")) {
      if (!slo.recovery_time) return r.Error("fault", "only applies together with 'recovery_time'");
      FD_ASSIGN_OR_RETURN(slo.recovery_fault, r.String("fault"));
      FD_RETURN_IF_ERROR(CheckFaultExists(r, "fault", slo.recovery_fault, *faults));
    }
    if (r.Has("window")) {
      FD_ASSIGN_OR_RETURN(std::string window, r.String("window"));
      absl::StatusOr<WindowSpec> spec = ParseWindowSpec(window);
      if (!spec.ok()) return r.Error("window", std::string(spec.status().message()));
      slo.window = *spec;
      if (!slo.window.fault.empty()) FD_RETURN_IF_ERROR(CheckFaultExists(r, "window", slo.window.fault, *faults));
    }
  }
  if (!slo.p50_latency && !slo.p90_latency && !slo.p99_latency && !slo.p999_latency && !slo.error_rate &&
      !slo.min_throughput && !slo.recovery_time) {
    return r.MapError(
        fmt::format("no threshold: set at least one of {}",
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

absl::StatusOr<std::vector<SloSpec>> ReadSlos(const ParamNode& list, const std::vector<FaultSpec>& faults) {
  std::vector<SloSpec> slos;
  for (size_t i = 0; i < list.items.size(); ++i) {
    FD_ASSIGN_OR_RETURN(SloSpec slo, ReadSlo(list.items[i], fmt::format("slos[{}]", i), &faults));
    slos.push_back(std::move(slo));
  }
  FD_RETURN_IF_ERROR(CheckUniqueSloNames(slos, list, "slos"));
  return slos;
}

// --- steady state ---

absl::StatusOr<ProbeSpec> ReadProbe(const ParamNode& node, const std::string& context) {
  FD_RETURN_IF_ERROR(ExpectMap(node, context, "{kind: health}"));
  ParamReader r(node, context);
  ProbeSpec probe;
  probe.where = node.where;
  FD_ASSIGN_OR_RETURN(probe.kind, r.String("kind"));
  if (!MatchesCharset(probe.kind, "-", /*upper=*/false)) {
    return r.Error("kind", fmt::format("'{}' is not a probe kind (lowercase letters, digits and '-')", probe.kind));
  }
  probe.params.kind = Kind::kMap;
  probe.params.where = node.where;
  for (size_t i = 0; i < node.entries.size(); ++i) {
    if (node.entries[i].first == "kind") continue;
    probe.params.entries.push_back(node.entries[i]);
    probe.params.key_where.push_back(node.key_where[i]);
  }
  return probe;
}

absl::StatusOr<SteadyStateSpec> ReadSteadyState(const ParamNode& list) {
  SteadyStateSpec steady;
  for (size_t i = 0; i < list.items.size(); ++i) {
    const ParamNode& item = list.items[i];
    std::string context = fmt::format("steady_state[{}]", i);
    FD_RETURN_IF_ERROR(ExpectMap(item, context, "{probe: {kind: health}} or {slo: {p99_latency: 50ms}}"));
    ParamReader r(item, context);
    FD_RETURN_IF_ERROR(r.CheckKnownKeys({"probe", "slo"}));
    if (item.entries.size() != 1) return r.MapError("each entry holds exactly one of 'probe' or 'slo'");
    if (const ParamNode* probe = item.Find("probe")) {
      FD_ASSIGN_OR_RETURN(ProbeSpec spec, ReadProbe(*probe, context + ".probe"));
      steady.probes.push_back(std::move(spec));
    } else {
      FD_ASSIGN_OR_RETURN(SloSpec slo, ReadSlo(*item.Find("slo"), context + ".slo", nullptr));
      steady.slos.push_back(std::move(slo));
    }
  }
  ParamNode slo_list;  // the slo entries alone, aligned with steady.slos, for locating duplicates
  slo_list.kind = Kind::kSequence;
  for (const ParamNode& item : list.items) {
    if (item.Find("slo") != nullptr) slo_list.items.push_back(item);
  }
  FD_RETURN_IF_ERROR(CheckUniqueSloNames(steady.slos, slo_list, "steady_state"));
  return steady;
}

// --- the whole scenario ---

absl::Status ReadScenario(const ParamNode& root, Scenario* scenario) {
  ParamReader r(root, "");
  FD_RETURN_IF_ERROR(
      r.CheckKnownKeys({"name", "description", "seed", "target", "load", "steady_state", "faults", "slos"}));
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
  FD_ASSIGN_OR_RETURN(scenario->load, ReadLoad(*load, scenario->directory));
  FD_ASSIGN_OR_RETURN(const ParamNode* steady, r.List("steady_state"));
  if (steady != nullptr) {
    FD_ASSIGN_OR_RETURN(scenario->steady_state, ReadSteadyState(*steady));
  }
  FD_ASSIGN_OR_RETURN(const ParamNode* faults, r.List("faults"));
  if (faults != nullptr) {
    FD_ASSIGN_OR_RETURN(scenario->faults, ReadFaults(*faults, scenario->load.duration));
  }
  FD_ASSIGN_OR_RETURN(const ParamNode* slos, r.List("slos"));
  if (slos != nullptr) {
    FD_ASSIGN_OR_RETURN(scenario->slos, ReadSlos(*slos, scenario->faults));
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
  if (slo.error_rate) parts.push_back(fmt::format("error_rate <= {}", FormatPercent(*slo.error_rate)));
  if (slo.min_throughput) parts.push_back(fmt::format("min_throughput >= {:g}/s", slo.min_throughput->per_second));
  if (slo.recovery_time) {
    parts.push_back(fmt::format("recovery_time <= {}{}", FormatDuration(*slo.recovery_time),
                                slo.recovery_fault.empty() ? "" : fmt::format(" after {}", slo.recovery_fault)));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace faultdrill
