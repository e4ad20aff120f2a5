// When each request of an open-loop run is meant to be sent.
//
// The rate is piecewise linear (core/rate_profile.h): `start` at offset 0,
// then each RampStep moves it linearly to `to` over `over`, in order; after
// the last step it stays put. The n-th request (n from 0) is intended at the time t where the integral of
// the rate from 0 to t equals n, computed in closed form for every n (no
// accumulated drift over long runs). Request 0 is at offset 0.
//
// Immutable after construction; thread-safe.
#ifndef FAULTDRILL_LOAD_SCHEDULE_H_
#define FAULTDRILL_LOAD_SCHEDULE_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "core/duration.h"
#include "core/rate_profile.h"
#include "core/scenario.h"

namespace faultdrill::load {

class OpenLoopSchedule {
 public:
  // Ramp steps that reach past `length` are cut there.
  OpenLoopSchedule(Rate start, std::vector<RampStep> ramp, Duration length);

  // The intended send offset of request n, or nullopt when it falls at or past
  // `length` (or the rate stays at zero).
  std::optional<Duration> IntendedTime(uint64_t n) const;

  // Requests the whole schedule holds (the first n with no intended time).
  uint64_t TotalRequests() const;

  Duration length() const { return length_; }

 private:
  RateProfile profile_;
  Duration length_;
};

}  // namespace faultdrill::load

#endif  // FAULTDRILL_LOAD_SCHEDULE_H_
