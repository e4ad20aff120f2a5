#include "judge/abort_monitor.h"

#include <fmt/format.h>

#include <algorithm>

#include "judge/probe_judge.h"

namespace faultdrill::judge {

AbortMonitor::AbortMonitor(std::vector<AbortCondition> conditions)
    : conditions_(std::move(conditions)), streaks_(conditions_.size()) {}

std::optional<std::string> AbortMonitor::Update(size_t i, bool holds, Duration streak_start, Duration t,
                                                const std::string& what) {
  Streak& streak = streaks_[i];
  if (!holds) {
    streak.since.reset();
    return std::nullopt;
  }
  if (!streak.since) streak.since = streak_start;
  if (reason_ || t - *streak.since < conditions_[i].hold) return std::nullopt;
  reason_ = fmt::format("abort_when {}: {} (at {:.1f}s)", conditions_[i].ToString(), what, ToSeconds(t));
  return reason_;
}

std::optional<std::string> AbortMonitor::ObserveLoad(Duration t, Duration interval, uint64_t completed,
                                                     uint64_t errors, Duration p99) {
  std::lock_guard lock(mu_);
  std::optional<std::string> decided;
  for (size_t i = 0; i < conditions_.size(); ++i) {
    const AbortCondition& c = conditions_[i];
    if (c.probe) continue;
    bool holds = false;
    std::string what;
    if (c.error_rate && completed > 0) {
      const double rate = double(errors) / double(completed);
      holds = rate > *c.error_rate;
      what = fmt::format("{:.1f}% of {} requests failed in the last {}", rate * 100, completed,
                         FormatDuration(interval));
    } else if (c.p99_latency && completed > 0) {
      const uint64_t ok = completed > errors ? completed - errors : 0;
      holds = ok == 0 || p99 > *c.p99_latency;
      what = ok == 0 ? fmt::format("none of {} requests succeeded in the last {}", completed, FormatDuration(interval))
                     : fmt::format("p99 {} over {} successful requests in the last {}", FormatDuration(p99), ok,
                                   FormatDuration(interval));
    }
    auto reason = Update(i, holds, t - interval, t, what);
    if (reason && !decided) decided = std::move(reason);
  }
  return decided;
}

std::optional<std::string> AbortMonitor::ObserveProbe(std::string_view probe, Duration t,
                                                      const std::vector<std::pair<std::string, double>>& values) {
  std::lock_guard lock(mu_);
  std::optional<std::string> decided;
  for (size_t i = 0; i < conditions_.size(); ++i) {
    const AbortCondition& c = conditions_[i];
    if (!c.probe || c.probe->probe != probe) continue;
    auto it = std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == c.probe->value; });
    const bool holds = it != values.end() && !WithinBounds(*c.probe, it->second);
    std::string what = it == values.end() ? std::string()
                                          : fmt::format("{}.{} = {}", probe, it->first, FormatQuantity(it->second));
    auto reason = Update(i, holds, t, t, what);
    if (reason && !decided) decided = std::move(reason);
  }
  return decided;
}

std::optional<std::string> AbortMonitor::reason() const {
  std::lock_guard lock(mu_);
  return reason_;
}

}  // namespace faultdrill::judge
