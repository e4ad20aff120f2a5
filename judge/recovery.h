// Recovery time: how long after a fault the service was healthy again, and
// stayed so, measured on the per-second series (RunResult::series).
//
// A second is healthy when it had requests, its error rate is at most the
// steady-state error_rate SLO (1% when the steady state sets none) and its p99
// is at most the steady-state p99_latency SLO (when set); with several
// steady-state SLOs the strictest value of each applies. A second missing from
// the series had no requests, so it is unhealthy.
//
// The p99 here is that of EVERY call of the second (SecondSample::p99_ms),
// not only the successful ones as latency SLOs judge: health asks whether
// callers were served well, and a second of timeouts is not healthy. Failed
// calls cannot make a second look healthy either: its error rate is judged
// in the same second, so a second of fast failures is unhealthy by errors.
//
// The clock starts at the fault's end: its actual revert time
// (FaultRecord::reverted_at_s) when recorded, else the planned one
// (Timeline::FaultEnd). A fault without an end in the timeline (a kill without
// restart_after, or any fault that stays in force until the end of the run) is
// measured from its apply time, actual when recorded, else planned: the
// question is then how long the service took to absorb it.
//
// The horizon ends at the next fault's start (the earliest other fault that
// starts at or after this one's end, actual apply time when recorded), or at the
// end of the run. Faults that overlap this one are not separated from it.
//
// Resolution is one second: recovery is max(0, s - end), where s is the start
// of the first whole second at or after floor(end) such that every whole
// second from s until the horizon is healthy. The second that contains the end
// counts, so a fault the service never noticed recovers in 0 s; a slow
// recovery is overstated by less than one second. Recovery cannot be shown
// when there is no healthy whole second before the horizon.
#ifndef FAULTDRILL_JUDGE_RECOVERY_H_
#define FAULTDRILL_JUDGE_RECOVERY_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/run_result.h"
#include "core/scenario.h"
#include "core/timeline.h"

namespace faultdrill::judge {

struct HealthCriteria {
  double max_error_rate = 0.01;      // fraction
  std::optional<double> max_p99_ms;  // unset: latency does not count
};

// The strictest error_rate and p99_latency among the steady-state SLOs.
HealthCriteria HealthFromSteadyState(const SteadyStateSpec& steady_state);

bool IsHealthy(const SecondSample& second, const HealthCriteria& health);

// The definition of recovery time for the report, with this run's numbers:
// "from the fault's end until every following second ... error rate <= 1% ...".
std::string RecoveryDefinition(const HealthCriteria& health);

// Seconds from `from_s` until the service was healthy through the last whole
// second before `horizon_end_s` (see above), or nullopt when it never was.
std::optional<double> RecoveryTime(const std::vector<SecondSample>& series, double from_s,
                                   double horizon_end_s, const HealthCriteria& health);

struct FaultRecovery {
  std::string fault;
  double from_s = 0;                 // the fault's end (or apply time without an end)
  double horizon_end_s = 0;          // the next fault's start, or the end of the run
  std::string horizon_end;           // what ends it: "<fault name> started" or "the run ended"
  std::optional<double> recovery_s;  // absent: did not recover before the horizon
};

// The recovery from timeline fault `index`, using the actual times in
// result.faults (matched by name) where present. The run ends at
// result.duration_s, or at the timeline's run_length when that is 0.
FaultRecovery MeasureRecovery(const Timeline& timeline, const RunResult& result, size_t index,
                              const HealthCriteria& health);

}  // namespace faultdrill::judge

#endif  // FAULTDRILL_JUDGE_RECOVERY_H_
