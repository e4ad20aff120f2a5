// Verdicts on golden-master (and shadow) comparisons: for every window the
// spec names ("all" when it names none), the number of differing responses
// must be at most spec.max_differing. A window where no response was compared
// fails: nothing measured, nothing proven.
#ifndef FAULTDRILL_GOLDEN_GOLDEN_VERDICTS_H_
#define FAULTDRILL_GOLDEN_GOLDEN_VERDICTS_H_

#include <vector>

#include "core/run_result.h"
#include "core/scenario.h"

namespace faultdrill::golden {

// One verdict per (window in spec.windows, `against` present in `results` for
// that window; "masters" when none is): group "golden", metric
// "differing_responses", comparison "<=", threshold spec.max_differing,
// measured the differing count (absent when nothing was compared). The
// message says how many differ, by how much (max abs/rel error, ULP, ranking
// and token disagreements) and shows the first difference.
// duration_s is left 0 (the caller knows the windows' lengths).
std::vector<Verdict> GoldenVerdicts(const GoldenSpec& spec, const std::vector<GoldenWindowResult>& results);

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_GOLDEN_VERDICTS_H_
