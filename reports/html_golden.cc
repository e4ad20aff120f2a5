#include "reports/html_golden.h"

#include <algorithm>

#include "fmt/format.h"
#include "reports/html_parts.h"
#include "reports/report_text.h"

namespace faultdrill::reports {
namespace {

using html::Cell;
using html::H;

// An error magnitude: "0.00312", "3.1e-05", "inf".
std::string Magnitude(double value) { return fmt::format("{:.3g}", value); }

std::string NumberCell(uint64_t value, bool bad = false) {
  return Cell(std::to_string(value), bad && value > 0 ? "num bad" : "num");
}

void AppendWindowRow(const GoldenWindowResult& g, std::string& out) {
  out += fmt::format("<tr class=\"golden-window{}\">", g.differing > 0 ? " failed" : "");
  out += Cell(g.window, "window") + Cell(g.against) + NumberCell(g.compared) + NumberCell(g.differing, true) +
         NumberCell(g.without_master, true);
  if (g.compared == 0) {  // nothing compared: no error to speak of
    for (int i = 0; i < 6; ++i) out += Cell("—", "num missing");
    out += "</tr>\n";
    return;
  }
  out += Cell(Magnitude(g.max_abs_error), "num") + Cell(Magnitude(g.max_rel_error), "num") +
         Cell(std::to_string(g.max_ulp), "num") +
         Cell(fmt::format("{} / {}", g.argmax_disagreements, g.top_k_disagreements),
              g.argmax_disagreements + g.top_k_disagreements > 0 ? "num bad" : "num") +
         Cell(std::to_string(g.max_edit_distance), "num") + "</tr>\n";
}

void AppendSideBySide(const ResponseDiff& d, std::string& out) {
  if (d.side_by_side.empty()) return;
  out += "<table class=\"side-by-side\">\n<thead><tr><th class=\"num\">Index</th><th>Expected</th><th>Actual</th>"
         "</tr></thead>\n<tbody>\n";
  const size_t shown = std::min(d.side_by_side.size(), kMaxSideBySideRows);
  for (size_t i = 0; i < shown; ++i) {
    const auto& [index, expected, actual] = d.side_by_side[i];
    out += "<tr>" + Cell(ClipText(index, kMaxCellBytes), "num value") + Cell(ClipText(expected, kMaxCellBytes), "value") +
           Cell(ClipText(actual, kMaxCellBytes), "value bad") + "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  if (shown < d.side_by_side.size()) {
    out += fmt::format("<p class=\"note\">{} more differing elements not shown.</p>\n", d.side_by_side.size() - shown);
  }
}

void AppendDifference(const ResponseDiff& d, std::string& out) {
  out += "<div class=\"diff\">\n";
  std::string where = fmt::format("at {} · request #{}", FormatSeconds(d.t_s), d.request_index);
  where += d.output.empty() ? " · the response" : " · output " + ClipText(d.output, kMaxCellBytes);
  out += fmt::format("<div class=\"meta\">{}</div>\n", H(where));
  out += fmt::format("<div class=\"message\">{}</div>\n", H(ClipText(d.problem, 4 * kMaxCellBytes)));
  AppendSideBySide(d, out);
  out += "</div>\n";
}

void AppendDifferences(const GoldenWindowResult& g, std::string& out) {
  if (g.first_differences.empty()) return;
  out += fmt::format("<h3>First differences in {} <span class=\"meta\">against {}</span></h3>\n", H(g.window),
                     H(g.against));
  const size_t shown = std::min(g.first_differences.size(), kMaxDiffsShown);
  for (size_t i = 0; i < shown; ++i) AppendDifference(g.first_differences[i], out);
  if (shown < g.first_differences.size()) {
    out += fmt::format("<p class=\"note\">{} more differences recorded, not shown.</p>\n",
                       g.first_differences.size() - shown);
  }
}

}  // namespace

void AppendGoldenSection(const RunResult& result, std::string& out) {
  if (result.golden.empty()) return;
  out += "<section id=\"golden\">\n<h2>Golden masters</h2>\n"
         "<p class=\"note\">Responses compared with the recorded masters "
         "(against “primary”: a shadow target's responses compared with the primary's), per window.</p>\n";
  out += "<div class=\"wide\"><table class=\"golden\">\n<thead><tr><th>Window</th><th>Against</th><th class=\"num\">Compared</th>"
         "<th class=\"num\">Differing</th><th class=\"num\">Without master</th><th class=\"num\">Max abs error</th>"
         "<th class=\"num\">Max rel error</th><th class=\"num\">Max ULP</th><th class=\"num\">Argmax / top-k "
         "disagreeing</th><th class=\"num\">Max edit distance</th></tr></thead>\n<tbody>\n";
  for (const GoldenWindowResult& g : result.golden) AppendWindowRow(g, out);
  out += "</tbody>\n</table></div>\n";
  for (const GoldenWindowResult& g : result.golden) AppendDifferences(g, out);
  out += "</section>\n";
}

}  // namespace faultdrill::reports
