// The planned request rate of an open-loop load over time: `start` at offset
// 0, then each RampStep moves it linearly to `to` over `over`, in order (a
// step with no duration jumps); after the last step it stays put; nothing
// past `length`. One piece of arithmetic for the two that need it: the load's
// schedule (load/schedule.h: when request n is meant to go) and the capacity
// judge (judge/capacity.h: which rate a second offered).
//
// Immutable after construction; thread-safe.
#ifndef FAULTDRILL_CORE_RATE_PROFILE_H_
#define FAULTDRILL_CORE_RATE_PROFILE_H_

#include <vector>

#include "core/duration.h"
#include "core/scenario.h"

namespace faultdrill {

class RateProfile {
 public:
  // rate(t) = rate0 + slope * (t - start_s) on [start_s, end_s); `before`
  // requests' worth were planned before start_s.
  struct Segment {
    double start_s = 0, end_s = 0;
    double rate0 = 0, slope = 0;
    double before = 0;
  };

  // Ramp steps that reach past `length` are cut there.
  RateProfile(Rate start, const std::vector<RampStep>& ramp, Duration length);
  // An open-loop load's profile; a closed loop plans no rate (no segments).
  static RateProfile Of(const LoadSpec& load);

  // The planned rate at offset t (s), in requests/s; 0 outside [0, length).
  double RateAt(double t_s) const;
  // Requests planned in [0, t_s) (fractional).
  double PlannedBefore(double t_s) const;
  // The mean planned rate over [from_s, to_s), cut at the length; 0 when empty.
  double MeanRate(double from_s, double to_s) const;

  const std::vector<Segment>& segments() const { return segments_; }
  double length_s() const { return length_s_; }

 private:
  std::vector<Segment> segments_;  // contiguous from 0 to length_s_
  double length_s_ = 0;
};

}  // namespace faultdrill

#endif  // FAULTDRILL_CORE_RATE_PROFILE_H_
