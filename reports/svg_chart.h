// A small time-series line chart rendered as inline SVG (no scripts, no
// external references): one <polyline> per series, both axes labelled (the
// y label, with its unit, written along the y axis; the x label under the
// time ticks), a legend, and shaded, labelled time bands (fault windows).
// Deterministic: the same spec renders the same bytes. RenderSvgChart draws
// every point it is given: callers bound long series with DownsampleMinMax.
#ifndef FAULTDRILL_REPORTS_SVG_CHART_H_
#define FAULTDRILL_REPORTS_SVG_CHART_H_

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace faultdrill::reports {

// The plot area's left and right margins in every chart, so that charts
// stacked on one page (svg_strip.h too) share their time axis.
inline constexpr double kChartLeftMargin = 64, kChartRightMargin = 16;

// A point (t, kGap) breaks its series' line at t: nothing is drawn between
// the points on either side of it. For a time with nothing to show, such as
// a second in which no call succeeded (it has no latency: a gap, not a zero).
inline constexpr double kGap = std::numeric_limits<double>::quiet_NaN();
inline bool IsGap(const std::pair<double, double>& point) {
  return std::isfinite(point.first) && std::isnan(point.second);
}

struct ChartSeries {
  std::string name;   // in the legend
  std::string color;  // a CSS color, e.g. "#2b6cb0"
  // (seconds, value), in x order; gaps as (seconds, kGap). Each stretch
  // between gaps is one <polyline> (a stretch of one point, a dot), all with
  // the series' name in data-series; a series with nothing to draw is one
  // empty <polyline>.
  std::vector<std::pair<double, double>> points;
};

// A shaded stretch of time, e.g. a fault being in force. `to_s` <= `from_s`
// draws a vertical marker (an instantaneous fault). Labels go in up to four
// rows above the plot; when they do not all fit there, every band is
// labelled with its `key` instead (when the bands have keys), and a label
// that still finds no room is left out. The band's <title> always carries
// the whole label.
struct ChartBand {
  double from_s = 0;
  double to_s = 0;
  std::string label;
  std::string key;  // a short stand-in for the label, e.g. "3"
};

// The x axis's label in every chart of a run.
inline constexpr char kTimeAxisLabel[] = "time from the start of the load";

struct ChartSpec {
  std::string title;    // for screen readers (aria-label)
  std::string y_label;  // with its unit, e.g. "latency (ms)"
  std::string x_label = kTimeAxisLabel;
  bool log_y = false;   // log scale; points <= 0 are left out
  // The x axis runs from 0 to this, exactly, so that charts of one run share
  // their axis; points outside it are not drawn. 0: up to the last point.
  double x_max_s = 0;
  std::vector<ChartSeries> series;
  std::vector<ChartBand> bands;
  int width = 1100;
  int height = 300;
};

// An <svg> element (for inline use in HTML; text is escaped).
std::string RenderSvgChart(const ChartSpec& spec);

// "Nice" tick values covering [low, high]: 1, 2 or 5 times a power of ten
// apart, about `target` of them. For a linear axis.
std::vector<double> LinearTicks(double low, double high, int target = 5);

// A tick label: "0", "0.5", "20", "1.5k", "2M".
std::string TickLabel(double value);

// Ticks for a time axis over [0, x_max_s]: at most about 12, a round step
// apart (1, 2 or 5 times a power of ten seconds below a minute; 1, 2, 5, 10,
// 15 or 30 minutes, then hours), labelled "15s", "0.5s", "10m", "1h", "1h30m".
struct TimeTick {
  double t_s = 0;
  std::string label;
};
std::vector<TimeTick> TimeTicks(double x_max_s);

// At most `max_points` (at least 3) of `points` for drawing: when there are
// more, the x range is cut into equal slices and each slice keeps its lowest
// and its highest point, in x order, so spikes and dips survive, and its
// first gap (IsGap), so a break in the line survives too (max_points / 2
// slices, max_points / 3 when there are gaps). Consecutive gaps count as
// one; other points with a non-finite coordinate are left out. The result
// is in x order.
std::vector<std::pair<double, double>> DownsampleMinMax(const std::vector<std::pair<double, double>>& points,
                                                        size_t max_points);

// Ticks for a log axis over [low, high] (both > 0): decades, plus 2 and 5
// within each decade when the range spans few decades.
std::vector<double> LogTicks(double low, double high);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_SVG_CHART_H_
