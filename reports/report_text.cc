#include "reports/report_text.h"

#include <algorithm>

#include <cmath>
#include <iterator>

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

size_t CodePoints(std::string_view text) {
  return std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

std::string FormatWithUnit(double value, std::string_view unit) {
  if (unit == "bytes") {
    const DisplayUnit shown = ScaleUnit(unit, std::abs(value));
    if (shown.divisor == 1) return fmt::format("{} B", FormatNumber(value, 0));
    return fmt::format("{} {}", FormatNumber(value / shown.divisor, 2), shown.label);
  }
  if (unit == "%") {
    const bool tiny = std::isfinite(value) && value != 0 && std::abs(value) < 0.01;
    return (tiny ? fmt::format("{:.2g}", value) : FormatNumber(value, 2)) + "%";
  }
  if (unit.empty()) return FormatNumber(value, 1);
  return fmt::format("{} {}", FormatNumber(value, 1), unit);
}

DisplayUnit ScaleUnit(std::string_view unit, double magnitude) {
  if (unit == "bytes") {
    static constexpr const char* kBinary[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    size_t power = 0;
    double divisor = 1;
    while (power + 1 < std::size(kBinary) && std::isfinite(magnitude) && magnitude >= divisor * 1024) {
      divisor *= 1024;
      ++power;
    }
    return DisplayUnit{divisor, kBinary[power]};
  }
  if (unit == "s" && magnitude > 0 && magnitude < 1) return DisplayUnit{0.001, "ms"};
  if (unit == "1/s") return DisplayUnit{1, "/s"};
  if (unit == "C") return DisplayUnit{1, "°C"};
  return DisplayUnit{1, std::string(unit)};
}

std::string ClipText(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return std::string(text.substr(0, cut)) + "…";
}

std::string MeasuredText(const Verdict& verdict) {
  return verdict.measured ? FormatWithUnit(*verdict.measured, verdict.unit) : "not measured";
}

std::string ThresholdText(const Verdict& verdict) {
  return fmt::format("{} {}", verdict.comparison, FormatWithUnit(verdict.threshold, verdict.unit));
}

std::string RecoveryText(const FaultRecord& fault) {
  if (fault.recovery_s) return FormatWithUnit(*fault.recovery_s, "s");
  if (fault.applied_at_s && !fault.recovery_horizon.empty()) {
    return fmt::format("did not recover before {}", fault.recovery_horizon);
  }
  return "—";
}

std::string ScoreText(const ResilienceScore& score) {
  return fmt::format("resilience score {}/100", FormatNumber(score.score, 1));
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
    if (f.recovery_s) {
      out += fmt::format("; recovered in {}", RecoveryText(f));
    } else if (f.applied_at_s && !f.recovery_horizon.empty()) {
      out += "; " + RecoveryText(f);
    }
    if (!f.error.empty()) out += fmt::format("; error: {}", f.error);
    out += "\n";
  }
  out += fmt::format("verdicts: {} passed, {} failed\n", result.verdicts.size() - failed, failed);
  if (result.score) out += ScoreText(*result.score) + "\n";
  return out;
}

}  // namespace faultdrill::reports
