#include "reports/html_timeline.h"

#include "fmt/format.h"
#include "reports/html_parts.h"
#include "reports/report_text.h"
#include "reports/run_charts.h"
#include "reports/svg_chart.h"
#include "reports/svg_strip.h"

namespace faultdrill::reports {
namespace {

using html::H;

void AppendChart(std::string_view heading, std::string_view note, const ChartSpec& spec, std::string& out) {
  out += fmt::format("<h3>{} <span class=\"meta\">{}</span></h3>\n<figure>", H(heading), H(note));
  out += RenderSvgChart(spec) + "</figure>\n";
}

void AppendErrorsByCode(const RunResult& r, std::string& out) {
  const ChartSpec spec = ErrorsByCodeChart(r);
  if (spec.series.empty()) {
    out += "<h3>Errors by gRPC status code</h3>\n<p class=\"empty\">No request failed.</p>\n";
    return;
  }
  AppendChart("Errors by gRPC status code", "one line per code, the most frequent first", spec, out);
}

void AppendProbes(const RunResult& r, std::string& out) {
  if (r.probes.empty()) return;
  const StripSpec health = ProbeHealthStrip(r);
  if (!health.tracks.empty()) {
    out += "<h3>Probe health <span class=\"meta\">green: the probe's check passed; red: it failed</span></h3>\n"
           "<figure>";
    out += RenderSvgStrip(health) + "</figure>\n";
  }
  for (const ProbeSeries& series : r.probes) {
    if (IsHealthSeries(series)) continue;
    out += fmt::format("<h3>Probe {} · {} <span class=\"meta\">{} probe{}</span></h3>\n", H(series.probe),
                       H(series.value), H(series.kind), series.unit.empty() ? "" : ", " + H(series.unit));
    if (series.points.empty()) {
      out += "<p class=\"empty\">No samples.</p>\n";
      continue;
    }
    out += "<figure>" + RenderSvgChart(ProbeChart(r, series)) + "</figure>\n";
  }
}

}  // namespace

void AppendTimelineSection(const RunResult& r, std::string& out) {
  out += html::SectionStart("timeline", "Timeline");
  out += fmt::format(
      "<p class=\"note\">Every chart shares one time axis: seconds from the start of the load, 0 to {}. Shaded and "
      "labelled: the faults in force (numbered as in the injector log when their names do not fit). Long series "
      "are drawn from the lowest and highest value of each slice of time (at most {} points a line), so spikes stay "
      "visible.</p>\n",
      H(FormatSeconds(TimelineEnd(r))), kMaxDrawnPoints);
  AppendChart("Latency",
              "per second, corrected: from each request's intended send time; the successful calls, with a gap "
              "where none succeeded, and the failed calls' p99 on its own line",
              LatencyChart(r), out);
  AppendChart("Throughput and errors", "requests per second", ThroughputChart(r), out);
  AppendErrorsByCode(r, out);
  AppendProbes(r, out);
  out += "</section>\n";
}

}  // namespace faultdrill::reports
