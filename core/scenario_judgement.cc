// The scenario's judgement sections: `probes:`, probe thresholds (in SLOs,
// steady-state checks and abort conditions), `abort_when:`, `golden:`,
// `candidate:` and `capacity:`. Same conventions as core/scenario.cc: the
// first problem is reported as file:line:col.
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <filesystem>

#include "core/scenario_reader.h"

namespace faultdrill::scenario_reader {
namespace {

using Kind = ParamNode::Kind;

constexpr std::string_view kQuantityForms =
    "expected a number, a size such as 512MiB, a percentage such as 80% or a duration such as 250ms (in seconds)";

// A number in the probe value's unit: "0.5", "512MiB" (bytes), "80%" (80),
// "250ms" (0.25).
absl::StatusOr<double> ReadQuantity(const ParamReader& r, std::string_view key) {
  const ParamNode* node = r.Find(key);
  if (node->kind != Kind::kScalar || node->scalar.empty()) return r.Error(key, kQuantityForms);
  const std::string& text = node->scalar;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size()) {
    if (!std::isfinite(value)) return r.Error(key, "must be a finite number");
    return value;
  }
  if (text.back() == '%') {
    auto [pend, pec] = std::from_chars(text.data(), text.data() + text.size() - 1, value);
    if (pec == std::errc() && pend == text.data() + text.size() - 1 && std::isfinite(value)) return value;
    return r.Error(key, kQuantityForms);
  }
  if (absl::StatusOr<uint64_t> bytes = ParseBytes(text); bytes.ok()) return static_cast<double>(*bytes);
  if (absl::StatusOr<Duration> d = ParseDuration(text); d.ok()) return ToSeconds(*d);
  return r.Error(key, fmt::format("'{}': {}", text, kQuantityForms));
}

bool IsValueName(std::string_view text) { return MatchesCharset(text, "_", /*upper=*/false); }

absl::StatusOr<ToleranceSpec> ReadTolerance(const ParamNode& node, const std::string& context) {
  FD_RETURN_IF_ERROR(ExpectMap(node, context, "{abs: 1e-5, rel: 1e-4}"));
  ParamReader r(node, context);
  FD_RETURN_IF_ERROR(r.CheckKnownKeys({"abs", "rel", "ulp", "exact", "top_k", "argmax", "max_edit_distance"}));
  ToleranceSpec t;
  t.where = node.where;
  if (r.Has("abs")) {
    FD_ASSIGN_OR_RETURN(t.abs, r.Double("abs", 0, 1e300));
  }
  if (r.Has("rel")) {
    FD_ASSIGN_OR_RETURN(t.rel, r.Double("rel", 0, 1e300));
  }
  if (r.Has("ulp")) {
    FD_ASSIGN_OR_RETURN(t.ulp, r.Uint64("ulp"));
  }
  FD_ASSIGN_OR_RETURN(t.exact, r.Bool("exact", false));
  if (t.exact && (t.abs || t.rel || t.ulp)) {
    return r.Error("exact", "cannot be combined with abs, rel or ulp (exact means bit for bit)");
  }
  if (r.Has("top_k")) {
    FD_ASSIGN_OR_RETURN(int64_t k, r.Int("top_k", 1, 1 << 20));
    t.top_k = static_cast<int>(k);
  }
  FD_ASSIGN_OR_RETURN(t.argmax, r.Bool("argmax", false));
  if (r.Has("max_edit_distance")) {
    FD_ASSIGN_OR_RETURN(t.max_edit_distance, r.Uint64("max_edit_distance"));
  }
  return t;
}

absl::StatusOr<AbortCondition> ReadAbortCondition(const ParamNode& node, const std::string& context,
                                                  const std::vector<ProbeSpec>& probes) {
  FD_RETURN_IF_ERROR(ExpectMap(node, context, "{error_rate: 50%, for: 10s}"));
  ParamReader r(node, context);
  FD_RETURN_IF_ERROR(r.CheckKnownKeys({"error_rate", "p99_latency", "probe", "value", "max", "min", "for"}));
  AbortCondition c;
  c.where = node.where;
  if (r.Has("error_rate")) {
    FD_ASSIGN_OR_RETURN(c.error_rate, r.Percent("error_rate"));
  }
  FD_ASSIGN_OR_RETURN(c.p99_latency, OptionalPositiveDuration(r, "p99_latency"));
  FD_ASSIGN_OR_RETURN(c.probe, ReadProbeThreshold(r, probes));
  if (c.probe && c.probe->stat != ProbeThreshold::Stat::kMax && c.probe->stat != ProbeThreshold::Stat::kMin) {
    return r.Error("probe", "an abort condition judges every sample; 'stat' does not apply");
  }
  FD_ASSIGN_OR_RETURN(c.hold, r.Dur("for", Duration(0)));
  int set = (c.error_rate ? 1 : 0) + (c.p99_latency ? 1 : 0) + (c.probe ? 1 : 0);
  if (set == 0) return r.MapError("no condition: set one of error_rate, p99_latency, or probe+value+max/min");
  if (set > 1) {
    return r.MapError("one condition per entry: write several entries in a list to stop on any of them");
  }
  return c;
}

}  // namespace

absl::StatusOr<std::optional<ProbeThreshold>> ReadProbeThreshold(const ParamReader& r,
                                                                 const std::vector<ProbeSpec>& probes) {
  if (!r.Has("probe")) {
    for (std::string_view key : {"value", "max", "min", "stat"}) {
      if (r.Has(key)) return r.Error(key, "only applies together with 'probe' (the name of a probe in 'probes:')");
    }
    return std::optional<ProbeThreshold>();
  }
  ProbeThreshold t;
  t.where = r.Find("probe")->where;
  FD_ASSIGN_OR_RETURN(t.probe, r.String("probe"));
  bool known = false;
  std::string names;
  for (const ProbeSpec& p : probes) {
    known = known || p.name == t.probe;
    names += (names.empty() ? "" : ", ") + p.name;
  }
  if (!known) {
    return r.Error("probe", fmt::format("no probe named '{}' ({})", t.probe,
                                        probes.empty() ? "the scenario has no 'probes:' section"
                                                       : "probes: " + names));
  }
  FD_ASSIGN_OR_RETURN(t.value, r.String("value"));
  if (!IsValueName(t.value)) {
    return r.Error("value", fmt::format("'{}' is not a value name (lowercase letters, digits and '_')", t.value));
  }
  if (r.Has("max")) {
    FD_ASSIGN_OR_RETURN(t.max, ReadQuantity(r, "max"));
  }
  if (r.Has("min")) {
    FD_ASSIGN_OR_RETURN(t.min, ReadQuantity(r, "min"));
  }
  if (!t.max && !t.min) return r.MapError("'probe' needs a bound: 'max' (at most) or 'min' (at least)");
  if (t.max && t.min && *t.min > *t.max) return r.Error("min", "is greater than 'max'");
  t.stat = t.max ? ProbeThreshold::Stat::kMax : ProbeThreshold::Stat::kMin;
  if (r.Has("stat")) {
    FD_ASSIGN_OR_RETURN(std::string stat, r.Choice("stat", {"max", "min", "mean", "last"}));
    t.stat = stat == "max"    ? ProbeThreshold::Stat::kMax
             : stat == "min"  ? ProbeThreshold::Stat::kMin
             : stat == "mean" ? ProbeThreshold::Stat::kMean
                              : ProbeThreshold::Stat::kLast;
  }
  return std::optional<ProbeThreshold>(std::move(t));
}

absl::StatusOr<ProbeSpec> ReadProbe(const ParamNode& node, const std::string& context, bool named) {
  FD_RETURN_IF_ERROR(ExpectMap(node, context, named ? "{name: server, kind: process}" : "{kind: health}"));
  ParamReader r(node, context);
  ProbeSpec probe;
  probe.where = node.where;
  FD_ASSIGN_OR_RETURN(probe.kind, r.String("kind"));
  if (!MatchesCharset(probe.kind, "-", /*upper=*/false)) {
    return r.Error("kind", fmt::format("'{}' is not a probe kind (lowercase letters, digits and '-')", probe.kind));
  }
  if (named) {
    FD_ASSIGN_OR_RETURN(probe.name, r.String("name", probe.kind));
    if (!MatchesCharset(probe.name, "_-", /*upper=*/false)) {
      return r.Error(r.Has("name") ? "name" : "kind",
                     fmt::format("'{}' is not a probe name (lowercase letters, digits, '_' and '-')", probe.name));
    }
  } else {
    FD_ASSIGN_OR_RETURN(probe.name, r.String("name", ""));
    if (r.Has("name") && !MatchesCharset(probe.name, "_-", /*upper=*/false)) {
      return r.Error("name", fmt::format("'{}' is not a probe name (lowercase letters, digits, '_' and '-')",
                                         probe.name));
    }
  }
  FD_ASSIGN_OR_RETURN(probe.interval, PositiveDuration(r, "interval", std::chrono::seconds(1)));
  if (probe.interval < std::chrono::milliseconds(10)) return r.Error("interval", "must be at least 10ms");
  probe.params.kind = Kind::kMap;
  probe.params.where = node.where;
  for (size_t i = 0; i < node.entries.size(); ++i) {
    const std::string& key = node.entries[i].first;
    if (key == "kind" || key == "name" || key == "interval") continue;
    probe.params.entries.push_back(node.entries[i]);
    probe.params.key_where.push_back(node.key_where[i]);
  }
  return probe;
}

absl::StatusOr<std::vector<ProbeSpec>> ReadProbes(const ParamNode& list) {
  std::vector<ProbeSpec> probes;
  for (size_t i = 0; i < list.items.size(); ++i) {
    FD_ASSIGN_OR_RETURN(ProbeSpec probe, ReadProbe(list.items[i], fmt::format("probes[{}]", i), /*named=*/true));
    for (const ProbeSpec& earlier : probes) {
      if (earlier.name != probe.name) continue;
      const ParamNode* name = list.items[i].Find("name");
      return LocatedError(name != nullptr ? name->where : probe.where,
                          fmt::format("probes[{}]: duplicate probe name '{}' (also at line {}); give each probe a "
                                      "distinct 'name'",
                                      i, probe.name, earlier.where.line));
    }
    probes.push_back(std::move(probe));
  }
  return probes;
}

absl::StatusOr<std::vector<AbortCondition>> ReadAbortWhen(const ParamNode& node,
                                                          const std::vector<ProbeSpec>& probes) {
  std::vector<AbortCondition> conditions;
  if (node.kind == Kind::kMap) {
    FD_ASSIGN_OR_RETURN(AbortCondition c, ReadAbortCondition(node, "abort_when", probes));
    conditions.push_back(std::move(c));
    return conditions;
  }
  if (node.kind != Kind::kSequence) {
    return LocatedError(node.where, fmt::format("abort_when: expected a map such as {{error_rate: 50%, for: 10s}} "
                                                "or a list of them, got {}",
                                                ParamKindName(node.kind)));
  }
  for (size_t i = 0; i < node.items.size(); ++i) {
    FD_ASSIGN_OR_RETURN(AbortCondition c, ReadAbortCondition(node.items[i], fmt::format("abort_when[{}]", i), probes));
    conditions.push_back(std::move(c));
  }
  return conditions;
}

absl::StatusOr<GoldenSpec> ReadGolden(const ParamNode& node, const std::string& directory,
                                      const std::vector<FaultSpec>& faults) {
  ParamReader r(node, "golden");
  FD_RETURN_IF_ERROR(r.CheckKnownKeys(
      {"masters", "tolerance", "outputs", "nan", "windows", "max_differing", "record_requests"}));
  GoldenSpec golden;
  golden.where = node.where;
  FD_ASSIGN_OR_RETURN(golden.masters, r.String("masters"));
  if (golden.masters.empty()) return r.Error("masters", "must name the masters file, e.g. masters/x.golden.jsonl");
  if (std::filesystem::path(golden.masters).is_relative() && !directory.empty()) {
    golden.masters = (std::filesystem::path(directory) / golden.masters).lexically_normal().string();
  }
  if (const ParamNode* tolerance = node.Find("tolerance")) {
    FD_ASSIGN_OR_RETURN(golden.tolerance, ReadTolerance(*tolerance, "golden.tolerance"));
  }
  FD_ASSIGN_OR_RETURN(const ParamNode* outputs, r.Map("outputs"));
  if (outputs != nullptr) {
    for (size_t i = 0; i < outputs->entries.size(); ++i) {
      const auto& [name, value] = outputs->entries[i];
      FD_ASSIGN_OR_RETURN(ToleranceSpec t, ReadTolerance(value, fmt::format("golden.outputs.{}", name)));
      golden.outputs.emplace_back(name, std::move(t));
    }
  }
  FD_ASSIGN_OR_RETURN(std::string nan, r.Choice("nan", {"equal", "differ"}, "equal"));
  golden.nan_equal = nan == "equal";
  FD_ASSIGN_OR_RETURN(golden.max_differing, r.Uint64("max_differing", 0));
  FD_ASSIGN_OR_RETURN(golden.record_requests, r.Uint64("record_requests", 0));
  if (r.Has("record_requests") && golden.record_requests == 0) {
    return r.Error("record_requests", "must be at least 1 (leave it out to record every request of the set)");
  }
  FD_ASSIGN_OR_RETURN(const ParamNode* windows, r.List("windows"));
  if (windows != nullptr) {
    for (size_t i = 0; i < windows->items.size(); ++i) {
      const ParamNode& item = windows->items[i];
      if (item.kind != Kind::kScalar) {
        return LocatedError(item.where, "golden.windows: expected window names such as all, before, during(x)");
      }
      ParamNode holder;  // to reuse ReadWindow's located checks
      holder.kind = Kind::kMap;
      holder.where = item.where;
      holder.entries.emplace_back("window", item);
      holder.key_where.push_back(item.where);
      FD_ASSIGN_OR_RETURN(WindowSpec w, ReadWindow(ParamReader(holder, "golden.windows"), "window", faults));
      golden.windows.push_back(std::move(w));
    }
  }
  if (golden.windows.empty()) golden.windows.push_back(WindowSpec{});
  return golden;
}

absl::StatusOr<CandidateSpec> ReadCandidate(const ParamNode& node) {
  ParamReader r(node, "candidate");
  FD_RETURN_IF_ERROR(r.CheckKnownKeys({"endpoint", "embedded", "launch", "latency_slack", "max_error_rate_increase"}));
  CandidateSpec c;
  c.where = node.where;
  FD_ASSIGN_OR_RETURN(c.embedded, r.Bool("embedded", false));
  if (r.Has("endpoint")) {
    if (c.embedded) return r.Error("endpoint", "cannot be combined with 'embedded: true'; choose one");
    FD_ASSIGN_OR_RETURN(c.endpoint, r.String("endpoint"));
    if (!IsEndpoint(c.endpoint)) {
      return r.Error("endpoint", fmt::format("'{}' is not host:port, e.g. 127.0.0.1:8002", c.endpoint));
    }
  } else if (!c.embedded) {
    return r.MapError("set either 'endpoint: host:port' or 'embedded: true'");
  }
  FD_ASSIGN_OR_RETURN(const ParamNode* launch, r.Map("launch"));
  if (launch != nullptr) {
    if (c.embedded) return r.Error("launch", "cannot be combined with 'embedded: true'");
    FD_ASSIGN_OR_RETURN(c.launch, ReadLaunch(*launch, "candidate.launch"));
  }
  FD_ASSIGN_OR_RETURN(c.latency_slack, r.Percent("latency_slack", 0.2));
  FD_ASSIGN_OR_RETURN(c.max_error_rate_increase, r.Percent("max_error_rate_increase", 0.001));
  return c;
}

absl::StatusOr<CapacitySpec> ReadCapacity(const ParamNode& node, const LoadSpec& load) {
  ParamReader r(node, "capacity");
  FD_RETURN_IF_ERROR(r.CheckKnownKeys({"p99_latency", "error_rate", "for", "stop", "min_rate"}));
  CapacitySpec c;
  c.where = node.where;
  FD_ASSIGN_OR_RETURN(c.p99_latency, OptionalPositiveDuration(r, "p99_latency"));
  if (r.Has("error_rate")) {
    FD_ASSIGN_OR_RETURN(c.error_rate, r.Percent("error_rate"));
  }
  if (!c.p99_latency && !c.error_rate) {
    return r.MapError("no criterion: set p99_latency, error_rate or both (e.g. {p99_latency: 50ms, error_rate: 1%})");
  }
  FD_ASSIGN_OR_RETURN(c.hold, r.Dur("for", std::chrono::seconds(2)));
  FD_ASSIGN_OR_RETURN(c.stop, r.Bool("stop", true));
  if (r.Has("min_rate")) {
    FD_ASSIGN_OR_RETURN(c.min_rate, PositiveRate(r, "min_rate"));
  }
  if (load.mode != LoadMode::kOpen) {
    return r.MapError("needs 'load.mode: open': capacity is the highest offered rate that held, and a closed loop "
                      "offers no rate (ramp an open loop with 'load.ramp')");
  }
  return c;
}

}  // namespace faultdrill::scenario_reader

namespace faultdrill {

std::string CapacitySpec::ToString() const {
  std::string text;
  if (p99_latency) text = fmt::format("p99_latency <= {}", FormatDuration(*p99_latency));
  if (error_rate) text += fmt::format("{}error_rate <= {:g}%", text.empty() ? "" : ", ", *error_rate * 100);
  return text + fmt::format(" for {}", FormatDuration(hold));
}

}  // namespace faultdrill
