#include "reports/junit_report.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <filesystem>
#include <optional>
#include <regex>
#include <set>
#include <utility>
#include <vector>

#include "core/durable_file.h"
#include "fmt/format.h"
#include "reports/escape.h"
#include "reports/report_text.h"

namespace faultdrill::reports {
namespace {

namespace fs = std::filesystem;

// Bounds on untrusted text, in bytes before escaping: a run's verdicts and
// faults are few, so these keep the file in kilobytes whatever the target said.
constexpr size_t kMaxName = 500;
constexpr size_t kMaxMessage = 2000;
constexpr size_t kMaxLine = 4000;
constexpr size_t kMaxSummary = 256 * 1024;
constexpr size_t kMaxDifferences = 3;
constexpr size_t kMaxSideBySide = 4;

struct Problem {
  std::string message;
  std::string type;
  std::string text;
};

struct TestCase {
  std::string classname;
  std::string name;
  double time_s = 0;
  std::optional<Problem> failure;
  std::optional<Problem> error;
};

std::string Attr(std::string_view text) { return EscapeXmlAttribute(text); }

// JUnit times are non-negative decimal seconds.
std::string JunitSeconds(double s) { return FormatNumber(std::isfinite(s) && s > 0 ? s : 0.0, 3); }

// --- what a failing verdict measured, against what ---

// Verdicts whose value is a yes/no ("==" against 1 or 0): the words for 1 and 0.
std::optional<std::pair<std::string, std::string>> YesNoWords(std::string_view metric) {
  if (metric == "probe") return std::pair{"healthy", "not healthy"};
  if (metric == "fault") return std::pair{"applied and reverted", "not applied and reverted"};
  if (metric == "abort") return std::pair{"an abort condition held", "no abort condition held"};
  return std::nullopt;
}

// Verdicts that count things: the noun for what they count.
std::optional<std::string> CountNoun(std::string_view metric) {
  if (metric == "differing_responses") return "differing responses";
  if (metric == "failed_samples") return "failed samples";
  if (metric == "unexpected_answers") return "unexpected answers";
  return std::nullopt;
}

std::string MeasuredLine(const Verdict& v) {
  if (!v.measured) return "not measured";
  const auto words = YesNoWords(v.metric);
  if (v.comparison == "==" && words && (*v.measured == 0 || *v.measured == 1)) {
    return *v.measured == 1 ? words->first : words->second;
  }
  if (const auto noun = CountNoun(v.metric)) return fmt::format("{} {}", FormatNumber(*v.measured, 0), *noun);
  return MeasuredText(v);
}

std::string ThresholdLine(const Verdict& v) {
  const auto words = YesNoWords(v.metric);
  if (v.comparison == "==" && words && (v.threshold == 0 || v.threshold == 1)) {
    return v.threshold == 1 ? words->first : words->second;
  }
  if (const auto noun = CountNoun(v.metric)) {
    return fmt::format("{} {} {}", v.comparison, FormatNumber(v.threshold, 0), *noun);
  }
  // A probe bounded on both sides keeps only its upper bound in the verdict.
  if (v.comparison == "within") {
    return fmt::format("within bounds, at most {} (the lower bound is in the message)",
                       FormatWithUnit(v.threshold, v.unit));
  }
  return ThresholdText(v);
}

// The comparison behind a golden or shadow verdict, when the result has it.
const GoldenWindowResult* ComparisonOf(const RunResult& result, const Verdict& v) {
  if (v.group != "golden" && v.group != "shadow") return nullptr;
  const std::string against = v.group == "shadow" ? "primary" : "masters";
  for (const GoldenWindowResult& g : result.golden) {
    if (g.window == v.window && g.against == against) return &g;
  }
  return nullptr;
}

void AppendGoldenContext(const GoldenWindowResult& g, std::string& out) {
  out += fmt::format("compared: {} responses, {} differ, {} without a {}\n", g.compared, g.differing, g.without_master,
                     g.against == "primary" ? "primary answer" : "master");
  out += fmt::format("largest error: abs {}, rel {}, {} ULP; argmax disagreements {}, top-k {}, edit distance {}\n",
                     FormatNumber(g.max_abs_error, 6), FormatNumber(g.max_rel_error, 6), g.max_ulp,
                     g.argmax_disagreements, g.top_k_disagreements, g.max_edit_distance);
  const size_t shown = std::min(g.first_differences.size(), kMaxDifferences);
  if (shown > 0) out += fmt::format("first differences ({} of {}):\n", shown, g.first_differences.size());
  for (size_t i = 0; i < shown; ++i) {
    const ResponseDiff& d = g.first_differences[i];
    out += ClipText(fmt::format("  at {} request {}{}: {}", FormatSeconds(d.t_s), d.request_index,
                                d.output.empty() ? "" : " output " + d.output, d.problem),
                    kMaxLine) +
           "\n";
    for (size_t k = 0; k < std::min(d.side_by_side.size(), kMaxSideBySide); ++k) {
      const auto& [index, expected, actual] = d.side_by_side[k];
      out += ClipText(fmt::format("    {} expected {}, actual {}", index, expected, actual), kMaxLine) + "\n";
    }
  }
}

void AppendCapacityContext(const CapacityResult& c, std::string& out) {
  out += ClipText(fmt::format("capacity: {} req/s held (the second at {}) under {}",
                              FormatNumber(c.highest_rate_held_rps), FormatSeconds(c.held_at_s), c.criterion),
                  kMaxLine);
  if (c.broke) {
    out += ClipText(fmt::format("; broke at {} at {} req/s: {}", FormatSeconds(c.broke_at_s),
                                FormatNumber(c.broke_rate_rps), c.breach),
                    kMaxLine);
  } else {
    out += "; it never broke";
  }
  out += "\n";
}

// The poison-inputs fault a verdict judges (window "during(<fault>)"), when it poisoned anything.
const FaultRecord* PoisonFaultOf(const RunResult& result, const Verdict& v) {
  for (const FaultRecord& f : result.faults) {
    if (!f.poison.empty() && v.window == "during(" + f.name + ")") return &f;
  }
  return nullptr;
}

void AppendPoisonContext(const FaultRecord& fault, std::string& out) {
  out += "poisoned requests by variant:\n";
  for (const PoisonOutcome& p : fault.poison) {
    out += ClipText(fmt::format("  {}: {} sent, {} as expected ({}), {} unexpected{}, {} timeouts, {} crashes",
                                p.variant, p.sent, p.as_expected, p.expected, p.unexpected,
                                p.first_unexpected.empty() ? "" : " (first " + p.first_unexpected + ")", p.timeouts,
                                p.crashes),
                    kMaxLine) +
           "\n";
  }
}

// A latency verdict: which calls its window had, since latency judges the
// successful ones by default and failures (fast or timed out) are apart.
void AppendCallsContext(const WindowResult& w, std::string& out) {
  out += fmt::format("calls in {}: {} completed, {} succeeded, {} failed", w.name, w.requests, w.ok, w.errors);
  if (w.ok_latency.count) out += fmt::format("; successful p99 {}", FormatWithUnit(w.ok_latency.p99_ms, "ms"));
  if (w.failed_latency.count) out += fmt::format("; failed p99 {}", FormatWithUnit(w.failed_latency.p99_ms, "ms"));
  out += "\n";
}

bool IsLatencyVerdict(const Verdict& v) { return v.metric.ends_with("_latency") && v.unit == "ms"; }

bool IsCapacityVerdict(const Verdict& v) {
  return v.group == "capacity" || v.metric.find("capacity") != std::string::npos;
}

std::string FailureText(const RunResult& result, const Verdict& v) {
  std::string out = ClipText(v.message, kMaxLine) + "\n";
  out += fmt::format("measured: {}\nthreshold: {}\n", MeasuredLine(v), ThresholdLine(v));
  out += ClipText(fmt::format("window: {} ({})", v.window, FormatSeconds(v.duration_s)), kMaxLine) + "\n";
  out += ClipText(fmt::format("metric: {}", v.metric), kMaxLine) + "\n";
  if (const GoldenWindowResult* g = ComparisonOf(result, v)) AppendGoldenContext(*g, out);
  if (v.group == "recovery" && !result.recovery_definition.empty()) {
    out += ClipText(result.recovery_definition, kMaxLine) + "\n";
  }
  if (IsCapacityVerdict(v) && result.capacity) AppendCapacityContext(*result.capacity, out);
  if (const FaultRecord* f = PoisonFaultOf(result, v)) AppendPoisonContext(*f, out);
  if (const WindowResult* w = IsLatencyVerdict(v) ? result.FindWindow(v.window) : nullptr) {
    AppendCallsContext(*w, out);
  }
  return out;
}

// --- testcases ---

// Whether a verdict of group "fault" already judges `fault` (the runner's
// "fault <name> applied and reverted", window "during(<name>)"): then it
// fails as that testcase and not a second time as an error.
bool JudgedByAVerdict(const RunResult& result, const FaultRecord& fault) {
  const std::string window = "during(" + fault.name + ")";
  return std::any_of(result.verdicts.begin(), result.verdicts.end(),
                     [&](const Verdict& v) { return v.group == "fault" && v.window == window; });
}

std::vector<TestCase> CollectTestCases(const RunResult& result) {
  const std::string prefix = ClipText("faultdrill." + result.scenario_name, kMaxName);
  std::vector<TestCase> cases;
  for (const Verdict& v : result.verdicts) {
    TestCase c{ClipText(fmt::format("{}.{}", prefix, v.group.empty() ? "verdict" : v.group), 2 * kMaxName),
               ClipText(v.name, kMaxName),
               v.duration_s,
               {},
               {}};
    if (!v.passed) {
      c.failure = Problem{ClipText(v.message, kMaxMessage), ClipText(v.metric, kMaxName), FailureText(result, v)};
    }
    cases.push_back(std::move(c));
  }
  if (result.outcome == Outcome::kAborted || result.outcome == Outcome::kError) {
    const bool aborted = result.outcome == Outcome::kAborted;
    const std::string reason =
        result.abort_reason.empty() ? "(no reason recorded)" : ClipText(result.abort_reason, kMaxLine);
    cases.push_back(TestCase{prefix + ".run",
                             aborted ? "run aborted" : "run error",
                             result.duration_s,
                             {},
                             Problem{ClipText(reason, kMaxMessage), aborted ? "aborted" : "error",
                                     fmt::format("the run {} after {}: {}\n", aborted ? "was aborted" : "failed",
                                                 FormatSeconds(result.duration_s), reason)}});
  }
  for (const FaultRecord& f : result.faults) {
    if (f.state != "failed" || JudgedByAVerdict(result, f)) continue;
    const std::string error = f.error.empty() ? "(no error recorded)" : ClipText(f.error, kMaxLine);
    cases.push_back(TestCase{
        prefix + ".fault",
        ClipText("fault " + f.name, kMaxName),
        0,
        {},
        Problem{ClipText(error, kMaxMessage), ClipText("fault:" + f.kind, kMaxName),
                ClipText(fmt::format("fault {} ({}) failed: {}\nplanned at {}, applied {}, "
                                     "reverted {}\n",
                                     f.name, f.kind, error, FormatSeconds(f.planned_at_s),
                                     FormatSeconds(f.applied_at_s, "never"), FormatSeconds(f.reverted_at_s, "never")),
                         3 * kMaxLine)}});
  }
  // GitLab keys testcases by classname and name: make every pair unique.
  std::set<std::pair<std::string, std::string>> seen;
  for (TestCase& c : cases) {
    std::string name = c.name;
    for (int n = 2; seen.count({c.classname, name}) > 0; ++n) name = fmt::format("{} ({})", c.name, n);
    c.name = name;
    seen.insert({c.classname, name});
  }
  return cases;
}

// GitLab's attachment tag ends at the first "]]" and allows no '[', ']' or '|' in the path.
bool AttachableByGitlab(std::string_view path) {
  return !path.empty() && std::none_of(path.begin(), path.end(), [](char c) {
    return c == '[' || c == ']' || c == '|' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

// A testcase's <system-out>: where the HTML report is, and how to run the drill again.
std::string TestcaseOutput(const RunResult& result, const JunitOptions& options) {
  std::string out;
  if (AttachableByGitlab(options.html_report)) {
    out += fmt::format("HTML report: [[ATTACHMENT|{}]]\n", options.html_report);
  } else if (!options.html_report.empty()) {
    out += fmt::format("HTML report: {}\n", ClipText(options.html_report, kMaxLine));
  }
  if (!result.command.empty()) out += fmt::format("reproduce: {}\n", ClipText(result.command, kMaxLine));
  return out;
}

void AppendProblem(std::string_view tag, const Problem& p, std::string& out) {
  out += fmt::format("      <{} message=\"{}\" type=\"{}\">{}</{}>\n", tag, Attr(p.message), Attr(p.type),
                     EscapeXmlText(p.text), tag);
}

// xs:dateTime as JUnit readers expect it: 2024-03-14T09:26:53Z, fractions and offsets allowed.
bool IsIsoDateTime(const std::string& text) {
  static const std::regex kDateTime(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?)");
  return std::regex_match(text, kDateTime);
}

void AppendProperties(const RunResult& result, std::string& out) {
  std::vector<std::pair<std::string, std::string>> properties = {
      {"outcome", std::string(OutcomeName(result.outcome))},
      {"exit_code", std::to_string(result.exit_code)},
      {"scenario_file", ClipText(result.scenario_file, kMaxLine)},
      {"seed", std::to_string(result.seed)},
      {"faultdrill_version", ClipText(result.faultdrill_version, kMaxName)},
  };
  if (!result.command.empty()) properties.emplace_back("command", ClipText(result.command, kMaxLine));
  if (result.score) properties.emplace_back("resilience_score", FormatNumber(result.score->score, 1));
  if (result.capacity) properties.emplace_back("capacity_rps", FormatNumber(result.capacity->highest_rate_held_rps));
  out += "    <properties>\n";
  for (const auto& [name, value] : properties) {
    out += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", name, Attr(value));
  }
  out += "    </properties>\n";
}

}  // namespace

std::string RenderJunit(const RunResult& result, const JunitOptions& options) {
  const std::vector<TestCase> cases = CollectTestCases(result);
  int failures = 0, errors = 0;
  for (const TestCase& c : cases) {
    failures += c.failure.has_value();
    errors += c.error.has_value();
  }
  const std::string time = JunitSeconds(result.duration_s);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"faultdrill\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"{}\">\n",
      cases.size(), failures, errors, time);
  out +=
      fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"{}\"",
                  Attr(ClipText("faultdrill." + result.scenario_name, kMaxName)), cases.size(), failures, errors, time);
  if (IsIsoDateTime(result.started_at)) out += fmt::format(" timestamp=\"{}\"", result.started_at);
  out += ">\n";
  AppendProperties(result, out);
  const std::string file = ClipText(result.scenario_file, kMaxLine);
  const std::string system_out = EscapeXmlText(TestcaseOutput(result, options));
  for (const TestCase& c : cases) {
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"", Attr(c.classname), Attr(c.name),
                       JunitSeconds(c.time_s));
    if (!file.empty()) out += fmt::format(" file=\"{}\"", Attr(file));
    if (!c.failure && !c.error && system_out.empty()) {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    if (c.failure) AppendProblem("failure", *c.failure, out);
    if (c.error) AppendProblem("error", *c.error, out);
    if (!system_out.empty()) out += fmt::format("      <system-out>{}</system-out>\n", system_out);
    out += "    </testcase>\n";
  }
  out += fmt::format("    <system-out>{}{}</system-out>\n",
                     EscapeXmlText(ClipText(RunSummaryText(result), kMaxSummary)), system_out);
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

std::string AttachmentPath(const std::string& path) {
  const fs::path p = fs::path(path).lexically_normal();
  if (p.is_relative()) return p.string();
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (ec) return p.filename().string();
  const fs::path relative = p.lexically_relative(cwd);
  const bool under = !relative.empty() && *relative.begin() != "..";
  return under ? relative.string() : p.filename().string();
}

absl::Status WriteJunitReport(const RunResult& result, const std::string& path) {
  std::string html;
  try {
    html = AttachmentPath((fs::path(path).parent_path() / "report.html").string());
  } catch (const std::exception& e) {
    return absl::InternalError(fmt::format("cannot render {}: {}", path, e.what()));
  }
  return WriteJunitReport(result, path, JunitOptions{.html_report = html});
}

absl::Status WriteJunitReport(const RunResult& result, const std::string& path, const JunitOptions& options) {
  std::string text;
  try {
    text = RenderJunit(result, options);
  } catch (const std::exception& e) {
    return absl::InternalError(fmt::format("cannot render {}: {}", path, e.what()));
  }
  return WriteFileAtomically(path, text);
}

}  // namespace faultdrill::reports
