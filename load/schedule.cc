#include "load/schedule.h"

#include <algorithm>
#include <cmath>

namespace faultdrill::load {

OpenLoopSchedule::OpenLoopSchedule(Rate start, std::vector<RampStep> ramp, Duration length)
    : profile_(start, ramp, length), length_(length) {}

std::optional<Duration> OpenLoopSchedule::IntendedTime(uint64_t n) const {
  const double target = double(n);
  // Segments are few (one per ramp step); a linear scan is fine.
  for (const RateProfile::Segment& s : profile_.segments()) {
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
  if (profile_.segments().empty()) return 0;
  const RateProfile::Segment& last = profile_.segments().back();
  const double span = last.end_s - last.start_s;
  const double total = last.before + last.rate0 * span + 0.5 * last.slope * span * span;
  uint64_t n = uint64_t(std::max(0.0, std::ceil(total)));
  // Settle rounding at the boundary exactly as IntendedTime does.
  while (n > 0 && !IntendedTime(n - 1)) --n;
  while (IntendedTime(n)) ++n;
  return n;
}

}  // namespace faultdrill::load
