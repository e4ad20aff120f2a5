// Plain-text pieces that more than one report prints the same way: numbers,
// times, a verdict's measured value and threshold, and the run summary. The
// results are unescaped text; callers escape them for their format.
#ifndef FAULTDRILL_REPORTS_REPORT_TEXT_H_
#define FAULTDRILL_REPORTS_REPORT_TEXT_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/run_result.h"

namespace faultdrill::reports {

// `value` with `decimals` decimals; "n/a" when it is not finite.
std::string FormatNumber(double value, int decimals = 1);

// "12.3s", or `absent` when there is no time.
std::string FormatSeconds(std::optional<double> seconds, std::string_view absent = "—");

// A value with a verdict unit: "812.0 ms", "2.50%", "150.0 req/s", "3.0 s".
std::string FormatWithUnit(double value, std::string_view unit);

// "812.0 ms", or "not measured".
std::string MeasuredText(const Verdict& verdict);

// "<= 150.0 ms".
std::string ThresholdText(const Verdict& verdict);

// "faults: 3 planned, 3 applied, 2 reverted, 1 failed".
std::string FaultCountsText(const RunResult& result);

// "open loop at 200.0 req/s: 12000 sent, 11990 completed, 199.8 req/s achieved".
std::string LoadText(const RunResult& result);

// "127.0.0.1:8001, model tinylm" (plus " (embedded)").
std::string TargetText(const RunResult& result);

// A short multi-line summary of the run: outcome, timing, target, load, each
// fault's planned and actual times, the verdict counts.
std::string RunSummaryText(const RunResult& result);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_REPORT_TEXT_H_
