#include "load/schedule.h"

#include <algorithm>
#include <cmath>

namespace faultdrill::load {

OpenLoopSchedule::OpenLoopSchedule(Rate start, std::vector<RampStep> ramp, Duration length)
    : length_(length) {
  const double end_s = ToSeconds(length);
  double t = 0, rate = start.per_second, before = 0;
  auto add = [&](double until, double slope) {
    until = std::min(until, end_s);
    if (until <= t) return;
    segments_.push_back({t, until, rate, slope, before});
    const double span = until - t;
    before += rate * span + 0.5 * slope * span * span;
    rate += slope * span;
    t = until;
  };
  for (const RampStep& step : ramp) {
    const double over = ToSeconds(step.over);
    if (over <= 0) {  // a step with no duration jumps
      rate = step.to.per_second;
      continue;
    }
    add(t + over, (step.to.per_second - rate) / over);
    if (t >= end_s) break;
    rate = step.to.per_second;  // exact, without rounding from the slope
  }
  add(end_s, 0);
}

std::optional<Duration> OpenLoopSchedule::IntendedTime(uint64_t n) const {
  const double target = double(n);
  // Segments are few (one per ramp step); a linear scan is fine.
  for (const Segment& s : segments_) {
    const double span = s.end_s - s.start_s;
    const double in_segment = s.rate0 * span + 0.5 * s.slope * span * span;
    const double need = target - s.before;
    if (need < 0) continue;
    if (need >= in_segment) continue;
    double tau;
    if (s.slope == 0) {
      tau = need / s.rate0;
    } else {
      // Solve rate0*tau + slope*tau^2/2 = need, in the form that stays
      // accurate when slope is small or negative.
      const double disc = std::max(0.0, s.rate0 * s.rate0 + 2 * s.slope * need);
      const double denom = s.rate0 + std::sqrt(disc);
      tau = denom > 0 ? 2 * need / denom : 0;
    }
    const double t = s.start_s + std::clamp(tau, 0.0, span);
    const Duration offset(std::llround(t * 1e9));
    if (offset >= length_) return std::nullopt;
    return offset;
  }
  return std::nullopt;
}

uint64_t OpenLoopSchedule::TotalRequests() const {
  if (segments_.empty()) return 0;
  const Segment& last = segments_.back();
  const double span = last.end_s - last.start_s;
  const double total = last.before + last.rate0 * span + 0.5 * last.slope * span * span;
  uint64_t n = uint64_t(std::max(0.0, std::ceil(total)));
  // Settle rounding at the boundary exactly as IntendedTime does.
  while (n > 0 && !IntendedTime(n - 1)) --n;
  while (IntendedTime(n)) ++n;
  return n;
}

}  // namespace faultdrill::load
