#include "judge/capacity.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/rate_profile.h"
#include "judge/verdict_format.h"

namespace faultdrill::judge {
namespace {

// What breached in `second`, e.g. "p99 212.4ms > 50ms"; empty when it held.
std::string Breach(const CapacitySpec& spec, const SecondSample& second) {
  std::vector<std::string> parts;
  if (spec.p99_latency && second.ok() == 0) {
    parts.push_back(fmt::format("no successful calls (p99 <= {} cannot hold)", FormatDuration(*spec.p99_latency)));
  } else if (spec.p99_latency && !Satisfies(second.ok_latency.p99_ms, kAtMost, ToMillis(*spec.p99_latency))) {
    parts.push_back(fmt::format("p99 {} > {}", FormatValue(second.ok_latency.p99_ms, "ms"),
                                FormatDuration(*spec.p99_latency)));
  }
  const double error_rate = second.requests ? double(second.errors) / double(second.requests) : 0.0;
  if (spec.error_rate && !Satisfies(error_rate, kAtMost, *spec.error_rate)) {
    parts.push_back(fmt::format("error rate {} > {:g}%", FormatValue(error_rate * 100, "%"), *spec.error_rate * 100));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

double OfferedAt(const std::vector<double>& offered_rps, size_t second) {
  return second < offered_rps.size() ? offered_rps[second] : 0.0;
}

}  // namespace

std::vector<double> OfferedRates(const LoadSpec& load, size_t seconds) {
  const RateProfile profile = RateProfile::Of(load);
  std::vector<double> rates(seconds);
  for (size_t s = 0; s < seconds; ++s) rates[s] = profile.MeanRate(double(s), double(s + 1));
  return rates;
}

CapacityResult JudgeCapacity(const CapacitySpec& spec, const std::vector<SecondSample>& series,
                             const std::vector<double>& offered_rps) {
  CapacityResult result;
  result.criterion = spec.ToString();
  const double needed_s = std::max(1.0, ToSeconds(spec.hold));
  std::optional<size_t> breach_start;  // the first second of the breach in progress
  std::string first_breach;
  bool held_any = false;
  size_t end = series.size();  // the seconds before the breaking point
  for (size_t s = 0; s < series.size(); ++s) {
    if (series[s].requests == 0) continue;  // not judged; a breach in progress goes on
    std::string breach = Breach(spec, series[s]);
    if (breach.empty()) {
      breach_start.reset();
      continue;
    }
    if (!breach_start) {
      breach_start = s;
      first_breach = std::move(breach);
    }
    if (double(s + 1 - *breach_start) >= needed_s - 1e-9) {
      result.broke = true;
      result.broke_at_s = double(*breach_start);
      result.broke_rate_rps = OfferedAt(offered_rps, *breach_start);
      result.breach = first_breach;
      end = *breach_start;
      break;
    }
  }
  for (size_t s = 0; s < end; ++s) {
    if (series[s].requests == 0 || !Breach(spec, series[s]).empty()) continue;
    const double offered = OfferedAt(offered_rps, s);
    if (held_any && offered < result.highest_rate_held_rps) continue;
    held_any = true;  // ties go to the later second: it held that rate the longest
    result.highest_rate_held_rps = offered;
    result.held_at_s = double(s);
  }
  return result;
}

size_t SettledSeconds(Duration elapsed, Duration deadline) {
  const Duration settled = elapsed - deadline - std::chrono::seconds(1);
  if (settled <= Duration(0)) return 0;
  return size_t(settled / std::chrono::seconds(1));
}

std::optional<Verdict> CapacityVerdict(const CapacitySpec& spec, const CapacityResult& result, double run_length_s) {
  if (!spec.min_rate) return std::nullopt;
  Verdict v;
  v.name = fmt::format("capacity: highest rate held >= {:g}/s", spec.min_rate->per_second);
  v.group = "capacity";
  v.window = "all";
  v.metric = "capacity_rps";
  v.comparison = std::string(kAtLeast);
  v.threshold = spec.min_rate->per_second;
  v.unit = "req/s";
  v.measured = result.highest_rate_held_rps;
  v.passed = Satisfies(*v.measured, v.comparison, v.threshold);
  v.duration_s = run_length_s;
  const std::string ending =
      result.broke ? fmt::format("broke at {:.0f}s at {}: {}", result.broke_at_s,
                                 FormatValue(result.broke_rate_rps, "req/s"), result.breach)
                   : "it never broke";
  v.message = fmt::format("highest rate held {} {} {} ({}; {})", FormatValue(*v.measured, v.unit),
                          v.passed ? v.comparison : Violated(v.comparison), FormatValue(v.threshold, v.unit),
                          result.criterion, ending);
  return v;
}

}  // namespace faultdrill::judge
