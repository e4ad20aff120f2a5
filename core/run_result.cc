#include "core/run_result.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "nlohmann/json.hpp"

namespace faultdrill {

using nlohmann::json;

namespace {


constexpr Outcome kOutcomes[] = {Outcome::kPassed, Outcome::kFailed, Outcome::kAborted, Outcome::kError};

// --- writing ---

json LatencyJson(const LatencySummary& l) {
  return json{{"count", l.count},     {"p50_ms", l.p50_ms}, {"p90_ms", l.p90_ms},  {"p99_ms", l.p99_ms},
              {"p999_ms", l.p999_ms}, {"max_ms", l.max_ms}, {"mean_ms", l.mean_ms}};
}

json WindowJson(const WindowResult& w) {
  return json{{"name", w.name},
              {"start_s", w.start_s},
              {"end_s", w.end_s},
              {"requests", w.requests},
              {"ok", w.ok},
              {"errors", w.errors},
              {"errors_by_code", w.errors_by_code},
              {"throughput_rps", w.throughput_rps},
              {"latency", LatencyJson(w.latency)},
              {"ok_latency", LatencyJson(w.ok_latency)},
              {"failed_latency", LatencyJson(w.failed_latency)},
              {"service_time", LatencyJson(w.service_time)}};
}

template <typename T, typename F>
json ListJson(const std::vector<T>& items, F to_json);

json SecondLatencyJson(const SecondLatency& l) {
  return json{{"p50_ms", l.p50_ms}, {"p90_ms", l.p90_ms}, {"p99_ms", l.p99_ms}, {"max_ms", l.max_ms}};
}

json SecondJson(const SecondSample& s) {
  return json{{"second", s.second},
              {"requests", s.requests},
              {"errors", s.errors},
              {"errors_by_code", s.errors_by_code},
              {"p50_ms", s.p50_ms},
              {"p90_ms", s.p90_ms},
              {"p99_ms", s.p99_ms},
              {"max_ms", s.max_ms},
              {"ok_latency", SecondLatencyJson(s.ok_latency)},
              {"failed_latency", SecondLatencyJson(s.failed_latency)}};
}

json PoisonJson(const PoisonOutcome& p) {
  return json{{"variant", p.variant},       {"expected", p.expected}, {"sent", p.sent},
              {"as_expected", p.as_expected}, {"unexpected", p.unexpected}, {"timeouts", p.timeouts},
              {"crashes", p.crashes},       {"first_unexpected", p.first_unexpected}};
}

json CapacityJson(const CapacityResult& c) {
  return json{{"criterion", c.criterion}, {"highest_rate_held_rps", c.highest_rate_held_rps},
              {"held_at_s", c.held_at_s}, {"broke", c.broke},
              {"broke_at_s", c.broke_at_s}, {"broke_rate_rps", c.broke_rate_rps},
              {"breach", c.breach}};
}

json FaultJson(const FaultRecord& f) {
  json j{{"name", f.name},   {"kind", f.kind},   {"description", f.description}, {"planned_at_s", f.planned_at_s},
         {"state", f.state}, {"error", f.error}, {"counters", f.counters}};
  if (f.planned_end_s) j["planned_end_s"] = *f.planned_end_s;
  if (f.applied_at_s) j["applied_at_s"] = *f.applied_at_s;
  if (f.reverted_at_s) j["reverted_at_s"] = *f.reverted_at_s;
  if (f.recovery_s) j["recovery_s"] = *f.recovery_s;
  if (!f.recovery_horizon.empty()) j["recovery_horizon"] = f.recovery_horizon;
  j["touches"] = f.touches;
  if (!f.poison.empty()) j["poison"] = ListJson(f.poison, PoisonJson);
  return j;
}

json ProbeSeriesJson(const ProbeSeries& p) {
  return json{{"probe", p.probe}, {"kind", p.kind}, {"value", p.value}, {"unit", p.unit}, {"points", p.points}};
}

json ResponseDiffJson(const ResponseDiff& d) {
  return json{{"t_s", d.t_s},           {"request_index", d.request_index}, {"output", d.output},
              {"problem", d.problem},   {"side_by_side", d.side_by_side}};
}


// JSON has no infinity: a non-finite error (a NaN or infinity that did not
// match) is written as the string "inf".
json ErrorJson(double value) { return std::isfinite(value) ? json(value) : json("inf"); }

json GoldenJson(const GoldenWindowResult& g) {
  return json{{"window", g.window},
              {"against", g.against},
              {"compared", g.compared},
              {"differing", g.differing},
              {"without_master", g.without_master},
              {"max_abs_error", ErrorJson(g.max_abs_error)},
              {"max_rel_error", ErrorJson(g.max_rel_error)},
              {"max_ulp", g.max_ulp},
              {"argmax_disagreements", g.argmax_disagreements},
              {"top_k_disagreements", g.top_k_disagreements},
              {"max_edit_distance", g.max_edit_distance},
              {"first_differences", ListJson(g.first_differences, ResponseDiffJson)}};
}

json ScoreJson(const ResilienceScore& score) {
  json groups = json::array();
  for (const ScoreGroup& g : score.groups) {
    groups.push_back(json{{"group", g.group}, {"weight", g.weight}, {"passed", g.passed}, {"total", g.total}});
  }
  return json{{"score", score.score}, {"formula", score.formula}, {"groups", groups}};
}

json VerdictJson(const Verdict& v) {
  json j{{"name", v.name},
         {"group", v.group},
         {"window", v.window},
         {"metric", v.metric},
         {"comparison", v.comparison},
         {"threshold", v.threshold},
         {"unit", v.unit},
         {"passed", v.passed},
         {"message", v.message},
         {"duration_s", v.duration_s}};
  if (v.measured) j["measured"] = *v.measured;
  return j;
}

json EventJson(const Event& e) { return json{{"t_s", e.t_s}, {"source", e.source}, {"message", e.message}}; }

template <typename T, typename F>
json ListJson(const std::vector<T>& items, F to_json) {
  json list = json::array();
  for (const T& item : items) list.push_back(to_json(item));
  return list;
}

// --- reading: every reader names the JSON path of what it reads ---

std::string TypeName(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "integer";
    case json::value_t::number_float:
      return "number";
    case json::value_t::string:
      return "string";
    case json::value_t::array:
      return "array";
    case json::value_t::object:
      return "object";
    default:
      return "other";
  }
}

absl::Status Expected(const std::string& path, std::string_view what, const json& j) {
  return absl::InvalidArgumentError(fmt::format("{}: expected {}, got {}", path, what, TypeName(j)));
}

// Declared up front: the templates below reach each of them by ordinary lookup.
absl::Status Read(const json& j, const std::string& path, std::string* out);
absl::Status Read(const json& j, const std::string& path, bool* out);
absl::Status Read(const json& j, const std::string& path, double* out);
absl::Status Read(const json& j, const std::string& path, uint64_t* out);
absl::Status Read(const json& j, const std::string& path, uint32_t* out);
absl::Status Read(const json& j, const std::string& path, int64_t* out);
absl::Status Read(const json& j, const std::string& path, int* out);
absl::Status Read(const json& j, const std::string& path, Outcome* out);
absl::Status Read(const json& j, const std::string& path, LatencySummary* out);
absl::Status Read(const json& j, const std::string& path, SecondLatency* out);
absl::Status Read(const json& j, const std::string& path, WindowResult* out);
absl::Status Read(const json& j, const std::string& path, SecondSample* out);
absl::Status Read(const json& j, const std::string& path, FaultRecord* out);
absl::Status Read(const json& j, const std::string& path, PoisonOutcome* out);
absl::Status Read(const json& j, const std::string& path, CapacityResult* out);
absl::Status Read(const json& j, const std::string& path, Verdict* out);
absl::Status Read(const json& j, const std::string& path, Event* out);
absl::Status Read(const json& j, const std::string& path, RunResult::Target* out);
absl::Status Read(const json& j, const std::string& path, RunResult::Load* out);
absl::Status Read(const json& j, const std::string& path, ProbeSeries* out);
absl::Status Read(const json& j, const std::string& path, ResponseDiff* out);
absl::Status Read(const json& j, const std::string& path, GoldenWindowResult* out);
absl::Status Read(const json& j, const std::string& path, ScoreGroup* out);
absl::Status Read(const json& j, const std::string& path, ResilienceScore* out);
template <typename T, size_t N>
absl::Status Read(const json& j, const std::string& path, std::array<T, N>* out);
template <typename V>
absl::Status Read(const json& j, const std::string& path, std::map<std::string, V>* out);
template <typename T>
absl::Status Read(const json& j, const std::string& path, std::vector<T>* out);

absl::Status Read(const json& j, const std::string& path, std::string* out) {
  if (!j.is_string()) return Expected(path, "string", j);
  *out = j.get<std::string>();
  return absl::OkStatus();
}

absl::Status Read(const json& j, const std::string& path, bool* out) {
  if (!j.is_boolean()) return Expected(path, "boolean", j);
  *out = j.get<bool>();
  return absl::OkStatus();
}

absl::Status Read(const json& j, const std::string& path, double* out) {
  if (!j.is_number()) return Expected(path, "number", j);
  *out = j.get<double>();
  return absl::OkStatus();
}

// Integers of any width, range-checked.
template <typename T>
absl::Status ReadInteger(const json& j, const std::string& path, T* out) {
  std::string what = std::is_signed_v<T> ? "integer" : "non-negative integer";
  if (!j.is_number_integer()) return Expected(path, what, j);
  bool fits = j.is_number_unsigned() ? j.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<T>::max())
                                     : j.get<int64_t>() >= static_cast<int64_t>(std::numeric_limits<T>::min()) &&
                                           (std::is_unsigned_v<T> ||
                                            j.get<int64_t>() <= static_cast<int64_t>(std::numeric_limits<T>::max()));
  if (!fits) return absl::InvalidArgumentError(fmt::format("{}: {} is out of range", path, j.dump()));
  *out = j.is_number_unsigned() ? static_cast<T>(j.get<uint64_t>()) : static_cast<T>(j.get<int64_t>());
  return absl::OkStatus();
}

absl::Status Read(const json& j, const std::string& path, uint64_t* out) { return ReadInteger(j, path, out); }
absl::Status Read(const json& j, const std::string& path, uint32_t* out) { return ReadInteger(j, path, out); }
absl::Status Read(const json& j, const std::string& path, int64_t* out) { return ReadInteger(j, path, out); }
absl::Status Read(const json& j, const std::string& path, int* out) { return ReadInteger(j, path, out); }

absl::Status Read(const json& j, const std::string& path, Outcome* out) {
  std::string name;
  if (absl::Status s = Read(j, path, &name); !s.ok()) return s;
  for (Outcome outcome : kOutcomes) {
    if (OutcomeName(outcome) == name) {
      *out = outcome;
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError(
      fmt::format("{}: unknown outcome '{}' (expected passed, failed, aborted or error)", path, name));
}

template <typename V>
absl::Status Read(const json& j, const std::string& path, std::map<std::string, V>* out) {
  if (!j.is_object()) return Expected(path, "object", j);
  out->clear();
  for (const auto& [key, value] : j.items()) {
    if (absl::Status s = Read(value, fmt::format("{}.{}", path, key), &(*out)[key]); !s.ok()) return s;
  }
  return absl::OkStatus();
}

template <typename T>
absl::Status Field(const json& object, const std::string& path, std::string_view key, T* out) {
  std::string field_path = path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
  auto it = object.find(key);
  if (it == object.end()) return absl::InvalidArgumentError(fmt::format("{}: missing required field", field_path));
  return Read(*it, field_path, out);
}

template <typename T>
absl::Status OptionalField(const json& object, const std::string& path, std::string_view key, std::optional<T>* out) {
  out->reset();
  if (!object.contains(key)) return absl::OkStatus();
  return Field(object, path, key, &out->emplace());
}

absl::Status Read(const json& j, const std::string& path, LatencySummary* out) {
  if (!j.is_object()) return Expected(path, "object", j);
  absl::Status s;
  s.Update(Field(j, path, "count", &out->count));
  s.Update(Field(j, path, "p50_ms", &out->p50_ms));
  s.Update(Field(j, path, "p90_ms", &out->p90_ms));
  s.Update(Field(j, path, "p99_ms", &out->p99_ms));
  s.Update(Field(j, path, "p999_ms", &out->p999_ms));
  s.Update(Field(j, path, "max_ms", &out->max_ms));
  s.Update(Field(j, path, "mean_ms", &out->mean_ms));
  return s;
}

absl::Status Read(const json& j, const std::string& path, SecondLatency* out) {
  if (!j.is_object()) return Expected(path, "object", j);
  absl::Status s;
  s.Update(Field(j, path, "p50_ms", &out->p50_ms));
  s.Update(Field(j, path, "p90_ms", &out->p90_ms));
  s.Update(Field(j, path, "p99_ms", &out->p99_ms));
  s.Update(Field(j, path, "max_ms", &out->max_ms));
  return s;
}

// Results written before successful and failed calls were kept apart have
// only the latency of every call: a window or second whose calls were all of
// one kind has exactly that latency for that kind; a mixed one gets the
// mixture, the best there is; a kind without calls has none (zero).
template <typename Latency>
Latency LegacySplit(const Latency& every_call, uint64_t calls_of_kind) {
  return calls_of_kind > 0 ? every_call : Latency{};
}

absl::Status Read(const json& j, const std::string& path, WindowResult* out) {
  if (!j.is_object()) return Expected(path, "object", j);
  absl::Status s;
  s.Update(Field(j, path, "name", &out->name));
  s.Update(Field(j, path, "start_s", &out->start_s));
  s.Update(Field(j, path, "end_s", &out->end_s));
  s.Update(Field(j, path, "requests", &out->requests));
  s.Update(Field(j, path, "ok", &out->ok));
  s.Update(Field(j, path, "errors", &out->errors));
  s.Update(Field(j, path, "errors_by_code", &out->errors_by_code));
  s.Update(Field(j, path, "throughput_rps", &out->throughput_rps));
  s.Update(Field(j, path, "latency", &out->latency));
  s.Update(Field(j, path, "service_time", &out->service_time));
  if (!s.ok()) return s;
  // Added while the version stayed 1: absent in older results.
  if (j.contains("ok_latency")) {
    s.Update(Field(j, path, "ok_latency", &out->ok_latency));
  } else {
    out->ok_latency = LegacySplit(out->latency, out->ok);
    out->ok_latency.count = out->ok;
  }
  if (j.contains("failed_latency")) {
    s.Update(Field(j, path, "failed_latency", &out->failed_latency));
  } else {
    out->failed_latency = LegacySplit(out->latency, out->errors);
    out->failed_latency.count = out->errors;
  }
  return s;
}

absl::Status Read(const json& j, const std::string& path, SecondSample* out) {
  if (!j.is_object()) return Expected(path, "object", j);
  absl::Status s;
  s.Update(Field(j, path, "second", &out->second));
  s.Update(Field(j, path, "requests", &out->requests));
  s.Update(Field(j, path, "errors", &out->errors));
  s.Update(Field(j, path, "errors_by_code", &out->errors_by_code));
  s.Update(Field(j, path, "p50_ms", &out->p50_ms));
  if (j.contains("p90_ms")) s.Update(Field(j, path, "p90_ms", &out->p90_ms));
  s.Update(Field(j, path, "p99_ms", &out->p99_ms));
  s.Update(Field(j, path, "max_ms", &out->max_ms));
  if (!s.ok()) return s;
  // Added while the version stayed 1: absent in older results.
  const SecondLatency every_call{out->p50_ms, out->p90_ms, out->p99_ms, out->max_ms};
  if (j.contains("ok_latency")) {
    s.Update(Field(j, path, "ok_latency", &out->ok_latency));
  } else {
    out->ok_latency = LegacySplit(every_call, out->ok());
  }
  if (j.contains("failed_latency")) {
    s.Update(Field(j, path, "failed_latency", &out->failed_latency));
  } else {
    out->failed_latency = LegacySplit(every_call, out->errors);
  }
  return s;
}

absl::Status Read(const json& j, const std::string& path, PoisonOutcome* out) {
  if (!j.is_object()) return Expected(path, "object", j);
  absl::Status s;
  s.Update(Field(j, path, "variant", &out->variant));
  s.Update(Field(j, path, "expected", &out->expected));
  s.Update(Field(j, path, "sent", &out->sent));
  s.Update(Field(j, path, "as_expected", &out->as_expected));
  s.Update(Field(j, path, "unexpected", &out->unexpected));
  s.Update(Field(j, path, "timeouts", &out->timeouts));
  s.Update(Field(j, path, "crashes", &out->crashes));
  s.Update(Field(j, path, "first_unexpected", &out->first_unexpected));
  return s;
}

absl::Status Read(const json& j, const std::string& path, CapacityResult* out) {
  if (!j.is_object()) return Expected(path, "object", j);
  absl::Status s;
  s.Update(Field(j, path, "criterion", &out->criterion));
  s.Update(Field(j, path, "highest_rate_held_rps", &out->highest_rate_held_rps));
  s.Update(Field(j, path, "held_at_s", &out->held_at_s));
  s.Update(Field(j, path, "broke", &out->broke));
  s.Update(Field(j, path, "broke_at_s", &out->broke_at_s));
  s.Update(Field(j, path, "broke_rate_rps", &out->broke_rate_rps));
  s.Update(Field(j, path, "breach", &out->breach));
  return s;
}

absl::Status Read(const json& j, const std::string& path, FaultRecord* out) {
  if (!j.is_object()) return Expected(path, "object", j);
  absl::Status s;
  s.Update(Field(j, path, "name", &out->name));
  s.Update(Field(j, path, "kind", &out->kind));
  s.Update(Field(j, path, "description", &out->description));
  s.Update(Field(j, path, "planned_at_s", &out->planned_at_s));
  s.Update(OptionalField(j, path, "planned_end_s", &out->planned_end_s));
  s.Update(OptionalField(j, path, "applied_at_s", &out->applied_at_s));
  s.Update(OptionalField(j, path, "reverted_at_s", &out->reverted_at_s));
  s.Update(Field(j, path, "state", &out->state));
  s.Update(Field(j, path, "error", &out->error));
  s.Update(Field(j, path, "counters", &out->counters));
  s.Update(OptionalField(j, path, "recovery_s", &out->recovery_s));
  if (j.contains("recovery_horizon")) s.Update(Field(j, path, "recovery_horizon", &out->recovery_horizon));
  if (j.contains("touches")) s.Update(Field(j, path, "touches", &out->touches));
  if (j.contains("poison")) s.Update(Field(j, path, "poison", &out->poison));
  return s;
}

absl::Status Read(const json& j, const std::string& path, ProbeSeries* out) {
  if (!j.is_object()) return Expected(path, "object", j);
  absl::Status s;
  s.Update(Field(j, path, "probe", &out->probe));
  s.Update(Field(j, path, "kind", &out->kind));
  s.Update(Field(j, path, "value", &out->value));
  s.Update(Field(j, path, "unit", &out->unit));
  s.Update(Field(j, path, "points", &out->points));
  return s;
}

absl::Status Read(const json& j, const std::string& path, ResponseDiff* out) {
  if (!j.is_object()) return Expected(path, "object", j);
  absl::Status s;
  s.Update(Field(j, path, "t_s", &out->t_s));
  s.Update(Field(j, path, "request_index", &out->request_index));
  s.Update(Field(j, path, "output", &out->output));
  s.Update(Field(j, path, "problem", &out->problem));
  s.Update(Field(j, path, "side_by_side", &out->side_by_side));
  return s;
}

absl::Status ReadError(const json& j, const std::string& path, double* out) {
  if (j.is_string() && j.get<std::string>() == "inf") {
    *out = std::numeric_limits<double>::infinity();
    return absl::OkStatus();
  }
  return Read(j, path, out);
}

absl::Status Read(const json& j, const std::string& path, GoldenWindowResult* out) {
  if (!j.is_object()) return Expected(path, "object", j);
  absl::Status s;
  s.Update(Field(j, path, "window", &out->window));
  s.Update(Field(j, path, "against", &out->against));
  s.Update(Field(j, path, "compared", &out->compared));
  s.Update(Field(j, path, "differing", &out->differing));
  s.Update(Field(j, path, "without_master", &out->without_master));
  for (auto [key, value] : {std::pair{"max_abs_error", &out->max_abs_error}, {"max_rel_error", &out->max_rel_error}}) {
    if (!j.contains(key)) {
      s.Update(absl::InvalidArgumentError(fmt::format("{}.{}: missing required field", path, key)));
      continue;
    }
    s.Update(ReadError(j[key], fmt::format("{}.{}", path, key), value));
  }
  s.Update(Field(j, path, "max_ulp", &out->max_ulp));
  s.Update(Field(j, path, "argmax_disagreements", &out->argmax_disagreements));
  s.Update(Field(j, path, "top_k_disagreements", &out->top_k_disagreements));
  s.Update(Field(j, path, "max_edit_distance", &out->max_edit_distance));
  s.Update(Field(j, path, "first_differences", &out->first_differences));
  return s;
}

absl::Status Read(const json& j, const std::string& path, ScoreGroup* out) {
  if (!j.is_object()) return Expected(path, "object", j);
  absl::Status s;
  s.Update(Field(j, path, "group", &out->group));
  s.Update(Field(j, path, "weight", &out->weight));
  s.Update(Field(j, path, "passed", &out->passed));
  s.Update(Field(j, path, "total", &out->total));
  return s;
}

absl::Status Read(const json& j, const std::string& path, ResilienceScore* out) {
  if (!j.is_object()) return Expected(path, "object", j);
  absl::Status s;
  s.Update(Field(j, path, "score", &out->score));
  s.Update(Field(j, path, "formula", &out->formula));
  s.Update(Field(j, path, "groups", &out->groups));
  return s;
}

template <typename T, size_t N>
absl::Status Read(const json& j, const std::string& path, std::array<T, N>* out) {
  if (!j.is_array() || j.size() != N) return Expected(path, fmt::format("array of {}", N), j);
  for (size_t i = 0; i < N; ++i) {
    if (absl::Status s = Read(j[i], fmt::format("{}[{}]", path, i), &(*out)[i]); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status Read(const json& j, const std::string& path, Verdict* out) {
  if (!j.is_object()) return Expected(path, "object", j);
  absl::Status s;
  s.Update(Field(j, path, "name", &out->name));
  s.Update(Field(j, path, "group", &out->group));
  s.Update(Field(j, path, "window", &out->window));
  s.Update(Field(j, path, "metric", &out->metric));
  s.Update(Field(j, path, "comparison", &out->comparison));
  s.Update(Field(j, path, "threshold", &out->threshold));
  s.Update(OptionalField(j, path, "measured", &out->measured));
  s.Update(Field(j, path, "unit", &out->unit));
  s.Update(Field(j, path, "passed", &out->passed));
  s.Update(Field(j, path, "message", &out->message));
  s.Update(Field(j, path, "duration_s", &out->duration_s));
  return s;
}

absl::Status Read(const json& j, const std::string& path, Event* out) {
  if (!j.is_object()) return Expected(path, "object", j);
  absl::Status s;
  s.Update(Field(j, path, "t_s", &out->t_s));
  s.Update(Field(j, path, "source", &out->source));
  s.Update(Field(j, path, "message", &out->message));
  return s;
}

absl::Status Read(const json& j, const std::string& path, RunResult::Target* out) {
  if (!j.is_object()) return Expected(path, "object", j);
  absl::Status s;
  s.Update(Field(j, path, "endpoint", &out->endpoint));
  s.Update(Field(j, path, "model", &out->model));
  s.Update(Field(j, path, "embedded", &out->embedded));
  return s;
}

absl::Status Read(const json& j, const std::string& path, RunResult::Load* out) {
  if (!j.is_object()) return Expected(path, "object", j);
  absl::Status s;
  s.Update(Field(j, path, "mode", &out->mode));
  s.Update(Field(j, path, "rate_rps", &out->rate_rps));
  s.Update(Field(j, path, "concurrency", &out->concurrency));
  s.Update(Field(j, path, "sent", &out->sent));
  s.Update(Field(j, path, "completed", &out->completed));
  s.Update(Field(j, path, "achieved_rps", &out->achieved_rps));
  return s;
}

template <typename T>
absl::Status Read(const json& j, const std::string& path, std::vector<T>* out) {
  if (!j.is_array()) return Expected(path, "array", j);
  out->assign(j.size(), T{});
  for (size_t i = 0; i < j.size(); ++i) {
    if (absl::Status s = Read(j[i], fmt::format("{}[{}]", path, i), &(*out)[i]); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPassed:
      return "passed";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kAborted:
      return "aborted";
    case Outcome::kError:
      return "error";
  }
  return "error";
}

const WindowResult* RunResult::FindWindow(std::string_view name) const {
  for (const WindowResult& window : windows) {
    if (window.name == name) return &window;
  }
  return nullptr;
}

json ToJson(const RunResult& r) {
  json j{
      {"schema_version", kResultSchemaVersion},
      {"faultdrill_version", r.faultdrill_version},
      {"scenario_name", r.scenario_name},
      {"scenario_file", r.scenario_file},
      {"seed", r.seed},
      {"started_at", r.started_at},
      {"command", r.command},
      {"duration_s", r.duration_s},
      {"outcome", OutcomeName(r.outcome)},
      {"exit_code", r.exit_code},
      {"abort_reason", r.abort_reason},
      {"target", {{"endpoint", r.target.endpoint}, {"model", r.target.model}, {"embedded", r.target.embedded}}},
      {"load",
       {{"mode", r.load.mode},
        {"rate_rps", r.load.rate_rps},
        {"concurrency", r.load.concurrency},
        {"sent", r.load.sent},
        {"completed", r.load.completed},
        {"achieved_rps", r.load.achieved_rps}}},
      {"windows", ListJson(r.windows, WindowJson)},
      {"series", ListJson(r.series, SecondJson)},
      {"faults", ListJson(r.faults, FaultJson)},
      {"verdicts", ListJson(r.verdicts, VerdictJson)},
      {"events", ListJson(r.events, EventJson)},
      {"probes", ListJson(r.probes, ProbeSeriesJson)},
      {"golden", ListJson(r.golden, GoldenJson)},
      {"recovery_definition", r.recovery_definition},
  };
  if (r.score) j["score"] = ScoreJson(*r.score);
  if (r.capacity) j["capacity"] = CapacityJson(*r.capacity);
  return j;
}

absl::StatusOr<RunResult> RunResultFromJson(const json& j) {
  if (!j.is_object()) return Expected("(top level)", "object", j);
  int version = 0;
  if (absl::Status s = Field(j, "", "schema_version", &version); !s.ok()) return s;
  if (version != kResultSchemaVersion) {
    return absl::InvalidArgumentError(
        fmt::format("schema_version: unsupported version {} (this faultdrill reads {})", version, kResultSchemaVersion));
  }
  RunResult r;
  absl::Status s;
  s.Update(Field(j, "", "faultdrill_version", &r.faultdrill_version));
  s.Update(Field(j, "", "scenario_name", &r.scenario_name));
  s.Update(Field(j, "", "scenario_file", &r.scenario_file));
  s.Update(Field(j, "", "seed", &r.seed));
  s.Update(Field(j, "", "started_at", &r.started_at));
  s.Update(Field(j, "", "duration_s", &r.duration_s));
  s.Update(Field(j, "", "outcome", &r.outcome));
  s.Update(Field(j, "", "exit_code", &r.exit_code));
  s.Update(Field(j, "", "abort_reason", &r.abort_reason));
  s.Update(Field(j, "", "target", &r.target));
  s.Update(Field(j, "", "load", &r.load));
  s.Update(Field(j, "", "windows", &r.windows));
  s.Update(Field(j, "", "series", &r.series));
  s.Update(Field(j, "", "faults", &r.faults));
  s.Update(Field(j, "", "verdicts", &r.verdicts));
  s.Update(Field(j, "", "events", &r.events));
  // Added after schema version 1 was first written: absent in older results.
  if (j.contains("probes")) s.Update(Field(j, "", "probes", &r.probes));
  if (j.contains("golden")) s.Update(Field(j, "", "golden", &r.golden));
  if (j.contains("recovery_definition")) s.Update(Field(j, "", "recovery_definition", &r.recovery_definition));
  s.Update(OptionalField(j, "", "score", &r.score));
  s.Update(OptionalField(j, "", "capacity", &r.capacity));
  if (j.contains("command")) s.Update(Field(j, "", "command", &r.command));
  if (!s.ok()) return s;
  return r;
}

}  // namespace faultdrill
