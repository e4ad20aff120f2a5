#include "reports/html_faults.h"

#include <algorithm>

#include "fmt/format.h"
#include "reports/html_parts.h"
#include "reports/report_text.h"

namespace faultdrill::reports {
namespace {

using html::Cell;
using html::H;
using html::Pill;

std::string_view RecoveryClass(const FaultRecord& f) {
  if (f.recovery_s) return "num";
  return f.applied_at_s && !f.recovery_horizon.empty() ? "recovery bad" : "num missing";
}

// The name over the kind, for a table's first cell.
std::string FaultNameCell(const FaultRecord& f, std::string_view attributes = "") {
  return fmt::format("<td{}><div class=\"name\">{}</div><div class=\"meta\">{}</div></td>", attributes, H(f.name),
                     H(f.kind));
}

// When the fault stopped being in force: reverted, else planned.
std::string EndedText(const FaultRecord& f) {
  if (f.reverted_at_s) return FormatSeconds(f.reverted_at_s);
  if (!f.applied_at_s) return "never applied";
  return FormatSeconds(f.planned_end_s, "at once") + " (planned)";
}

bool PoisonProblem(const PoisonOutcome& p) { return p.unexpected > 0 || p.timeouts > 0 || p.crashes > 0; }

std::string CountCell(int64_t value, bool bad) {
  return Cell(std::to_string(value), bad && value > 0 ? "num bad" : "num");
}

void AppendPoisonRow(const PoisonOutcome& p, std::string& out) {
  const bool problem = PoisonProblem(p);
  std::string unexpected = std::to_string(p.unexpected);
  if (p.unexpected > 0 && !p.first_unexpected.empty()) unexpected += " (first: " + p.first_unexpected + ")";
  out += Cell(p.variant, "variant") + Cell(p.expected.empty() ? "—" : p.expected, "expected") +
         CountCell(p.sent, false) + CountCell(p.as_expected, false) +
         Cell(unexpected, p.unexpected > 0 ? "num bad" : "num") + CountCell(p.timeouts, true) +
         CountCell(p.crashes, true);
  const std::string result = problem      ? Pill("problem", "fail")
                             : p.sent == 0 ? Pill("not sent", "neutral")
                                           : Pill("as expected", "pass");
  out += "<td>" + result + "</td></tr>\n";
}

std::string TouchesHtml(const FaultRecord& f) {
  if (f.touches.empty()) return "<td class=\"touches missing\">—</td>";
  std::string html = "<td class=\"touches\">";
  const size_t shown = std::min(f.touches.size(), kMaxTouchesShown);
  for (size_t i = 0; i < shown; ++i) html += fmt::format("<div>{}</div>", H(ClipText(f.touches[i], 200)));
  if (shown < f.touches.size()) html += fmt::format("<div class=\"meta\">and {} more</div>", f.touches.size() - shown);
  return html + "</td>";
}

std::string CountersHtml(const FaultRecord& f) {
  std::string html = "<td class=\"counters\">";
  for (const auto& [name, value] : f.counters) html += fmt::format("<div>{}={}</div>", H(name), value);
  return html + "</td>";
}

}  // namespace

void AppendRecoverySection(const RunResult& r, std::string& out) {
  if (r.faults.empty()) return;
  out += html::SectionStart("recovery", "Recovery");
  out += "<table class=\"recovery\">\n<thead><tr><th>Fault</th><th class=\"num\">Ended</th>"
         "<th class=\"num\">Recovery time</th></tr></thead>\n<tbody>\n";
  for (const FaultRecord& f : r.faults) {
    out += "<tr>" + FaultNameCell(f) + Cell(EndedText(f), "num") + Cell(RecoveryText(f), RecoveryClass(f)) +
           "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  if (!r.recovery_definition.empty()) {
    out += fmt::format("<p class=\"note definition\">{}</p>\n", H(r.recovery_definition));
  }
  out += "</section>\n";
}

void AppendPoisonSection(const RunResult& r, std::string& out) {
  if (std::none_of(r.faults.begin(), r.faults.end(), [](const FaultRecord& f) { return !f.poison.empty(); })) return;
  out += html::SectionStart("poison", "Poisoned inputs");
  out += "<p class=\"note\">How the server answered the poisoned requests of each variant. A timeout, a crash "
         "(UNAVAILABLE: the server went away) or an answer other than the expected one is a problem.</p>\n";
  out += "<table class=\"poison\">\n<thead><tr><th>Fault</th><th>Variant</th><th>Expected</th>"
         "<th class=\"num\">Sent</th><th class=\"num\">As expected</th><th class=\"num\">Unexpected</th>"
         "<th class=\"num\">Timeouts</th><th class=\"num\">Crashes</th><th>Result</th></tr></thead>\n<tbody>\n";
  for (const FaultRecord& f : r.faults) {
    for (size_t i = 0; i < f.poison.size(); ++i) {
      out += fmt::format("<tr class=\"poison-row{}\">", PoisonProblem(f.poison[i]) ? " problem" : "");
      if (i == 0) out += FaultNameCell(f, fmt::format(" rowspan=\"{}\" class=\"group\"", f.poison.size()));
      AppendPoisonRow(f.poison[i], out);
    }
  }
  out += "</tbody>\n</table>\n</section>\n";
}

void AppendInjectorLogSection(const RunResult& r, std::string& out) {
  out += html::SectionStart("injector-log", "Injector log");
  if (r.faults.empty()) {
    out += "<p class=\"empty\">No faults were injected.</p>\n</section>\n";
    return;
  }
  out += "<p class=\"note\">What each injector did and touched, planned against actual times (seconds from the "
         "start of the load). The timeline's charts number the faults as here when their names do not fit.</p>\n";
  out += "<div class=\"wide\"><table class=\"faults\">\n<thead><tr><th class=\"num\">#</th><th>Fault</th><th>What</th>"
         "<th>Touched</th>"
         "<th class=\"num\">Planned</th><th class=\"num\">Applied</th><th class=\"num\">Reverted</th><th>State</th>"
         "<th>Counters</th></tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < r.faults.size(); ++i) {
    const FaultRecord& f = r.faults[i];
    const std::string planned = FormatSeconds(f.planned_at_s) + " → " + FormatSeconds(f.planned_end_s, "end");
    out += fmt::format("<tr class=\"fault-row {}\"><td class=\"num key\">{}</td>",
                       f.state == "failed" ? "failed" : "ok", i + 1) +
           FaultNameCell(f);
    std::string what = H(f.description);
    if (!f.error.empty()) what += fmt::format("<div class=\"error\">{}</div>", H(f.error));
    out += "<td class=\"what\">" + what + "</td>" + TouchesHtml(f);
    out += Cell(planned, "num") + Cell(FormatSeconds(f.applied_at_s, "never"), "num") +
           Cell(FormatSeconds(f.reverted_at_s, "never"), "num");
    out += "<td>" + Pill(f.state.empty() ? "unknown" : f.state, html::FaultStateClass(f.state)) + "</td>";
    out += CountersHtml(f) + "</tr>\n";
  }
  out += "</tbody>\n</table></div>\n</section>\n";
}

}  // namespace faultdrill::reports
