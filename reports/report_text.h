// Plain-text pieces that more than one report prints the same way: numbers,
// times, a verdict's measured value and threshold, and the run summary. The
// results are unescaped text; callers escape them for their format.
#ifndef FAULTDRILL_REPORTS_REPORT_TEXT_H_
#define FAULTDRILL_REPORTS_REPORT_TEXT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/run_result.h"

namespace faultdrill::reports {

// `value` with `decimals` decimals; "n/a" when it is not finite.
std::string FormatNumber(double value, int decimals = 1);

// "12.3s", or `absent` when there is no time.
std::string FormatSeconds(std::optional<double> seconds, std::string_view absent = "—");

// A value with a verdict unit: "812.0 ms", "2.50%", "150.0 req/s", "3.0 s";
// bytes in binary units: "512 B", "1.50 GiB".
std::string FormatWithUnit(double value, std::string_view unit);

// How to show values of `unit` whose magnitude is about `magnitude`: divide
// by `divisor` and write `label`. Bytes become B/KiB/MiB/GiB/TiB (the largest
// unit not above the magnitude), seconds below 1 become ms, "1/s" is "/s",
// "C" is "°C"; any other unit is kept as it is ("" stays "", a count).
struct DisplayUnit {
  double divisor = 1;
  std::string label;
};
DisplayUnit ScaleUnit(std::string_view unit, double magnitude);

// Code points in UTF-8 `text` (continuation bytes are not counted): its width
// in a terminal table, where "—" and "…" take one column.
size_t CodePoints(std::string_view text);

// `text` cut to at most `max_bytes` bytes (never inside a UTF-8 character)
// plus "…" when it was longer.
std::string ClipText(std::string_view text, size_t max_bytes);

// "812.0 ms", or "not measured".
std::string MeasuredText(const Verdict& verdict);

// "<= 150.0 ms".
std::string ThresholdText(const Verdict& verdict);

// A fault's recovery time: "2.0 s"; "did not recover before the run ended"
// when it was measured (a horizon is recorded) on an applied fault without a
// result; "—" when it was not measured.
std::string RecoveryText(const FaultRecord& fault);

// "resilience score 87.5/100".
std::string ScoreText(const ResilienceScore& score);

// "faults: 3 planned, 3 applied, 2 reverted, 1 failed".
std::string FaultCountsText(const RunResult& result);

// "open loop at 200.0 req/s: 12000 sent, 11990 completed, 199.8 req/s achieved".
std::string LoadText(const RunResult& result);

// "127.0.0.1:8001, model tinylm" (plus " (embedded)").
std::string TargetText(const RunResult& result);

// A short multi-line summary of the run: outcome, timing, target, load, each
// fault's planned and actual times and recovery, the verdict counts and the
// resilience score.
std::string RunSummaryText(const RunResult& result);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_REPORT_TEXT_H_
