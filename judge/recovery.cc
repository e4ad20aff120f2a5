#include "judge/recovery.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/duration.h"
#include "judge/verdict_format.h"

namespace faultdrill::judge {
namespace {

const FaultRecord* FindRecord(const RunResult& result, const std::string& name) {
  for (const FaultRecord& record : result.faults) {
    if (record.name == name) return &record;
  }
  return nullptr;
}

double StartOf(const Timeline& timeline, const RunResult& result, size_t index) {
  const TimelineFault& fault = timeline.faults()[index];
  const FaultRecord* record = FindRecord(result, fault.name);
  if (record != nullptr && record->applied_at_s) return *record->applied_at_s;
  return ToSeconds(fault.at);
}

double EndOf(const Timeline& timeline, const RunResult& result, size_t index) {
  const TimelineFault& fault = timeline.faults()[index];
  if (!fault.active_for) return StartOf(timeline, result, index);
  const FaultRecord* record = FindRecord(result, fault.name);
  if (record != nullptr && record->reverted_at_s) return *record->reverted_at_s;
  return ToSeconds(timeline.FaultEnd(index));
}

}  // namespace

HealthCriteria HealthFromSteadyState(const SteadyStateSpec& steady_state) {
  HealthCriteria health;
  std::optional<double> error_rate;
  for (const SloSpec& slo : steady_state.slos) {
    if (slo.error_rate) error_rate = std::min(error_rate.value_or(*slo.error_rate), *slo.error_rate);
    if (slo.p99_latency) {
      const double ms = ToMillis(*slo.p99_latency);
      health.max_p99_ms = std::min(health.max_p99_ms.value_or(ms), ms);
    }
  }
  if (error_rate) health.max_error_rate = *error_rate;
  return health;
}

std::string RecoveryDefinition(const HealthCriteria& health) {
  std::string healthy = fmt::format("had requests, an error rate of at most {:g}%", health.max_error_rate * 100);
  if (health.max_p99_ms) healthy += fmt::format(" and a p99 latency of at most {:g} ms", *health.max_p99_ms);
  return fmt::format(
      "Recovery time: from the fault's end (its revert; a fault without an end: its apply) until the first whole "
      "second from which every second {} up to the next fault or the end of the run (the steady-state SLOs, "
      "default 1% errors); one-second resolution. Absent when the service did not recover before that horizon.",
      healthy);
}

bool IsHealthy(const SecondSample& second, const HealthCriteria& health) {
  if (second.requests == 0) return false;
  const double error_rate = double(second.errors) / double(second.requests);
  if (!Satisfies(error_rate, kAtMost, health.max_error_rate)) return false;
  return !health.max_p99_ms || Satisfies(second.p99_ms, kAtMost, *health.max_p99_ms);
}

std::optional<double> RecoveryTime(const std::vector<SecondSample>& series, double from_s,
                                   double horizon_end_s, const HealthCriteria& health) {
  std::map<int64_t, const SecondSample*> by_second;
  for (const SecondSample& s : series) by_second[s.second] = &s;
  auto healthy = [&](int64_t second) {
    auto it = by_second.find(second);
    return it != by_second.end() && IsHealthy(*it->second, health);
  };

  if (!std::isfinite(from_s) || !std::isfinite(horizon_end_s)) return std::nullopt;
  constexpr double kLongestRun = 1e9;  // seconds; keeps the casts below defined on corrupt input
  const int64_t first = static_cast<int64_t>(std::floor(std::clamp(from_s, 0.0, kLongestRun)));
  // Whole seconds [k, k+1) that end by the horizon (with a little slack for rounding).
  const int64_t end = static_cast<int64_t>(std::floor(std::clamp(horizon_end_s, 0.0, kLongestRun) + 1e-9));
  if (end <= first) return std::nullopt;
  // Walk back from the horizon to the last unhealthy second; the service
  // recovered at the start of the second after it. (Backwards, so the walk is
  // bounded by the series' length, not by the horizon's.)
  int64_t recovered_at = first;
  for (int64_t k = end - 1; k >= first; --k) {
    if (!healthy(k)) {
      recovered_at = k + 1;
      break;
    }
  }
  if (recovered_at >= end) return std::nullopt;
  return std::max(0.0, double(recovered_at) - from_s);
}

FaultRecovery MeasureRecovery(const Timeline& timeline, const RunResult& result, size_t index,
                              const HealthCriteria& health) {
  FaultRecovery out;
  out.fault = timeline.faults()[index].name;
  out.from_s = EndOf(timeline, result, index);
  const bool measured_length = std::isfinite(result.duration_s) && result.duration_s > 0;
  out.horizon_end_s = measured_length ? result.duration_s : ToSeconds(timeline.run_length());
  out.horizon_end = "the run ended";
  for (size_t j = 0; j < timeline.faults().size(); ++j) {
    if (j == index) continue;
    const double start = StartOf(timeline, result, j);
    if (start >= out.from_s && start < out.horizon_end_s) {
      out.horizon_end_s = start;
      out.horizon_end = timeline.faults()[j].name + " started";
    }
  }
  out.recovery_s = RecoveryTime(result.series, out.from_s, out.horizon_end_s, health);
  return out;
}

}  // namespace faultdrill::judge
