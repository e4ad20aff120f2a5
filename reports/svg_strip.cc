#include "reports/svg_strip.h"

#include <algorithm>
#include <cmath>

#include "fmt/format.h"
#include "reports/escape.h"
#include "reports/report_text.h"

namespace faultdrill::reports {
namespace {

// Row geometry, in SVG units: a name line above a bar, then a gap.
constexpr double kTop = 6, kNameHeight = 13, kBarHeight = 12, kRowGap = 8, kAxisHeight = 26;
constexpr double kRowHeight = kNameHeight + kBarHeight + kRowGap;
// Down stretches stay visible however short they are.
constexpr double kMinDownWidth = 1.5;

struct StripScale {
  double x_max = 1, width = 0;
  double X(double s) const {
    const double plot = width - kChartLeftMargin - kChartRightMargin;
    return kChartLeftMargin + plot * std::clamp(s / x_max, 0.0, 1.0);
  }
};

double XMax(const StripSpec& spec) {
  if (spec.x_max_s > 0 && std::isfinite(spec.x_max_s)) return spec.x_max_s;  // the run's shared axis
  double x_max = 0;
  for (const StripTrack& track : spec.tracks) {
    for (const StripSegment& s : track.segments) {
      if (std::isfinite(s.to_s)) x_max = std::max(x_max, s.to_s);
    }
  }
  return x_max > 0 ? x_max : 1;
}

void AppendBands(const StripSpec& spec, const StripScale& scale, double bottom, std::string& out) {
  for (const ChartBand& band : spec.bands) {
    const double x0 = scale.X(band.from_s);
    out += fmt::format("<g class=\"band\"><title>{}</title>", EscapeXmlText(band.label));
    if (band.to_s > band.from_s) {
      out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"/>", x0, kTop,
                         std::max(1.0, scale.X(band.to_s) - x0), bottom - kTop);
    } else {
      out += fmt::format("<line class=\"marker\" x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>", x0,
                         kTop, bottom);
    }
    out += "</g>\n";
  }
}

void AppendTrack(const StripTrack& track, double y, const StripScale& scale, std::string& out) {
  const double left = kChartLeftMargin, right = scale.X(scale.x_max);
  out += fmt::format("<text class=\"track-name\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>", left, y + kNameHeight - 3,
                     EscapeXmlText(track.name));
  const double bar = y + kNameHeight;
  out += fmt::format("<rect class=\"track\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"/>", left, bar,
                     right - left, kBarHeight);
  for (const StripSegment& s : track.segments) {
    if (!std::isfinite(s.from_s) || !std::isfinite(s.to_s)) continue;
    const double x0 = scale.X(s.from_s);
    const double width = std::max(scale.X(s.to_s) - x0, s.up ? 0.0 : kMinDownWidth);
    if (width <= 0) continue;
    out += fmt::format("<rect class=\"{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\">",
                       s.up ? "up" : "down", x0, bar, width, kBarHeight);
    if (!s.up) {
      out += fmt::format("<title>down {} → {}</title>", FormatSeconds(s.from_s), FormatSeconds(s.to_s));
    }
    out += "</rect>";
  }
  out += "\n";
}

void AppendAxis(const StripScale& scale, double bottom, std::string& out) {
  out += "<g class=\"axis\">";
  out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\"/>", kChartLeftMargin, bottom,
                     scale.X(scale.x_max));
  for (const TimeTick& tick : TimeTicks(scale.x_max)) {
    const double x = scale.X(tick.t_s);
    out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>", x, bottom, bottom + 4);
    out += fmt::format("<text class=\"xtick\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>", x, bottom + 17, tick.label);
  }
  out += "</g>\n";
}

}  // namespace

std::string RenderSvgStrip(const StripSpec& spec) {
  const StripScale scale{XMax(spec), double(spec.width)};
  const double bottom = kTop + kRowHeight * double(spec.tracks.size());
  const double height = bottom + kAxisHeight;
  std::string out = fmt::format(
      "<svg class=\"chart strip\" viewBox=\"0 0 {0} {1:.0f}\" width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" "
      "role=\"img\" aria-label=\"{2}\">\n",
      spec.width, height, EscapeXmlAttribute(spec.title));
  AppendBands(spec, scale, bottom, out);
  for (size_t i = 0; i < spec.tracks.size(); ++i) AppendTrack(spec.tracks[i], kTop + kRowHeight * double(i), scale, out);
  AppendAxis(scale, bottom, out);
  out += "</svg>";
  return out;
}

}  // namespace faultdrill::reports
