#include "reports/html_report.h"

#include <exception>

#include "core/durable_file.h"
#include "fmt/format.h"
#include "reports/html_faults.h"
#include "reports/html_golden.h"
#include "reports/html_parts.h"
#include "reports/html_style.h"
#include "reports/html_summary.h"
#include "reports/html_timeline.h"
#include "reports/report_text.h"

namespace faultdrill::reports {
namespace {

using html::Cell;
using html::H;
using html::Pill;

void AppendVerdicts(const RunResult& r, std::string& out) {
  out += html::SectionStart("verdicts", "Verdicts");
  if (r.verdicts.empty()) {
    out += "<p class=\"empty\">No verdicts: the scenario sets no objectives.</p>\n</section>\n";
    return;
  }
  out += "<table class=\"verdicts\">\n<thead><tr><th>Result</th><th>Verdict</th><th class=\"num\">Measured</th>"
         "<th class=\"num\">Threshold</th><th>Window</th><th>Details</th></tr></thead>\n<tbody>\n";
  for (const Verdict& v : r.verdicts) {
    out += fmt::format("<tr class=\"verdict {}\"><td>{}</td>", v.passed ? "passed" : "failed",
                       Pill(v.passed ? "pass" : "fail", v.passed ? "pass" : "fail"));
    out += fmt::format("<td><div class=\"name\">{}</div><div class=\"meta\">{} · {}</div></td>", H(v.name),
                       H(v.group), H(v.metric));
    out += Cell(MeasuredText(v), v.measured ? "num" : "num missing");
    out += Cell(ThresholdText(v), "num") + Cell(v.window, "window") + Cell(v.message, "message") + "</tr>\n";
  }
  out += "</tbody>\n</table>\n</section>\n";
}

void AppendWindows(const RunResult& r, std::string& out) {
  if (r.windows.empty()) return;
  out += html::SectionStart("windows", "Windows");
  out += "<p class=\"note\">Latency percentiles of the successful calls, from each request's intended send time; "
         "the failed calls' p99 on its own (a call that failed fast is not latency of the service). "
         "— where there were no such calls.</p>\n";
  out += "<table>\n<thead><tr><th>Window</th><th class=\"num\">From</th>"
         "<th class=\"num\">To</th><th class=\"num\">Requests</th><th class=\"num\">Errors</th>"
         "<th class=\"num\">Throughput</th><th class=\"num\">p50</th><th class=\"num\">p90</th>"
         "<th class=\"num\">p99</th><th class=\"num\">p99.9</th><th class=\"num\">Max</th>"
         "<th class=\"num\">Failed p99</th></tr></thead>\n<tbody>\n";
  for (const WindowResult& w : r.windows) {
    std::string errors = std::to_string(w.errors);
    if (w.requests > 0) errors += " (" + FormatWithUnit(w.error_rate() * 100, "%") + ")";
    out += "<tr>" + Cell(w.name) + Cell(FormatSeconds(w.start_s), "num") + Cell(FormatSeconds(w.end_s), "num") +
           Cell(std::to_string(w.requests), "num") + Cell(errors, w.errors ? "num bad" : "num") +
           Cell(FormatWithUnit(w.throughput_rps, "req/s"), "num");
    const LatencySummary& ok = w.ok_latency;
    for (double ms : {ok.p50_ms, ok.p90_ms, ok.p99_ms, ok.p999_ms, ok.max_ms}) {
      out += ok.count ? Cell(FormatWithUnit(ms, "ms"), "num") : Cell("—", "num missing");
    }
    out += w.failed_latency.count ? Cell(FormatWithUnit(w.failed_latency.p99_ms, "ms"), "num")
                                  : Cell("—", "num missing");
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n</section>\n";
}

void AppendEventRow(const Event& e, std::string& out) {
  out += "<tr>" + Cell(FormatSeconds(e.t_s), "num") + Cell(e.source, "source") + Cell(e.message, "message") + "</tr>\n";
}

void AppendEvents(const RunResult& r, std::string& out) {
  out += html::SectionStart("events", "Events");
  if (r.events.empty()) {
    out += "<p class=\"empty\">No events were recorded.</p>\n</section>\n";
    return;
  }
  const size_t total = r.events.size();
  const size_t head = total > kMaxEventsShown ? kMaxEventsShown / 2 : total;
  const size_t tail_from = total > kMaxEventsShown ? total - (kMaxEventsShown - head) : total;
  out += "<table class=\"events\">\n<thead><tr><th class=\"num\">Time</th><th>Source</th><th>Event</th></tr></thead>\n"
         "<tbody>\n";
  for (size_t i = 0; i < head; ++i) AppendEventRow(r.events[i], out);
  if (tail_from > head) {
    out += fmt::format(
        "<tr class=\"left-out\"><td colspan=\"3\">… {} events from {} to {} left out here (the page shows the first "
        "{} and the last {}; result.json has them all).</td></tr>\n",
        tail_from - head, H(FormatSeconds(r.events[head].t_s)), H(FormatSeconds(r.events[tail_from - 1].t_s)), head,
        total - tail_from);
  }
  for (size_t i = tail_from; i < total; ++i) AppendEventRow(r.events[i], out);
  out += "</tbody>\n</table>\n</section>\n";
}

}  // namespace

std::string RenderHtml(const RunResult& result) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{} — {} — faultdrill</title>\n", H(result.scenario_name), OutcomeName(result.outcome));
  out += fmt::format("<style>\n{}</style>\n</head>\n<body>\n<main>\n", kReportCss);
  AppendSummaryHeader(result, out);
  AppendScoreSection(result, out);
  AppendCapacitySection(result, out);
  AppendVerdicts(result, out);
  AppendTimelineSection(result, out);
  AppendRecoverySection(result, out);
  AppendGoldenSection(result, out);
  AppendPoisonSection(result, out);
  AppendInjectorLogSection(result, out);
  AppendWindows(result, out);
  AppendEvents(result, out);
  out += fmt::format("<footer>faultdrill {} · {}</footer>\n</main>\n</body>\n</html>\n", H(result.faultdrill_version),
                     H(result.scenario_file));
  return out;
}

absl::Status WriteHtmlReport(const RunResult& result, const std::string& path) {
  std::string text;
  try {
    text = RenderHtml(result);
  } catch (const std::exception& e) {
    return absl::InternalError(fmt::format("cannot render {}: {}", path, e.what()));
  }
  return WriteFileAtomically(path, text);
}

}  // namespace faultdrill::reports
