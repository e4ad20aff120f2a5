#include "reports/junit_report.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "fmt/format.h"
#include "reports/atomic_file.h"
#include "reports/escape.h"
#include "reports/report_text.h"

namespace faultdrill::reports {
namespace {

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

std::string FailureText(const Verdict& v) {
  return fmt::format("{}\nmeasured: {}\nthreshold: {}\nwindow: {}\n", v.message, MeasuredText(v), ThresholdText(v),
                     v.window);
}

// Whether a verdict of group "fault" already judges `fault` (the runner's
// "fault <name> applied and reverted", window "during(<name>)"): then it
// fails as that testcase and not a second time as an error.
bool JudgedByAVerdict(const RunResult& result, const FaultRecord& fault) {
  const std::string window = "during(" + fault.name + ")";
  return std::any_of(result.verdicts.begin(), result.verdicts.end(),
                     [&](const Verdict& v) { return v.group == "fault" && v.window == window; });
}

std::vector<TestCase> CollectTestCases(const RunResult& result) {
  const std::string prefix = "faultdrill." + result.scenario_name;
  std::vector<TestCase> cases;
  for (const Verdict& v : result.verdicts) {
    TestCase c{fmt::format("{}.{}", prefix, v.group.empty() ? "verdict" : v.group), v.name, v.duration_s, {}, {}};
    if (!v.passed) c.failure = Problem{v.message, v.metric, FailureText(v)};
    cases.push_back(std::move(c));
  }
  if (result.outcome == Outcome::kAborted || result.outcome == Outcome::kError) {
    const bool aborted = result.outcome == Outcome::kAborted;
    const std::string reason = result.abort_reason.empty() ? "(no reason recorded)" : result.abort_reason;
    cases.push_back(TestCase{prefix + ".run", aborted ? "run aborted" : "run error", result.duration_s, {},
                             Problem{reason, aborted ? "aborted" : "error",
                                     fmt::format("the run {} after {}: {}\n", aborted ? "was aborted" : "failed",
                                                 FormatSeconds(result.duration_s), reason)}});
  }
  for (const FaultRecord& f : result.faults) {
    if (f.state != "failed" || JudgedByAVerdict(result, f)) continue;
    const std::string error = f.error.empty() ? "(no error recorded)" : f.error;
    cases.push_back(TestCase{prefix + ".fault", "fault " + f.name, 0, {},
                             Problem{error, "fault:" + f.kind,
                                     fmt::format("fault {} ({}) failed: {}\nplanned at {}, applied {}, reverted {}\n",
                                                 f.name, f.kind, error, FormatSeconds(f.planned_at_s),
                                                 FormatSeconds(f.applied_at_s, "never"),
                                                 FormatSeconds(f.reverted_at_s, "never"))}});
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

void AppendProblem(std::string_view tag, const Problem& p, std::string& out) {
  out += fmt::format("      <{} message=\"{}\" type=\"{}\">{}</{}>\n", tag, Attr(p.message), Attr(p.type),
                     EscapeXmlText(p.text), tag);
}

}  // namespace

std::string RenderJunit(const RunResult& result) {
  const std::vector<TestCase> cases = CollectTestCases(result);
  int failures = 0, errors = 0;
  for (const TestCase& c : cases) {
    failures += c.failure.has_value();
    errors += c.error.has_value();
  }
  const std::string time = JunitSeconds(result.duration_s);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"faultdrill\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{}\">\n",
                     cases.size(), failures, errors, time);
  out += fmt::format(
      "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"{}\" "
      "timestamp=\"{}\">\n",
      Attr("faultdrill." + result.scenario_name), cases.size(), failures, errors, time, Attr(result.started_at));
  out += "    <properties>\n";
  const std::pair<std::string, std::string> properties[] = {
      {"outcome", std::string(OutcomeName(result.outcome))},
      {"exit_code", std::to_string(result.exit_code)},
      {"scenario_file", result.scenario_file},
      {"seed", std::to_string(result.seed)},
      {"faultdrill_version", result.faultdrill_version},
  };
  for (const auto& [name, value] : properties) {
    out += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", name, Attr(value));
  }
  if (result.score) {
    out += fmt::format("      <property name=\"resilience_score\" value=\"{}\"/>\n",
                       Attr(FormatNumber(result.score->score, 1)));
  }
  out += "    </properties>\n";
  for (const TestCase& c : cases) {
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"", Attr(c.classname), Attr(c.name),
                       JunitSeconds(c.time_s));
    if (!c.failure && !c.error) {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    if (c.failure) AppendProblem("failure", *c.failure, out);
    if (c.error) AppendProblem("error", *c.error, out);
    out += "    </testcase>\n";
  }
  out += fmt::format("    <system-out>{}</system-out>\n", EscapeXmlText(RunSummaryText(result)));
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

absl::Status WriteJunitReport(const RunResult& result, const std::string& path) {
  std::string text;
  try {
    text = RenderJunit(result);
  } catch (const std::exception& e) {
    return absl::InternalError(fmt::format("cannot render {}: {}", path, e.what()));
  }
  return WriteFileAtomically(path, text);
}

}  // namespace faultdrill::reports
