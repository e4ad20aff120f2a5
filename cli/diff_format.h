// How `faultdrill diff` shows a RunDiff: an aligned table for the terminal
// and Markdown for a merge-request comment. Pure functions of the diff.
#ifndef FAULTDRILL_CLI_DIFF_FORMAT_H_
#define FAULTDRILL_CLI_DIFF_FORMAT_H_

#include <string>

#include "judge/run_diff.h"

namespace faultdrill::cli {

// The terminal table: a headline, warnings, then one row per compared value,
// regressions first. `all`: also the unchanged rows (else only their count).
// `colour`: regressions red, improvements green (console_style.h).
std::string FormatDiffTable(const judge::RunDiff& diff, bool all, bool colour);

// Markdown for a merge-request comment: a headline with the verdict, a table
// of regressions and improvements, everything else in a collapsed <details>.
// Text from the results is escaped for Markdown tables (| and line breaks)
// and HTML (<, >, &).
std::string FormatDiffMarkdown(const judge::RunDiff& diff);

// "12.3 ms", "0.50%", "passed"/"failed" (verdict rows), "—" when absent.
std::string DiffValueText(const judge::DiffRow& row, bool base);

}  // namespace faultdrill::cli

#endif  // FAULTDRILL_CLI_DIFF_FORMAT_H_
