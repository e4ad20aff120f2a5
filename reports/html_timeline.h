// The "Timeline" section of report.html: the run second by second, as charts
// stacked on one shared time axis (run_charts.h): latency percentiles,
// throughput and errors, errors by gRPC status code, then the probes (a
// health strip for every probe, one chart per value series: RSS, GPU memory,
// queue depth, ...). Every chart shades and labels the faults, labels both
// axes with their units and draws at most kMaxDrawnPoints points per series.
// Inline SVG only; every string from the RunResult is escaped.
#ifndef FAULTDRILL_REPORTS_HTML_TIMELINE_H_
#define FAULTDRILL_REPORTS_HTML_TIMELINE_H_

#include <string>

#include "core/run_result.h"

namespace faultdrill::reports {

void AppendTimelineSection(const RunResult& result, std::string& out);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_HTML_TIMELINE_H_
