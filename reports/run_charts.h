// The charts of a run, as chart specs built from RunResult::series and the
// fault records: what the HTML report plots.
#ifndef FAULTDRILL_REPORTS_RUN_CHARTS_H_
#define FAULTDRILL_REPORTS_RUN_CHARTS_H_

#include <vector>

#include "core/run_result.h"
#include "reports/svg_chart.h"

namespace faultdrill::reports {

// One band per fault, at its actual times when recorded, else the planned
// ones; a fault without an end is a marker at its start.
std::vector<ChartBand> FaultBands(const RunResult& result);

// Per-second p50 and p99 (ms, corrected latency) at the middle of each second
// that had requests. Log scale when p99's maximum is over 20x p50's minimum.
ChartSpec LatencyChart(const RunResult& result);

// Per-second successful requests and errors, every second of the run (a
// second missing from the series counts as zero).
ChartSpec ThroughputChart(const RunResult& result);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_RUN_CHARTS_H_
