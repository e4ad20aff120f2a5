// The charts of a run, as chart specs built from RunResult::series, the probe
// series and the fault records: what the HTML report's timeline plots.
//
// Every chart of a run shares one time axis, 0 to TimelineEnd(result), so
// that charts stacked on the page line up second for second; every one
// shades the faults (FaultBands); and every series is bounded to
// kMaxDrawnPoints points by the one downsampler, DownsampleMinMax (the lowest
// and highest point of each slice of time, so spikes and dips survive), so a
// day-long run renders as quickly and as small as a minute-long one.
#ifndef FAULTDRILL_REPORTS_RUN_CHARTS_H_
#define FAULTDRILL_REPORTS_RUN_CHARTS_H_

#include <cstddef>
#include <vector>

#include "core/run_result.h"
#include "reports/svg_chart.h"
#include "reports/svg_strip.h"

namespace faultdrill::reports {

// The most points a chart draws per series, and the most segments a health
// strip draws per probe: a day of samples every 100 ms still renders as a
// page of a few hundred kilobytes.
inline constexpr size_t kMaxDrawnPoints = 600;

// The most lines the errors-by-code chart draws: with more codes than this,
// the rarest are summed into one "N other codes" line.
inline constexpr size_t kMaxErrorCodesDrawn = 6;

// The end of the run's time axis, in seconds from the start of the load: the
// load's duration, or the end of the last second sampled when later.
double TimelineEnd(const RunResult& result);

// One band per fault, at its actual times when recorded, else the planned
// ones; a fault without an end is a marker at its start. Labelled with the
// fault's name; keyed with its number (1, 2, ...), as in the injector log.
std::vector<ChartBand> FaultBands(const RunResult& result);

// Per-second p50, p90 and p99 (ms, corrected latency) of the SUCCESSFUL
// calls at the middle of each second, with a gap (not a zero) in every
// second where no call succeeded (p90 left out when no second has one:
// results written before it existed); and "failed p99", the p99 of the
// failed calls, on its own line, drawn in the seconds that had failures (left
// out when nothing failed). Log scale when the highest p99 is over 20x the
// lowest p50 (or failed p99).
ChartSpec LatencyChart(const RunResult& result);

// Per-second successful requests and errors, every second of the run (a
// second missing from the series counts as zero).
ChartSpec ThroughputChart(const RunResult& result);

// Errors per second by gRPC status code, one line per code (the codes with
// the most errors first), every second of the run. No series when nothing
// failed.
ChartSpec ErrorsByCodeChart(const RunResult& result);

// A probe's "healthy" series (1 healthy, 0 not), which every probe has.
bool IsHealthSeries(const ProbeSeries& series);

// One value series of a probe (not a health series) over the run: the
// values in a readable unit for their magnitude (ScaleUnit: bytes as
// KiB/MiB/GiB, ...), "<value> (<unit>)" on the y axis, the faults shaded.
ChartSpec ProbeChart(const RunResult& result, const ProbeSeries& series);

// One track per probe health series: up from each sample to the next (the
// last one lasts as long as the interval before it), down likewise. With more
// than kMaxDrawnPoints changes, the run is cut into kMaxDrawnPoints slices and a
// slice with any down sample is down, so a single failed check still shows.
StripSpec ProbeHealthStrip(const RunResult& result);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_RUN_CHARTS_H_
