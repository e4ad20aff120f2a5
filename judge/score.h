// The resilience score: one number (0-100) per run, so that drills of the
// same scenario can be compared quarter to quarter.
//
//   score = 100 * sum(weight of each passed verdict) / sum(weight of every verdict)
//
// Weights by verdict group, by how much a failure of that kind says about
// the service: steady-state 3 (the service was not healthy when it should
// have been), golden 3 (wrong answers), abort 3 (the drill had to be
// stopped), recovery 2, slo 2, probe 2 (leaks,
// saturation), shadow 2 (a candidate worse than the primary), fault 1 (the
// drill did not do what it said: a failure of the drill more than of the
// service); any other group 1. A run without verdicts scores 100.
#ifndef FAULTDRILL_JUDGE_SCORE_H_
#define FAULTDRILL_JUDGE_SCORE_H_

#include <string_view>
#include <vector>

#include "core/run_result.h"

namespace faultdrill::judge {

double ScoreWeight(std::string_view group);

ResilienceScore Score(const std::vector<Verdict>& verdicts);

}  // namespace faultdrill::judge

#endif  // FAULTDRILL_JUDGE_SCORE_H_
