// A small time-series line chart rendered as inline SVG (no scripts, no
// external references): one <polyline> per series, labelled axis ticks, a
// legend, and shaded, labelled time bands (fault windows). Deterministic: the
// same spec renders the same bytes.
#ifndef FAULTDRILL_REPORTS_SVG_CHART_H_
#define FAULTDRILL_REPORTS_SVG_CHART_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace faultdrill::reports {

// The plot area's left and right margins in every chart, so that charts
// stacked on one page (svg_strip.h too) share their time axis.
inline constexpr double kChartLeftMargin = 64, kChartRightMargin = 16;

struct ChartSeries {
  std::string name;   // in the legend
  std::string color;  // a CSS color, e.g. "#2b6cb0"
  std::vector<std::pair<double, double>> points;  // (seconds, value), in x order
};

// A shaded stretch of time, e.g. a fault being in force. `to_s` <= `from_s`
// draws a vertical marker (an instantaneous fault).
struct ChartBand {
  double from_s = 0;
  double to_s = 0;
  std::string label;
};

struct ChartSpec {
  std::string title;    // for screen readers (aria-label)
  std::string y_label;  // e.g. "ms"
  bool log_y = false;   // log scale; points <= 0 are left out
  double x_max_s = 0;   // the x axis runs from 0 to this (at least the last point)
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

// At most `max_points` (at least 2) of `points` for drawing: when there are
// more, the x range is cut into max_points / 2 equal slices and each slice
// keeps its lowest and its highest point, in x order, so spikes and dips
// survive. Points with a non-finite coordinate are left out. The result is
// in x order.
std::vector<std::pair<double, double>> DownsampleMinMax(const std::vector<std::pair<double, double>>& points,
                                                        size_t max_points);

// Ticks for a log axis over [low, high] (both > 0): decades, plus 2 and 5
// within each decade when the range spans few decades.
std::vector<double> LogTicks(double low, double high);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_SVG_CHART_H_
