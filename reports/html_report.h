// report.html: what people read after a drill. One self-contained file: inline
// CSS and inline SVG charts, no scripts, no fonts, images or links to fetch
// (it opens the same offline, from a CI artifact or an e-mail attachment).
//
// Sections: a header (scenario, outcome badge, start time, duration, target,
// load, abort reason), the resilience score (with its formula and a table of
// verdict groups, weights and points), the verdicts table (failed rows
// marked), a latency chart (per-second p50 and p99; log scale when they span
// more than 20x) and a throughput/errors chart, both with the faults shaded
// and labelled, the probes (a health strip and one chart per value series,
// each bounded to kMaxDrawnPoints points), the golden-master comparison
// (html_golden.h), the measured windows, the faults (planned vs actual times,
// recovery time, state, counters; the recovery definition below) and the
// events. The score, probes and golden sections are left out when the result
// has none. Every string from the RunResult is HTML-escaped (escape.h).
// Deterministic: the same RunResult renders the same bytes.
#ifndef FAULTDRILL_REPORTS_HTML_REPORT_H_
#define FAULTDRILL_REPORTS_HTML_REPORT_H_

#include <string>

#include "absl/status/status.h"
#include "core/run_result.h"

namespace faultdrill::reports {

std::string RenderHtml(const RunResult& result);

// Writes RenderHtml(result) to `path` atomically. Never throws.
absl::Status WriteHtmlReport(const RunResult& result, const std::string& path);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_HTML_REPORT_H_
