#include "core/rate_profile.h"

#include <algorithm>

namespace faultdrill {

RateProfile::RateProfile(Rate start, const std::vector<RampStep>& ramp, Duration length)
    : length_s_(ToSeconds(length)) {
  double t = 0, rate = start.per_second, before = 0;
  auto add = [&](double until, double slope) {
    until = std::min(until, length_s_);
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
    if (t >= length_s_) break;
    rate = step.to.per_second;  // exact, without rounding from the slope
  }
  add(length_s_, 0);
}

RateProfile RateProfile::Of(const LoadSpec& load) {
  if (load.mode != LoadMode::kOpen) return RateProfile(Rate{0}, {}, Duration(0));
  return RateProfile(load.rate, load.ramp, load.duration);
}

double RateProfile::RateAt(double t_s) const {
  for (const Segment& s : segments_) {
    if (t_s >= s.start_s && t_s < s.end_s) return s.rate0 + s.slope * (t_s - s.start_s);
  }
  return 0;
}

double RateProfile::PlannedBefore(double t_s) const {
  double planned = 0;
  for (const Segment& s : segments_) {
    if (t_s <= s.start_s) break;
    const double span = std::min(t_s, s.end_s) - s.start_s;
    planned = s.before + s.rate0 * span + 0.5 * s.slope * span * span;
  }
  return planned;
}

double RateProfile::MeanRate(double from_s, double to_s) const {
  from_s = std::max(from_s, 0.0);
  to_s = std::min(to_s, length_s_);
  if (to_s <= from_s) return 0;
  return (PlannedBefore(to_s) - PlannedBefore(from_s)) / (to_s - from_s);
}

}  // namespace faultdrill
