#include "reports/html_report.h"

#include <algorithm>
#include <cmath>
#include <exception>

#include "fmt/format.h"
#include "reports/atomic_file.h"
#include "reports/html_golden.h"
#include "reports/html_parts.h"
#include "reports/html_style.h"
#include "reports/report_text.h"
#include "reports/run_charts.h"
#include "reports/svg_chart.h"

namespace faultdrill::reports {
namespace {

using html::Cell;
using html::H;
using html::Pill;

std::string_view OutcomeClass(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPassed: return "pass";
    case Outcome::kFailed: return "fail";
    case Outcome::kAborted: return "warn";
    case Outcome::kError: return "fail";
  }
  return "fail";
}

std::string_view FaultStateClass(std::string_view state) {
  if (state == "reverted") return "pass";
  if (state == "failed") return "fail";
  if (state == "applied") return "warn";
  return "neutral";
}

void AppendHeader(const RunResult& r, std::string& out) {
  int failed = 0;
  for (const Verdict& v : r.verdicts) failed += !v.passed;
  const std::string outcome(OutcomeName(r.outcome));
  out += "<header>\n<div class=\"title\">";
  out += fmt::format("<h1>{}</h1>", H(r.scenario_name.empty() ? "(unnamed scenario)" : r.scenario_name));
  out += fmt::format("<span class=\"badge {}\">{}</span></div>\n", OutcomeClass(r.outcome), H(outcome));
  out += fmt::format("<p class=\"sub\">{} · seed {} · faultdrill {}</p>\n", H(r.scenario_file), r.seed,
                     H(r.faultdrill_version));
  if (!r.abort_reason.empty()) {
    out += fmt::format("<div class=\"banner\"><strong>{}:</strong> {}</div>\n",
                       r.outcome == Outcome::kAborted ? "Aborted" : "Stopped", H(r.abort_reason));
  }
  out += "<dl class=\"facts\">\n";
  const std::pair<std::string, std::string> facts[] = {
      {"Started", r.started_at.empty() ? "—" : r.started_at},
      {"Duration", FormatSeconds(r.duration_s)},
      {"Target", TargetText(r)},
      {"Load", LoadText(r)},
      {"Faults", FaultCountsText(r).substr(sizeof("faults: ") - 1)},
      {"Verdicts", fmt::format("{} passed, {} failed (exit code {})", r.verdicts.size() - failed, failed,
                               r.exit_code)},
  };
  for (const auto& [term, value] : facts) out += fmt::format("<div><dt>{}</dt><dd>{}</dd></div>\n", term, H(value));
  out += "</dl>\n</header>\n";
}

// "3", "1.5": weights and points as the judge set them.
std::string Weight(double value) { return fmt::format("{:g}", value); }

void AppendScore(const RunResult& r, std::string& out) {
  if (!r.score) return;
  const ResilienceScore& score = *r.score;
  const double shown = std::isfinite(score.score) ? std::clamp(score.score, 0.0, 100.0) : 0.0;
  out += "<section class=\"score\">\n<h2>Resilience score</h2>\n<div class=\"score-line\">";
  out += fmt::format("<div class=\"score-value\">{}<span class=\"of\">/100</span></div>",
                     H(FormatNumber(score.score, 1)));
  out += fmt::format("<div class=\"meter\"><div style=\"width: {:.1f}%\"></div></div></div>\n", shown);
  if (!score.formula.empty()) out += fmt::format("<p class=\"note\">{}</p>\n", H(score.formula));
  if (score.groups.empty()) {
    out += "<p class=\"empty\">No verdicts were scored.</p>\n</section>\n";
    return;
  }
  out += "<table class=\"score-groups\">\n<thead><tr><th>Group</th><th class=\"num\">Weight per verdict</th>"
         "<th class=\"num\">Passed</th><th class=\"num\">Points</th></tr></thead>\n<tbody>\n";
  double earned = 0, possible = 0;
  uint64_t passed = 0, total = 0;
  for (const ScoreGroup& g : score.groups) {
    const bool all_passed = g.passed >= g.total;
    out += "<tr>" + Cell(g.group.empty() ? "(none)" : g.group) + Cell(Weight(g.weight), "num") +
           Cell(fmt::format("{}/{}", g.passed, g.total), all_passed ? "num" : "num bad") +
           Cell(fmt::format("{}/{}", Weight(g.weight * double(g.passed)), Weight(g.weight * double(g.total))), "num") +
           "</tr>\n";
    earned += g.weight * double(g.passed);
    possible += g.weight * double(g.total);
    passed += g.passed;
    total += g.total;
  }
  out += "</tbody>\n<tfoot><tr>" + Cell("all") + Cell("") + Cell(fmt::format("{}/{}", passed, total), "num") +
         Cell(fmt::format("{}/{}", Weight(earned), Weight(possible)), "num") + "</tr></tfoot>\n</table>\n</section>\n";
}

void AppendVerdicts(const RunResult& r, std::string& out) {
  out += "<section>\n<h2>Verdicts</h2>\n";
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

void AppendChart(std::string_view heading, std::string_view note, const ChartSpec& spec, std::string& out) {
  out += fmt::format("<section>\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n<figure>", H(heading), H(note));
  out += RenderSvgChart(spec);
  out += "</figure>\n</section>\n";
}

// One line chart per probe value series, the health of every probe as one
// strip above them. Nothing when the scenario has no probes.
void AppendProbes(const RunResult& r, std::string& out) {
  if (r.probes.empty()) return;
  out += fmt::format(
      "<section>\n<h2>Probes</h2>\n<p class=\"note\">What each probe saw through the run (seconds from the start "
      "of the load). Shaded: faults in force. Series of more than {} samples are drawn from the lowest and highest "
      "sample of each slice of time, so that spikes stay visible.</p>\n",
      kMaxDrawnPoints);
  const StripSpec health = ProbeHealthStrip(r);
  if (!health.tracks.empty()) {
    out += "<h3>Health <span class=\"meta\">green: the probe's check passed; red: it failed</span></h3>\n<figure>";
    out += RenderSvgStrip(health) + "</figure>\n";
  }
  for (const ProbeSeries& series : r.probes) {
    if (IsHealthSeries(series)) continue;
    out += fmt::format("<h3>{} · {} <span class=\"meta\">{} probe{}</span></h3>\n", H(series.probe), H(series.value),
                       H(series.kind), series.unit.empty() ? "" : ", " + H(series.unit));
    if (series.points.empty()) {
      out += "<p class=\"empty\">No samples.</p>\n";
      continue;
    }
    out += "<figure>" + RenderSvgChart(ProbeChart(r, series)) + "</figure>\n";
  }
  out += "</section>\n";
}

void AppendWindows(const RunResult& r, std::string& out) {
  if (r.windows.empty()) return;
  out += "<section>\n<h2>Windows</h2>\n<table>\n<thead><tr><th>Window</th><th class=\"num\">From</th>"
         "<th class=\"num\">To</th><th class=\"num\">Requests</th><th class=\"num\">Errors</th>"
         "<th class=\"num\">Throughput</th><th class=\"num\">p50</th><th class=\"num\">p99</th>"
         "<th class=\"num\">p99.9</th><th class=\"num\">Max</th></tr></thead>\n<tbody>\n";
  for (const WindowResult& w : r.windows) {
    std::string errors = std::to_string(w.errors);
    if (w.requests > 0) errors += " (" + FormatWithUnit(w.error_rate() * 100, "%") + ")";
    out += "<tr>" + Cell(w.name) + Cell(FormatSeconds(w.start_s), "num") + Cell(FormatSeconds(w.end_s), "num") +
           Cell(std::to_string(w.requests), "num") + Cell(errors, w.errors ? "num bad" : "num") +
           Cell(FormatWithUnit(w.throughput_rps, "req/s"), "num");
    for (double ms : {w.latency.p50_ms, w.latency.p99_ms, w.latency.p999_ms, w.latency.max_ms}) {
      out += w.requests ? Cell(FormatWithUnit(ms, "ms"), "num") : Cell("—", "num missing");
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n</section>\n";
}

// One "name=value" line per counter (escaped HTML).
std::string CountersHtml(const FaultRecord& f) {
  std::string html;
  for (const auto& [name, value] : f.counters) html += fmt::format("<div>{}={}</div>", H(name), value);
  return html;
}

std::string_view RecoveryClass(const FaultRecord& f) {
  if (f.recovery_s) return "num";
  return f.applied_at_s && !f.recovery_horizon.empty() ? "recovery bad" : "num missing";
}

void AppendFaults(const RunResult& r, std::string& out) {
  out += "<section>\n<h2>Faults</h2>\n";
  if (r.faults.empty()) {
    out += "<p class=\"empty\">No faults were injected.</p>\n</section>\n";
    return;
  }
  out += "<table class=\"faults\">\n<thead><tr><th>Fault</th><th>What</th><th class=\"num\">Planned</th>"
         "<th class=\"num\">Applied</th><th class=\"num\">Reverted</th><th class=\"num\">Recovery</th><th>State</th>"
         "<th>Counters</th></tr></thead>\n"
         "<tbody>\n";
  for (const FaultRecord& f : r.faults) {
    const std::string planned =
        FormatSeconds(f.planned_at_s) + " → " + FormatSeconds(f.planned_end_s, "end");
    out += fmt::format("<tr><td><div class=\"name\">{}</div><div class=\"meta\">{}</div></td>", H(f.name), H(f.kind));
    std::string what = H(f.description);
    if (!f.error.empty()) what += fmt::format("<div class=\"error\">{}</div>", H(f.error));
    out += "<td>" + what + "</td>";
    out += Cell(planned, "num") + Cell(FormatSeconds(f.applied_at_s, "never"), "num") +
           Cell(FormatSeconds(f.reverted_at_s, "never"), "num") + Cell(RecoveryText(f), RecoveryClass(f));
    out += "<td>" + Pill(f.state.empty() ? "unknown" : f.state, FaultStateClass(f.state)) + "</td>";
    out += "<td class=\"counters\">" + CountersHtml(f) + "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n";
  if (!r.recovery_definition.empty()) {
    out += fmt::format("<p class=\"note definition\">{}</p>\n", H(r.recovery_definition));
  }
  out += "</section>\n";
}

void AppendEvents(const RunResult& r, std::string& out) {
  out += "<section>\n<h2>Events</h2>\n";
  if (r.events.empty()) {
    out += "<p class=\"empty\">No events were recorded.</p>\n</section>\n";
    return;
  }
  out += "<table class=\"events\">\n<thead><tr><th class=\"num\">Time</th><th>Source</th><th>Event</th></tr></thead>\n"
         "<tbody>\n";
  for (const Event& e : r.events) {
    out += "<tr>" + Cell(FormatSeconds(e.t_s), "num") + Cell(e.source, "source") + Cell(e.message, "message") +
           "</tr>\n";
  }
  out += "</tbody>\n</table>\n</section>\n";
}

}  // namespace

std::string RenderHtml(const RunResult& result) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{} — {} — faultdrill</title>\n", H(result.scenario_name), OutcomeName(result.outcome));
  out += fmt::format("<style>\n{}</style>\n</head>\n<body>\n<main>\n", kReportCss);
  AppendHeader(result, out);
  AppendScore(result, out);
  AppendVerdicts(result, out);
  AppendChart("Latency", "Per-second p50 and p99 of the corrected latency (from each request's intended send time). "
                         "Shaded: faults in force.",
              LatencyChart(result), out);
  AppendChart("Throughput and errors", "Successful requests and errors per second.", ThroughputChart(result), out);
  AppendProbes(result, out);
  AppendGoldenSection(result, out);
  AppendWindows(result, out);
  AppendFaults(result, out);
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
