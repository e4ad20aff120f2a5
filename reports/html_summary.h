// The top of report.html, what a reader needs at a glance: the header (the
// scenario, the outcome as a badge, the resilience score, the target,
// duration, start time, load, fault and verdict counts, the faultdrill
// version, any abort reason, and the exact command that reproduces the run,
// in a <code> block that selects whole with one click), the score's
// breakdown by verdict group, and a stress run's capacity answer. Every
// string from the RunResult is escaped.
#ifndef FAULTDRILL_REPORTS_HTML_SUMMARY_H_
#define FAULTDRILL_REPORTS_HTML_SUMMARY_H_

#include <string>

#include "core/run_result.h"

namespace faultdrill::reports {

// RunResult::command, or, for results written before it existed,
// "faultdrill run <scenario_file> --seed <seed>" (the file shell-quoted when
// it needs it).
std::string ReproduceCommand(const RunResult& result);

// Appends the <header>.
void AppendSummaryHeader(const RunResult& result, std::string& out);

// Appends the score section (the header shows the score): its formula and a
// table of groups, weights and points. Nothing when the result has no score.
void AppendScoreSection(const RunResult& result, std::string& out);

// Appends the capacity section: the criterion, the highest rate that held and
// when, and where and why it broke (or that it held to the end). Nothing when
// the result has no capacity answer (not a stress run).
void AppendCapacitySection(const RunResult& result, std::string& out);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_HTML_SUMMARY_H_
