#include "judge/score.h"

#include <algorithm>

namespace faultdrill::judge {

double ScoreWeight(std::string_view group) {
  if (group == "steady-state" || group == "golden" || group == "abort") return 3;
  if (group == "recovery" || group == "slo" || group == "probe" || group == "shadow") return 2;
  return 1;
}

ResilienceScore Score(const std::vector<Verdict>& verdicts) {
  ResilienceScore score;
  score.formula = "100 * sum(weight of passed verdicts) / sum(weight of all verdicts); weights per verdict by group";
  double earned = 0, possible = 0;
  for (const Verdict& v : verdicts) {
    auto it = std::find_if(score.groups.begin(), score.groups.end(),
                           [&](const ScoreGroup& g) { return g.group == v.group; });
    if (it == score.groups.end()) {
      score.groups.push_back(ScoreGroup{v.group, ScoreWeight(v.group), 0, 0});
      it = score.groups.end() - 1;
    }
    ++it->total;
    possible += it->weight;
    if (v.passed) {
      ++it->passed;
      earned += it->weight;
    }
  }
  score.score = possible > 0 ? 100.0 * earned / possible : 100.0;
  return score;
}

}  // namespace faultdrill::judge
