// The charts of a run, as chart specs built from RunResult::series, the probe
// series and the fault records: what the HTML report plots.
#ifndef FAULTDRILL_REPORTS_RUN_CHARTS_H_
#define FAULTDRILL_REPORTS_RUN_CHARTS_H_

#include <cstddef>
#include <vector>

#include "core/run_result.h"
#include "reports/svg_chart.h"
#include "reports/svg_strip.h"

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

// The most points a probe chart draws per series, and the most segments a
// health strip draws per probe: a day of samples every 100 ms still renders
// as a page of a few hundred kilobytes.
inline constexpr size_t kMaxDrawnPoints = 600;

// A probe's "healthy" series (1 healthy, 0 not), which every probe has.
bool IsHealthSeries(const ProbeSeries& series);

// One value series of a probe (not a health series) over the run: the
// values in a readable unit for their magnitude (ScaleUnit: bytes as
// KiB/MiB/GiB, ...), the unit's label on the y axis, at most kMaxDrawnPoints
// points (DownsampleMinMax), the faults shaded.
ChartSpec ProbeChart(const RunResult& result, const ProbeSeries& series);

// One track per probe health series: up from each sample to the next (the
// last one lasts as long as the interval before it), down likewise. With more
// than kMaxDrawnPoints changes, the run is cut into kMaxDrawnPoints slices and a
// slice with any down sample is down, so a single failed check still shows.
StripSpec ProbeHealthStrip(const RunResult& result);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_RUN_CHARTS_H_
