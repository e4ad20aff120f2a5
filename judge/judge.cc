#include "judge/judge.h"

#include <algorithm>
#include <string>

#include "core/duration.h"
#include "fmt/format.h"
#include "judge/probe_judge.h"
#include "judge/recovery.h"
#include "judge/verdict_format.h"
#include "judge/window_check.h"

namespace faultdrill::judge {
namespace {

constexpr std::string_view kRecoveryKey = "recovery_time";

// The faults a recovery SLO covers: its recovery_fault, or every fault.
std::vector<size_t> RecoveryFaults(const SloSpec& slo, const Timeline& timeline) {
  std::vector<size_t> out;
  for (size_t i = 0; i < timeline.faults().size(); ++i) {
    if (slo.recovery_fault.empty() || timeline.faults()[i].name == slo.recovery_fault) out.push_back(i);
  }
  return out;
}

Verdict JudgeRecovery(const SloSpec& slo, const Timeline& timeline, const RunResult& result,
                      const HealthCriteria& health) {
  Verdict v;
  v.metric = std::string(kRecoveryKey);
  v.comparison = std::string(kAtMost);
  v.threshold = ToSeconds(*slo.recovery_time);
  v.unit = "s";
  const std::string threshold = FormatValue(v.threshold, v.unit);

  const std::vector<size_t> faults = RecoveryFaults(slo, timeline);
  if (faults.empty()) {
    v.window = slo.recovery_fault.empty() ? "all" : fmt::format("after({})", slo.recovery_fault);
    v.message = slo.recovery_fault.empty()
                    ? fmt::format("no fault to recover from (recovery <= {} could not be checked)", threshold)
                    : fmt::format("fault {} is not in the timeline (recovery <= {} could not be checked)",
                                  slo.recovery_fault, threshold);
    return v;
  }

  // The worst recovery: one that never happened, else the longest.
  std::optional<FaultRecovery> worst;
  for (size_t index : faults) {
    FaultRecovery r = MeasureRecovery(timeline, result, index, health);
    const bool worse = !worst || (worst->recovery_s && (!r.recovery_s || *r.recovery_s > *worst->recovery_s));
    if (worse) worst = std::move(r);
  }
  const std::string of_many = faults.size() > 1 ? fmt::format(" (worst of {} faults)", faults.size()) : "";
  v.window = fmt::format("after({})", worst->fault);
  v.duration_s = std::max(0.0, worst->horizon_end_s - worst->from_s);
  if (!worst->recovery_s) {
    v.message = fmt::format("did not recover within {} after {}, before {}{} (threshold {})",
                            FormatValue(v.duration_s, "s"), worst->fault, worst->horizon_end, of_many,
                            threshold);
    return v;
  }
  v.measured = *worst->recovery_s;
  v.passed = Satisfies(*v.measured, v.comparison, v.threshold);
  v.message = fmt::format("recovery {} {} {} after {}{}", FormatValue(*v.measured, v.unit),
                          v.passed ? v.comparison : Violated(v.comparison), threshold, worst->fault, of_many);
  return v;
}

// The window thresholds of `slo` on `window_name`, named and grouped.
void AppendWindowVerdicts(const SloSpec& slo, std::string_view window_name, const RunResult& result,
                          std::string_view group, std::string_view prefix, UniqueNames& names,
                          std::vector<Verdict>& out) {
  const WindowResult* window = result.FindWindow(window_name);
  for (const Threshold& threshold : WindowThresholds(slo)) {
    Verdict v = CheckThreshold(threshold, window_name, window);
    v.name = names.Claim(VerdictName(prefix, slo, threshold.key, ThresholdText(threshold), window_name));
    v.group = std::string(group);
    out.push_back(std::move(v));
  }
  if (slo.probe) {
    Verdict v;
    if (window == nullptr) {
      v = CheckProbeThreshold(*slo.probe, {}, window_name, 0, 0);
      v.message = fmt::format("window {} was not measured", window_name);
    } else {
      v = CheckProbeThreshold(*slo.probe, result.probes, window_name, window->start_s, window->end_s);
    }
    v.name = names.Claim(VerdictName(prefix, slo, "probe", slo.probe->ToString(), window_name));
    v.group = std::string(group);
    out.push_back(std::move(v));
  }
}

}  // namespace

std::vector<Verdict> JudgeSlos(const Scenario& scenario, const Timeline& timeline, const RunResult& result) {
  std::vector<Verdict> out;
  UniqueNames names;
  const HealthCriteria health = HealthFromSteadyState(scenario.steady_state);
  for (const SloSpec& slo : scenario.slos) {
    AppendWindowVerdicts(slo, slo.window.ToString(), result, "slo", "", names, out);
    if (slo.recovery_time) {
      Verdict v = JudgeRecovery(slo, timeline, result, health);
      v.name = names.Claim(VerdictName("", slo, kRecoveryKey,
                                       fmt::format("{} <= {}", kRecoveryKey, FormatValue(v.threshold, v.unit)),
                                       v.window));
      v.group = "recovery";
      out.push_back(std::move(v));
    }
  }
  return out;
}

std::vector<Verdict> JudgeSteadyState(const Scenario& scenario, const Timeline& timeline,
                                      const RunResult& result) {
  std::vector<Verdict> out;
  UniqueNames names;
  for (const SloSpec& slo : scenario.steady_state.slos) {
    AppendWindowVerdicts(slo, "before", result, "steady-state", "before: ", names, out);
  }
  if (timeline.faults().empty()) return out;
  for (const SloSpec& slo : scenario.steady_state.slos) {
    AppendWindowVerdicts(slo, "final", result, "steady-state", "after: ", names, out);
  }
  return out;
}

Outcome Decide(const std::vector<Verdict>& verdicts) {
  const bool all_passed = std::all_of(verdicts.begin(), verdicts.end(), [](const Verdict& v) { return v.passed; });
  return all_passed ? Outcome::kPassed : Outcome::kFailed;
}

}  // namespace faultdrill::judge
