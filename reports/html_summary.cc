#include "reports/html_summary.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>
#include <utility>
#include <vector>

#include "fmt/format.h"
#include "reports/html_parts.h"
#include "reports/report_text.h"

namespace faultdrill::reports {
namespace {

using html::Cell;
using html::H;

// `word` as one shell word: as it is when it is made of characters no shell
// treats specially, else in single quotes.
std::string ShellWord(std::string_view word) {
  constexpr std::string_view kPlainPunctuation = "_./:=@%+,-";
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || kPlainPunctuation.find(c) != std::string_view::npos;
  });
  if (plain) return std::string(word);
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// "3", "1.5": weights and points as the judge set them.
std::string Weight(double value) { return fmt::format("{:g}", value); }

// The score as a number and a meter.
std::string HeaderScore(const RunResult& r) {
  if (!r.score) return "<div class=\"header-score none\"><span class=\"label\">no resilience score</span></div>";
  const double score = r.score->score;
  const double filled = std::isfinite(score) ? std::clamp(score, 0.0, 100.0) : 0.0;
  return fmt::format(
      "<div class=\"header-score\"><span class=\"value\">{}</span><span class=\"of\">/100</span>"
      "<div class=\"meter\"><div style=\"width: {:.1f}%\"></div></div>"
      "<span class=\"label\">resilience score</span></div>",
      H(FormatNumber(score, 1)), filled);
}

std::string VerdictCounts(const RunResult& r) {
  const auto failed = std::count_if(r.verdicts.begin(), r.verdicts.end(), [](const Verdict& v) { return !v.passed; });
  return fmt::format("{} passed, {} failed (exit code {})", r.verdicts.size() - size_t(failed), failed, r.exit_code);
}

std::string CapacityText(const CapacityResult& c) {
  return fmt::format("{} held", FormatWithUnit(c.highest_rate_held_rps, "req/s"));
}

}  // namespace

std::string ReproduceCommand(const RunResult& result) {
  if (!result.command.empty()) return result.command;
  return fmt::format("faultdrill run {} --seed {}",
                     ShellWord(result.scenario_file.empty() ? "SCENARIO" : result.scenario_file), result.seed);
}

void AppendSummaryHeader(const RunResult& r, std::string& out) {
  out += "<header>\n<div class=\"title\">";
  out += fmt::format("<h1>{}</h1>", H(r.scenario_name.empty() ? "(unnamed scenario)" : r.scenario_name));
  out += fmt::format("<span class=\"badge {}\">{}</span>", html::OutcomeClass(r.outcome), OutcomeName(r.outcome));
  out += HeaderScore(r) + "</div>\n";
  if (!r.abort_reason.empty()) {
    out += fmt::format("<div class=\"banner\"><strong>{}:</strong> {}</div>\n",
                       r.outcome == Outcome::kAborted ? "Aborted" : "Stopped", H(r.abort_reason));
  }
  std::vector<std::pair<std::string, std::string>> facts = {
      {"Scenario", r.scenario_file.empty() ? "—" : r.scenario_file},
      {"Target", TargetText(r)},
      {"Duration", FormatSeconds(r.duration_s)},
      {"Started", r.started_at.empty() ? "—" : r.started_at},
      {"Load", LoadText(r)},
      {"Faults", FaultCountsText(r).substr(sizeof("faults: ") - 1)},
      {"Verdicts", VerdictCounts(r)},
      {"Seed", std::to_string(r.seed)},
      {"faultdrill", r.faultdrill_version.empty() ? "unknown version" : "version " + r.faultdrill_version},
  };
  if (r.capacity) facts.emplace_back("Capacity", CapacityText(*r.capacity));
  out += "<dl class=\"facts\">\n";
  for (const auto& [term, value] : facts) out += fmt::format("<div><dt>{}</dt><dd>{}</dd></div>\n", term, H(value));
  out += "</dl>\n";
  out += fmt::format(
      "<div class=\"reproduce\"><div class=\"label\">Reproduce this run{}</div>"
      "<pre><code class=\"reproduce-command\">{}</code></pre></div>\n",
      r.command.empty() ? " (reconstructed: the result does not record its command)" : "", H(ReproduceCommand(r)));
  out += "</header>\n";
}

void AppendScoreSection(const RunResult& r, std::string& out) {
  if (!r.score) return;
  const ResilienceScore& score = *r.score;
  out += html::SectionStart("score", "Resilience score");
  out += fmt::format("<p class=\"note\">{}/100{}</p>\n", H(FormatNumber(score.score, 1)),
                     score.formula.empty() ? "" : " = " + H(score.formula));
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

void AppendCapacitySection(const RunResult& r, std::string& out) {
  if (!r.capacity) return;
  const CapacityResult& c = *r.capacity;
  out += html::SectionStart("capacity", "Capacity");
  out += fmt::format("<p class=\"note\">The highest offered rate at which the criterion still held, second by "
                     "second: {}.</p>\n",
                     H(c.criterion.empty() ? "(no criterion recorded)" : c.criterion));
  out += "<dl class=\"facts capacity\">\n";
  out += fmt::format("<div><dt>Highest rate held</dt><dd class=\"big\">{}</dd></div>\n",
                     H(FormatWithUnit(c.highest_rate_held_rps, "req/s")));
  out += fmt::format("<div><dt>Held at</dt><dd>{} from the start of the load</dd></div>\n",
                     H(FormatSeconds(c.held_at_s)));
  if (c.broke) {
    out += fmt::format("<div><dt>Broke at</dt><dd class=\"bad\">{} at {}</dd></div>\n", H(FormatSeconds(c.broke_at_s)),
                       H(FormatWithUnit(c.broke_rate_rps, "req/s")));
    out += fmt::format("<div><dt>Why</dt><dd class=\"bad\">{}</dd></div>\n", H(c.breach.empty() ? "—" : c.breach));
  } else {
    out += "<div><dt>Broke</dt><dd>never: the criterion held to the end of the run</dd></div>\n";
  }
  out += "</dl>\n</section>\n";
}

}  // namespace faultdrill::reports
