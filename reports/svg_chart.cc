#include "reports/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

#include "fmt/format.h"
#include "reports/escape.h"

namespace faultdrill::reports {
namespace {

// Plot area margins, in SVG units. The top margin grows with the rows of band
// labels above the plot (see LabelRows); the bottom one holds the time ticks
// and the x label.
constexpr double kLeft = kChartLeftMargin, kRight = kChartRightMargin, kBottom = 44;
constexpr double kHeaderHeight = 30, kLabelRowHeight = 14, kCharWidth = 6.6;
constexpr int kMaxLabelRows = 4;

// The 1, 2 or 5 times a power of ten nearest to range / target (Heckbert's
// "nice numbers").
double NiceStep(double range, int target) {
  const double raw = range / std::max(1, target);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / magnitude;
  if (fraction < 1.5) return magnitude;
  if (fraction < 3) return 2 * magnitude;
  if (fraction < 7) return 5 * magnitude;
  return 10 * magnitude;
}

struct Scale {
  double x_max = 1, y_low = 0, y_high = 1;
  bool log = false;
  double width = 0, height = 0, top = kHeaderHeight;

  double X(double s) const { return kLeft + (width - kLeft - kRight) * std::clamp(s / x_max, 0.0, 1.0); }
  double Y(double v) const {
    const double plot = height - top - kBottom;
    double f = log ? (std::log10(v) - std::log10(y_low)) / (std::log10(y_high) - std::log10(y_low))
                   : (v - y_low) / (y_high - y_low);
    return top + plot * (1.0 - std::clamp(f, 0.0, 1.0));
  }
};

// Band labels longer than this are cut (with "…") in the chart; the band's
// <title> keeps the whole text.
constexpr size_t kMaxLabelBytes = 48;

std::string ShortLabel(const std::string& label) {
  if (label.size() <= kMaxLabelBytes) return label;
  size_t cut = kMaxLabelBytes;
  while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return label.substr(0, cut) + "…";
}

// Where a band's label sits horizontally: right of the band's start, or left
// of it when it would run past the right edge.
struct LabelPlace {
  double start = 0, end = 0;
  bool flip = false;
};

LabelPlace PlaceLabel(const ChartSpec& spec, const Scale& scale, const ChartBand& band, const std::string& text) {
  const double x0 = scale.X(band.from_s);
  const double width = kCharWidth * static_cast<double>(text.size());
  if (x0 + 4 + width <= spec.width - kRight) return LabelPlace{x0 + 4, x0 + 4 + width, false};
  return LabelPlace{x0 - 4 - width, x0 - 4, true};
}

// The band labels above the plot: each one's text and row (-1: not drawn).
struct LabelLayout {
  std::vector<std::string> texts;
  std::vector<int> rows;
  int row_count = 0;
  bool all_fit = true;
};

// Each label in the first of kMaxLabelRows rows where it overlaps no other
// label; one that fits in none is not drawn. With `keys`, the bands' keys
// stand in for their labels.
LabelLayout LayOutLabels(const ChartSpec& spec, const Scale& scale, bool keys) {
  LabelLayout layout;
  std::vector<std::vector<LabelPlace>> taken;
  for (const ChartBand& band : spec.bands) {
    std::string text = keys && !band.key.empty() ? band.key : ShortLabel(band.label);
    const LabelPlace place = PlaceLabel(spec, scale, band, text);
    auto fits = [&](const std::vector<LabelPlace>& row) {
      return std::none_of(row.begin(), row.end(), [&](const LabelPlace& other) {
        return place.start < other.end + 6 && other.start < place.end + 6;
      });
    };
    int row = 0;
    while (row < static_cast<int>(taken.size()) && !fits(taken[row])) ++row;
    if (row >= kMaxLabelRows) {
      row = -1;
      layout.all_fit = false;
    } else {
      if (row == static_cast<int>(taken.size())) taken.emplace_back();
      taken[row].push_back(place);
    }
    layout.texts.push_back(std::move(text));
    layout.rows.push_back(row);
  }
  layout.row_count = static_cast<int>(taken.size());
  return layout;
}

// The labels in full when they all fit, else the keys (when the bands have them).
LabelLayout LayOutLabels(const ChartSpec& spec, const Scale& scale) {
  LabelLayout full = LayOutLabels(spec, scale, false);
  const bool keyed =
      std::any_of(spec.bands.begin(), spec.bands.end(), [](const ChartBand& band) { return !band.key.empty(); });
  return full.all_fit || !keyed ? full : LayOutLabels(spec, scale, true);
}

bool Plotted(const ChartSpec& spec, double value) { return std::isfinite(value) && (!spec.log_y || value > 0); }

Scale MakeScale(const ChartSpec& spec, std::vector<double>& y_ticks) {
  Scale scale;
  scale.log = spec.log_y;
  scale.width = spec.width;
  scale.height = spec.height;
  double x_max = spec.x_max_s, lo = INFINITY, hi = -INFINITY;
  for (const ChartSeries& s : spec.series) {
    for (const auto& [x, y] : s.points) {
      if (std::isfinite(x)) x_max = std::max(x_max, x);
      if (!Plotted(spec, y)) continue;
      lo = std::min(lo, y);
      hi = std::max(hi, y);
    }
  }
  if (spec.x_max_s > 0) x_max = spec.x_max_s;  // fixed: the run's shared axis
  scale.x_max = x_max > 0 ? x_max : 1;
  if (spec.log_y) {
    if (!(lo <= hi)) {  // nothing to plot
      lo = 1;
      hi = 10;
    }
    scale.y_low = std::pow(10.0, std::floor(std::log10(lo)));
    scale.y_high = std::pow(10.0, std::ceil(std::log10(hi)));
    if (scale.y_high <= scale.y_low) scale.y_high = scale.y_low * 10;
    y_ticks = LogTicks(scale.y_low, scale.y_high);
  } else {
    if (!(lo <= hi)) hi = 1;
    hi *= 1.08;  // headroom: a line at the maximum should not run along the frame
    scale.y_low = 0;
    const double step = NiceStep(std::max(hi, 1e-9), 5);
    scale.y_high = std::max(step, std::ceil(hi / step) * step);
    y_ticks = LinearTicks(0, scale.y_high);
  }
  return scale;
}

void AppendBands(const ChartSpec& spec, const Scale& scale, const LabelLayout& labels, std::string& out) {
  const double bottom = spec.height - kBottom;
  for (size_t i = 0; i < spec.bands.size(); ++i) {
    const ChartBand& band = spec.bands[i];
    const double x0 = scale.X(band.from_s);
    const int row = labels.rows[i];
    const double label_y = kHeaderHeight + 10 + kLabelRowHeight * row;
    out += "<g class=\"band\">";
    out += fmt::format("<title>{}</title>", EscapeXmlText(band.label));
    if (band.to_s > band.from_s) {
      out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"/>", x0, scale.top,
                         std::max(1.0, scale.X(band.to_s) - x0), bottom - scale.top);
    } else {
      out += fmt::format("<line class=\"marker\" x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>", x0,
                         scale.top, bottom);
    }
    if (row >= 0) {  // a tick from the label down to the band, and the label
      out += fmt::format("<line class=\"tick\" x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>", x0,
                         label_y - 9, scale.top);
      const LabelPlace place = PlaceLabel(spec, scale, band, labels.texts[i]);
      out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>", place.start, label_y,
                         EscapeXmlText(labels.texts[i]));
    }
    out += "</g>\n";
  }
}

void AppendAxes(const ChartSpec& spec, const Scale& scale, const std::vector<double>& y_ticks, std::string& out) {
  const double bottom = spec.height - kBottom, right = spec.width - kRight;
  out += "<g class=\"grid\">";
  for (double t : y_ticks) {
    const double y = scale.Y(t);
    out += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>", kLeft, y, right, y);
  }
  out += "</g>\n<g class=\"axis\">";
  out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\"/>", kLeft, bottom, right);
  out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>", kLeft, scale.top, bottom);
  for (double t : y_ticks) {
    out += fmt::format("<text class=\"ytick\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>", kLeft - 6, scale.Y(t) + 4,
                       TickLabel(t));
  }
  for (const TimeTick& tick : TimeTicks(scale.x_max)) {
    const double x = scale.X(tick.t_s);
    out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>", x, bottom, bottom + 4);
    out += fmt::format("<text class=\"xtick\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>", x, bottom + 17, tick.label);
  }
  if (!spec.x_label.empty()) {
    out += fmt::format("<text class=\"xlabel\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>", (kLeft + right) / 2,
                       bottom + 35, EscapeXmlText(spec.x_label));
  }
  // Along the y axis, reading upwards, centred on the plot.
  out += fmt::format("<text class=\"ylabel\" transform=\"translate(14 {:.1f}) rotate(-90)\">{}{}</text>",
                     (scale.top + bottom) / 2, EscapeXmlText(spec.y_label), spec.log_y ? ", log scale" : "");
  out += "</g>\n";
}

void AppendLegend(const ChartSpec& spec, std::string& out) {
  double x = spec.width - kRight;
  std::string items;
  // Right-aligned: lay out from the right edge, leftwards.
  for (auto it = spec.series.rbegin(); it != spec.series.rend(); ++it) {
    x -= 22 + 7.0 * static_cast<double>(it->name.size()) + 12;
    items += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"12\" x2=\"{1:.1f}\" y2=\"12\" stroke=\"{2}\"/>"
        "<text x=\"{3:.1f}\" y=\"16\">{4}</text>",
        x, x + 16, EscapeXmlAttribute(it->color), x + 20, EscapeXmlText(it->name));
  }
  out += "<g class=\"legend\">" + items + "</g>\n";
}

// One <polyline> per stretch of `s` between gaps; a stretch of one point is
// drawn as a dot (the point twice: a round-capped line of no length).
void AppendSeries(const ChartSpec& spec, const Scale& scale, const ChartSeries& s, std::string& out) {
  bool any = false;
  std::string points;
  size_t in_stretch = 0;
  auto flush = [&] {
    if (in_stretch == 0 && any) return;
    if (in_stretch == 1) points += " " + points;
    out += fmt::format("<polyline class=\"series\" data-series=\"{}\" stroke=\"{}\" points=\"{}\"/>\n",
                       EscapeXmlAttribute(s.name), EscapeXmlAttribute(s.color), points);
    any = true;
    points.clear();
    in_stretch = 0;
  };
  for (const auto& point : s.points) {
    const auto [x, y] = point;
    if (IsGap(point)) {
      if (in_stretch > 0) flush();
      continue;
    }
    if (!std::isfinite(x) || x < 0 || x > scale.x_max || !Plotted(spec, y)) continue;
    if (!points.empty()) points += ' ';
    points += fmt::format("{:.1f},{:.1f}", scale.X(x), scale.Y(y));
    ++in_stretch;
  }
  if (in_stretch > 0 || !any) flush();
}

}  // namespace

std::string TickLabel(double v) {
  const double a = std::abs(v);
  if (a >= 1e6) return fmt::format("{:g}M", v / 1e6);
  if (a >= 1e4) return fmt::format("{:g}k", v / 1e3);
  return fmt::format("{:g}", std::round(v * 1000) / 1000);
}

std::vector<TimeTick> TimeTicks(double x_max_s) {
  constexpr double kMaxTicks = 12;
  // Round steps: seconds below a minute, then minutes, then hours.
  static constexpr double kSteps[] = {0.1,  0.2,  0.5,  1,    2,     5,     10,    15,    30,    60,
                                      120,  300,  600,  900,  1800,  3600,  7200,  10800, 21600, 43200,
                                      86400};
  if (!(x_max_s > 0) || !std::isfinite(x_max_s)) return {{0, "0s"}};
  double step = 86400 * std::ceil(x_max_s / 86400 / kMaxTicks);  // days, past the table
  for (double candidate : kSteps) {
    if (x_max_s / candidate <= kMaxTicks) {
      step = candidate;
      break;
    }
  }
  std::vector<TimeTick> ticks;
  for (int i = 0; i <= kMaxTicks + 1; ++i) {  // multiply, not accumulate, so ticks do not drift
    const double t = i * step;
    if (t > x_max_s * (1 + 1e-9)) break;
    std::string label;
    if (step < 60) {
      label = TickLabel(t) + "s";
    } else {
      const auto minutes = static_cast<int64_t>(std::llround(t / 60));
      const int64_t hours = minutes / 60, rest = minutes % 60;
      label = hours == 0  ? fmt::format("{}m", minutes)
              : rest == 0 ? fmt::format("{}h", hours)
                          : fmt::format("{}h{}m", hours, rest);
    }
    ticks.push_back(TimeTick{t, std::move(label)});
  }
  return ticks;
}

std::vector<std::pair<double, double>> DownsampleMinMax(const std::vector<std::pair<double, double>>& points,
                                                        size_t max_points) {
  std::vector<std::pair<double, double>> kept;
  kept.reserve(points.size());
  for (const auto& p : points) {
    if (IsGap(p) || (std::isfinite(p.first) && std::isfinite(p.second))) kept.push_back(p);
  }
  std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  // A run of gaps is one break.
  kept.erase(std::unique(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return IsGap(a) && IsGap(b); }),
             kept.end());
  max_points = std::max<size_t>(max_points, 3);
  if (kept.size() <= max_points) return kept;
  const bool gaps = std::any_of(kept.begin(), kept.end(), [](const auto& p) { return IsGap(p); });
  const size_t slices = max_points / (gaps ? 3 : 2);
  const double x0 = kept.front().first, span = kept.back().first - x0;
  std::vector<std::pair<double, double>> out;
  out.reserve(max_points);
  size_t i = 0;
  for (size_t slice = 0; slice < slices && i < kept.size(); ++slice) {
    // The last slice takes everything left, whatever rounding did.
    const double end = slice + 1 == slices ? INFINITY : x0 + span * double(slice + 1) / double(slices);
    std::optional<size_t> low, high, gap;
    for (; i < kept.size() && (kept[i].first < end || span <= 0); ++i) {
      if (IsGap(kept[i])) {
        if (!gap) gap = i;
        continue;
      }
      if (!low || kept[i].second < kept[*low].second) low = i;
      if (!high || kept[i].second > kept[*high].second) high = i;
    }
    std::vector<size_t> chosen;
    for (const std::optional<size_t>& k : {low, high, gap}) {
      if (k && std::find(chosen.begin(), chosen.end(), *k) == chosen.end()) chosen.push_back(*k);
    }
    std::sort(chosen.begin(), chosen.end());
    for (size_t k : chosen) out.push_back(kept[k]);
  }
  return out;
}

std::vector<double> LinearTicks(double low, double high, int target) {
  std::vector<double> ticks;
  if (!(high > low) || !std::isfinite(low) || !std::isfinite(high)) return {low};
  const double step = NiceStep(high - low, target);
  const double first = std::ceil(low / step);
  for (int i = 0; i < 1000; ++i) {  // multiply, not accumulate, so ticks do not drift
    const double t = (first + i) * step;
    if (t > high + step * 1e-9) break;
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  }
  return ticks;
}

std::vector<double> LogTicks(double low, double high) {
  std::vector<double> ticks;
  if (!(low > 0) || !(high > low) || !std::isfinite(high)) return {low};
  const int first = static_cast<int>(std::floor(std::log10(low)));
  const int last = static_cast<int>(std::ceil(std::log10(high)));
  const bool fine = last - first <= 3;
  for (int d = first; d <= last; ++d) {
    const double decade = std::pow(10.0, d);
    for (double m : {1.0, 2.0, 5.0}) {
      if (m != 1.0 && !fine) continue;
      const double t = m * decade;
      if (t >= low * (1 - 1e-9) && t <= high * (1 + 1e-9)) ticks.push_back(t);
    }
  }
  return ticks;
}

std::string RenderSvgChart(const ChartSpec& spec) {
  std::vector<double> y_ticks;
  Scale scale = MakeScale(spec, y_ticks);
  const LabelLayout labels = LayOutLabels(spec, scale);
  const int row_count = labels.row_count;
  scale.top = kHeaderHeight + kLabelRowHeight * row_count + 4;
  std::string out = fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {0} {1}\" width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" "
      "role=\"img\" aria-label=\"{2}\">\n",
      spec.width, spec.height, EscapeXmlAttribute(spec.title));
  AppendBands(spec, scale, labels, out);
  AppendAxes(spec, scale, y_ticks, out);
  for (const ChartSeries& s : spec.series) AppendSeries(spec, scale, s, out);
  AppendLegend(spec, out);
  out += "</svg>";
  return out;
}

}  // namespace faultdrill::reports
