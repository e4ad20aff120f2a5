#include "cli/summary.h"

#include <fmt/format.h>

#include <algorithm>

#include "absl/strings/str_join.h"
#include "cli/console_style.h"
#include "reports/report_text.h"

namespace faultdrill::cli {
namespace {

std::string Upper(std::string_view text) {
  std::string upper(text);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  return upper;
}

// At most `max` code points (max >= 1), ending in "…" when it was cut.
std::string Truncate(std::string_view text, size_t max) {
  if (reports::CodePoints(text) <= max) return std::string(text);
  size_t kept = 0, end = 0;  // keep max - 1 code points, then the ellipsis
  for (; end < text.size(); ++end) {
    if ((static_cast<unsigned char>(text[end]) & 0xC0) != 0x80 && kept++ == max - 1) break;
  }
  return std::string(text.substr(0, end)) + "…";
}

// "capacity: held 412.0 req/s (at 17s) with p99_latency <= 50ms for 2s; broke
// at 19s at 455.0 req/s: p99 212.4ms > 50ms"
std::string CapacityLine(const CapacityResult& capacity) {
  std::string line = fmt::format("capacity: held {:.1f} req/s (at {:.0f}s) with {}", capacity.highest_rate_held_rps,
                                 capacity.held_at_s, capacity.criterion);
  if (!capacity.broke) return line + "; never broke";
  return line + fmt::format("; broke at {:.0f}s at {:.1f} req/s: {}", capacity.broke_at_s, capacity.broke_rate_rps,
                            capacity.breach);
}

}  // namespace

std::string FormatSummary(const RunResult& result, const std::vector<std::string>& report_files, bool colour) {
  std::string out;
  const Colour outcome_colour = result.outcome == Outcome::kPassed    ? Colour::kGreen
                                : result.outcome == Outcome::kAborted ? Colour::kYellow
                                                                      : Colour::kRed;
  const WindowResult* all = result.FindWindow("all");
  out += fmt::format("\n{}  {}  ({:.1f}s of load, {} requests, {} errors{})\n", result.scenario_name,
                     Paint(Upper(OutcomeName(result.outcome)), outcome_colour, colour), result.duration_s, result.load.completed,
                     all ? all->errors : 0,
                     !all || !all->requests ? ""
                     : all->ok_latency.count ? fmt::format(", p99 {:.1f}ms", all->ok_latency.p99_ms)
                                             : ", no call succeeded");
  if (!result.abort_reason.empty()) out += fmt::format("  reason: {}\n", result.abort_reason);
  if (result.capacity) out += "  " + CapacityLine(*result.capacity) + "\n";

  if (!result.verdicts.empty()) {
    size_t name_width = 7;
    for (const Verdict& v : result.verdicts) name_width = std::max(name_width, reports::CodePoints(v.name));
    name_width = std::min<size_t>(name_width, 56);
    out += fmt::format("\n  {:<6} {:<{}}  {:>14}  {:>14}  {}\n", "result", "verdict", name_width, "measured",
                       "threshold", "window");
    for (const Verdict& v : result.verdicts) {
      std::string name = Truncate(v.name, name_width);
      const std::string mark = Paint(v.passed ? "PASS  " : "FAIL  ", v.passed ? Colour::kGreen : Colour::kRed, colour);
      out += fmt::format("  {} {:<{}}  {:>14}  {:>14}  {}\n", mark, name, name_width,
                         reports::MeasuredText(v), reports::ThresholdText(v), v.window);
    }
    size_t failed = std::count_if(result.verdicts.begin(), result.verdicts.end(),
                                  [](const Verdict& v) { return !v.passed; });
    out += fmt::format("  {} verdicts: {} passed, {} failed\n", result.verdicts.size(),
                       result.verdicts.size() - failed, failed);
    if (result.score) out += "  " + reports::ScoreText(*result.score) + "\n";
  }

  if (!result.faults.empty()) {
    out += "\n  faults\n";
    for (const FaultRecord& f : result.faults) {
      std::vector<std::string> counters;
      for (const auto& [key, value] : f.counters) counters.push_back(fmt::format("{}={}", key, value));
      out += fmt::format("  {:<9} {} ({}): applied {}, reverted {}  {}\n", f.state, f.name, f.kind,
                         reports::FormatSeconds(f.applied_at_s), reports::FormatSeconds(f.reverted_at_s),
                         absl::StrJoin(counters, " "));
      if (!f.error.empty()) out += fmt::format("            error: {}\n", f.error);
      if (f.applied_at_s) out += fmt::format("            recovery: {}\n", reports::RecoveryText(f));
    }
  }
  if (!report_files.empty()) out += fmt::format("\n  reports: {}\n", absl::StrJoin(report_files, "  "));
  if (!result.command.empty()) out += fmt::format("  reproduce: {}\n", result.command);
  return out;
}

}  // namespace faultdrill::cli
