// The summary printed at the end of a run: outcome, verdict table, faults, and
// where the reports are.
#ifndef FAULTDRILL_CLI_SUMMARY_H_
#define FAULTDRILL_CLI_SUMMARY_H_

#include <string>
#include <vector>

#include "core/run_result.h"

namespace faultdrill::cli {

// `report_files`: paths of the reports written.
// `colour`: the outcome and PASS/FAIL in colour (console_style.h; only on a terminal).
std::string FormatSummary(const RunResult& result, const std::vector<std::string>& report_files,
                          bool colour = false);

}  // namespace faultdrill::cli

#endif  // FAULTDRILL_CLI_SUMMARY_H_
