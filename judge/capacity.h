// The answer of a stress run (scenario `capacity:`): the highest offered rate
// at which the capacity criterion still held, judged second by second.
//
// The rule, on the run's per-second series (RunResult::series: requests by
// the second their INTENDED send time fell in, corrected latency of the
// successful calls, SecondSample::ok_latency):
//   - a second is judged when it has completed requests (ok or not); a second
//     without any is not judged: it neither breaches nor holds, and it does
//     not end a breach in progress (it shows no recovery);
//   - a judged second breaches when the p99 of its SUCCESSFUL calls is above
//     `p99_latency` (or none of them succeeded: nothing served cannot hold a
//     latency criterion, and a failed-fast call must not lower the p99), or
//     the fraction of its requests that failed is above `error_rate`;
//   - the criterion breaks at the first breach that lasts `for` (from the
//     start of its first second to the end of its latest; at least one
//     second); a shorter breach is a blip: its seconds do not hold, but the
//     run goes on;
//   - the highest rate held is the highest offered rate among the judged
//     seconds before the breaking point (all of them when it never broke)
//     that did not breach; 0 when none held.
// The offered rate of a second is the load's planned rate averaged over it
// (core/rate_profile.h), not what the client managed to send.
//
// Pure functions, no state: the drill judges the run with them after the
// load, and, for `stop: true`, on the settled seconds while it runs, so the
// live decision and the reported result are the same computation.
#ifndef FAULTDRILL_JUDGE_CAPACITY_H_
#define FAULTDRILL_JUDGE_CAPACITY_H_

#include <cstddef>
#include <optional>
#include <vector>

#include "core/duration.h"
#include "core/run_result.h"
#include "core/scenario.h"

namespace faultdrill::judge {

// The planned (offered) rate of each second [s, s+1) of `load` for s in
// [0, seconds), in requests/s; a closed loop plans none (all 0).
std::vector<double> OfferedRates(const LoadSpec& load, size_t seconds);

// The capacity answer for `series` (dense, index = second) with the offered
// rate of each second in `offered_rps` (a second past its end offered 0).
CapacityResult JudgeCapacity(const CapacitySpec& spec, const std::vector<SecondSample>& series,
                             const std::vector<double>& offered_rps);

// How many whole seconds from the start are settled `elapsed` into the load:
// every request intended in them has been answered or has timed out, so their
// numbers no longer change. A second is settled once its end plus `deadline`
// plus a margin of one second (for a late send and for the call to return)
// has passed.
size_t SettledSeconds(Duration elapsed, Duration deadline);

// The capacity gate: group "capacity", metric "capacity_rps", highest rate
// held >= spec.min_rate. nullopt when the spec sets no min_rate.
// `run_length_s` becomes the verdict's duration.
std::optional<Verdict> CapacityVerdict(const CapacitySpec& spec, const CapacityResult& result, double run_length_s);

}  // namespace faultdrill::judge

#endif  // FAULTDRILL_JUDGE_CAPACITY_H_
