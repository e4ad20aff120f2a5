#include "judge/probe_judge.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "judge/verdict_format.h"

namespace faultdrill::judge {

const ProbeSeries* FindSeries(const std::vector<ProbeSeries>& series, std::string_view probe,
                              std::string_view value) {
  for (const ProbeSeries& s : series) {
    if (s.probe == probe && s.value == value) return &s;
  }
  return nullptr;
}

std::optional<double> SeriesStat(const ProbeSeries& series, double start_s, double end_s,
                                 ProbeThreshold::Stat stat) {
  uint64_t n = 0;
  double sum = 0, last = 0;
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
  for (const auto& [t, v] : series.points) {
    if (t < start_s || t >= end_s) continue;
    ++n;
    sum += v;
    last = v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (n == 0) return std::nullopt;
  switch (stat) {
    case ProbeThreshold::Stat::kMax:
      return hi;
    case ProbeThreshold::Stat::kMin:
      return lo;
    case ProbeThreshold::Stat::kMean:
      return sum / double(n);
    case ProbeThreshold::Stat::kLast:
      return last;
  }
  return std::nullopt;
}

bool WithinBounds(const ProbeThreshold& threshold, double value) {
  if (threshold.max && !Satisfies(value, kAtMost, *threshold.max)) return false;
  if (threshold.min && !Satisfies(value, kAtLeast, *threshold.min)) return false;
  return true;
}

Verdict CheckProbeThreshold(const ProbeThreshold& threshold, const std::vector<ProbeSeries>& series,
                            std::string_view window_name, double start_s, double end_s) {
  Verdict v;
  v.window = std::string(window_name);
  v.metric = fmt::format("probe:{}.{}", threshold.probe, threshold.value);
  v.comparison = threshold.max && threshold.min ? "within" : threshold.max ? "<=" : ">=";
  v.threshold = threshold.max ? *threshold.max : *threshold.min;
  v.duration_s = std::max(0.0, end_s - start_s);
  const ProbeSeries* s = FindSeries(series, threshold.probe, threshold.value);
  if (s != nullptr) v.unit = s->unit;
  const std::string what = fmt::format("{} of {}.{}", ProbeStatName(threshold.stat), threshold.probe,
                                       threshold.value);
  std::optional<double> measured = s ? SeriesStat(*s, start_s, end_s, threshold.stat) : std::nullopt;
  if (!measured) {
    v.message = fmt::format("no samples of {}.{} in window {}", threshold.probe, threshold.value, window_name);
    return v;
  }
  v.measured = *measured;
  v.passed = WithinBounds(threshold, *measured);
  std::string bound;
  if (threshold.max) bound += fmt::format("{} {}", v.passed ? "<=" : ">", FormatQuantity(*threshold.max));
  if (threshold.max && threshold.min) bound += " and ";
  if (threshold.min) bound += fmt::format("{} {}", v.passed ? ">=" : "<", FormatQuantity(*threshold.min));
  if (!v.passed && threshold.max && threshold.min) {
    bound = fmt::format("outside [{}, {}]", FormatQuantity(*threshold.min), FormatQuantity(*threshold.max));
  }
  v.message = fmt::format("{} {}{} {} in {}", what, FormatQuantity(*measured), v.unit.empty() ? "" : " " + v.unit,
                          bound, window_name);
  return v;
}

ContinuousChecks::ContinuousChecks(std::vector<ProbeCheck> checks)
    : checks_(std::move(checks)), tallies_(checks_.size()) {}

void ContinuousChecks::Observe(std::string_view probe, double t_s, bool healthy, std::string_view detail,
                               const std::vector<std::pair<std::string, double>>& values) {
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < checks_.size(); ++i) {
    const ProbeCheck& check = checks_[i];
    if (check.probe != probe) continue;
    std::string failure;
    if (!check.threshold) {
      if (!healthy) failure = fmt::format("not healthy: {}", detail);
    } else {
      auto it = std::find_if(values.begin(), values.end(),
                             [&](const auto& value) { return value.first == check.threshold->value; });
      if (it == values.end()) continue;  // not read this time: nothing to judge
      if (!WithinBounds(*check.threshold, it->second)) {
        failure = fmt::format("{}.{} = {}", check.probe, it->first, FormatQuantity(it->second));
      }
    }
    Tally& tally = tallies_[i];
    ++tally.samples;
    if (failure.empty()) continue;
    if (tally.failed++ == 0) {
      tally.first_failed_s = t_s;
      tally.first_failure = std::move(failure);
    }
  }
}

std::vector<Verdict> ContinuousChecks::Verdicts() const {
  std::lock_guard lock(mu_);
  std::vector<Verdict> out;
  for (size_t i = 0; i < checks_.size(); ++i) {
    const ProbeCheck& check = checks_[i];
    const Tally& tally = tallies_[i];
    Verdict v;
    v.name = fmt::format("continuous: {}", check.label);
    v.group = "steady-state";
    v.window = "all";
    v.metric = "failed_samples";
    v.comparison = std::string(kAtMost);
    v.threshold = 0;
    if (tally.samples == 0) {
      v.message = fmt::format("{}: no samples taken during the run", check.label);
    } else {
      v.measured = double(tally.failed);
      v.passed = tally.failed == 0;
      v.message = v.passed ? fmt::format("{}: all {} samples held", check.label, tally.samples)
                           : fmt::format("{}: {} of {} samples failed, the first at {:.1f}s: {}", check.label,
                                         tally.failed, tally.samples, tally.first_failed_s, tally.first_failure);
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace faultdrill::judge
