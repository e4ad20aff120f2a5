// Verdicts: what a run's measurements say about the scenario's objectives.
//
// The judge is a pure function of (Scenario, Timeline, RunResult): it reads the
// measured windows (RunResult::windows, named as Timeline::windows names them)
// and the per-second series (RunResult::series), and never touches the clock,
// the target or the file system. Thread-compatible; never throws.
//
// Decisions, in one place:
// - One Verdict per threshold that is set, in scenario order, thresholds in the
//   order p50, p90, p99, p999, error_rate, min_throughput, recovery_time.
// - Names: the SLO's name, plus " — <key>" (e.g. " — p99_latency") when the SLO
//   sets more than one threshold; a name already used in the same call gets
//   " (2)", " (3)", ... so names are unique within the returned vector.
// - Latencies are the coordinated-omission corrected ones (WindowResult::latency),
//   in ms, "<=". error_rate is "<=" and stored in percent (threshold and
//   measured, unit "%"). min_throughput is ">=" in successful req/s.
// - A verdict passes at its threshold: comparisons allow a relative tolerance
//   of 1e-9, so a value that prints equal to its threshold passes.
// - Nothing measured, nothing proven: a verdict whose window was not measured
//   fails with "window X was not measured", and one whose window had no
//   requests fails with "no requests in window X" — error_rate included (an
//   empty window would otherwise show a green 0% error rate for a load that
//   never ran). In both cases `measured` is absent.
// - Recovery: see recovery.h. The verdict (group "recovery", window
//   "after(<fault>)") reports the worst of the faults it covers and names it; a
//   fault that never recovers fails with "did not recover within Xs". A
//   recovery SLO in a run without faults fails ("no fault to recover from").
#ifndef FAULTDRILL_JUDGE_JUDGE_H_
#define FAULTDRILL_JUDGE_JUDGE_H_

#include <vector>

#include "core/run_result.h"
#include "core/scenario.h"
#include "core/timeline.h"

namespace faultdrill::judge {

// Judges scenario.slos (group "slo", or "recovery" for recovery_time), each on
// its own window.
std::vector<Verdict> JudgeSlos(const Scenario& scenario, const Timeline& timeline,
                               const RunResult& result);

// Judges scenario.steady_state.slos on the "before" window (names prefixed
// "before: ") and on the "final" window (prefixed "after: "), group
// "steady-state"; the SLOs' own `window` is ignored. Without faults the
// timeline has no "final" window, and only the "before" verdicts are made (the
// service was never disturbed). recovery_time in a steady-state SLO is not a
// steady-state property and is ignored here. Probes are judged elsewhere.
std::vector<Verdict> JudgeSteadyState(const Scenario& scenario, const Timeline& timeline,
                                      const RunResult& result);

// kPassed when every verdict passed (also when there are none: a scenario
// without objectives is a plain load run), else kFailed.
Outcome Decide(const std::vector<Verdict>& verdicts);

}  // namespace faultdrill::judge

#endif  // FAULTDRILL_JUDGE_JUDGE_H_
