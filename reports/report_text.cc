#include "reports/report_text.h"

#include <cmath>

#include "fmt/format.h"

namespace faultdrill::reports {

std::string FormatNumber(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  return fmt::format("{:.{}f}", value, decimals);
}

std::string FormatSeconds(std::optional<double> seconds, std::string_view absent) {
  if (!seconds) return std::string(absent);
  return FormatNumber(*seconds, 1) + "s";
}

std::string FormatWithUnit(double value, std::string_view unit) {
  if (unit == "%") {
    const bool tiny = std::isfinite(value) && value != 0 && std::abs(value) < 0.01;
    return (tiny ? fmt::format("{:.2g}", value) : FormatNumber(value, 2)) + "%";
  }
  if (unit.empty()) return FormatNumber(value, 1);
  return fmt::format("{} {}", FormatNumber(value, 1), unit);
}

std::string MeasuredText(const Verdict& verdict) {
  return verdict.measured ? FormatWithUnit(*verdict.measured, verdict.unit) : "not measured";
}

std::string ThresholdText(const Verdict& verdict) {
  return fmt::format("{} {}", verdict.comparison, FormatWithUnit(verdict.threshold, verdict.unit));
}

std::string FaultCountsText(const RunResult& result) {
  int applied = 0, reverted = 0, failed = 0;
  for (const FaultRecord& fault : result.faults) {
    applied += fault.applied_at_s.has_value();
    reverted += fault.reverted_at_s.has_value();
    failed += fault.state == "failed";
  }
  return fmt::format("faults: {} planned, {} applied, {} reverted, {} failed", result.faults.size(), applied,
                     reverted, failed);
}

std::string LoadText(const RunResult& result) {
  const RunResult::Load& load = result.load;
  std::string how = load.mode == "closed" ? fmt::format("closed loop with {} in flight", load.concurrency)
                    : load.mode == "open" ? fmt::format("open loop at {} req/s", FormatNumber(load.rate_rps))
                                          : fmt::format("{} load", load.mode.empty() ? "unknown" : load.mode);
  return fmt::format("{}: {} sent, {} completed, {} req/s achieved", how, load.sent, load.completed,
                     FormatNumber(load.achieved_rps));
}

std::string TargetText(const RunResult& result) {
  const RunResult::Target& target = result.target;
  std::string text = target.endpoint.empty() ? "(no endpoint)" : target.endpoint;
  if (!target.model.empty()) text += fmt::format(", model {}", target.model);
  if (target.embedded) text += " (embedded)";
  return text;
}

std::string RunSummaryText(const RunResult& result) {
  int failed = 0;
  for (const Verdict& v : result.verdicts) failed += !v.passed;
  std::string out = fmt::format("scenario {} ({}), seed {}\n", result.scenario_name, result.scenario_file, result.seed);
  out += fmt::format("outcome: {} (exit {})", OutcomeName(result.outcome), result.exit_code);
  if (!result.abort_reason.empty()) out += fmt::format(": {}", result.abort_reason);
  out += fmt::format("\nstarted {}, ran {}\n", result.started_at, FormatSeconds(result.duration_s));
  out += fmt::format("target: {}\n", TargetText(result));
  out += fmt::format("load: {}\n", LoadText(result));
  out += FaultCountsText(result) + "\n";
  for (const FaultRecord& f : result.faults) {
    out += fmt::format("  {} ({}): {}; applied {} (planned {}), reverted {} (planned {})", f.name, f.kind, f.state,
                       FormatSeconds(f.applied_at_s, "never"), FormatSeconds(f.planned_at_s),
                       FormatSeconds(f.reverted_at_s, "never"), FormatSeconds(f.planned_end_s, "none"));
    if (!f.error.empty()) out += fmt::format("; error: {}", f.error);
    out += "\n";
  }
  out += fmt::format("verdicts: {} passed, {} failed\n", result.verdicts.size() - failed, failed);
  return out;
}

}  // namespace faultdrill::reports
