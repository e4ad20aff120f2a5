// junit.xml as GitLab reads it. GitLab's JUnit parser
// (lib/gitlab/ci/parsers/test/junit.rb, with ActiveSupport's Hash.from_xml
// underneath) is mirrored here as ReadLikeGitlab, and each rule it applies is
// checked on the JUnit of runs of every shape:
//   - the root is <testsuites> or <testsuite>; testcases count only inside a
//     testsuite (or directly under the root testsuites);
//   - a testcase is keyed by testsuite name + classname + name: duplicates
//     after the first are dropped;
//   - a <failure> child makes it failed, else <error> an error, else
//     <skipped> skipped; the element's text is the detail shown, attributes
//     are not shown; Hash.from_xml merges attributes and child elements into
//     one hash, so an attribute named like a status element would change the
//     status, and a `type` attribute ActiveSupport knows ("integer", "array",
//     ...) would turn the text into something else;
//   - `time` is read with Ruby's String#to_f: plain decimal seconds;
//   - the first [[ATTACHMENT|path]] in a testcase's <system-out> (no '[', ']'
//     or '|' in path) links that job artifact, relative to $CI_PROJECT_DIR;
//     a suite's <system-out> is not read;
//   - files must be under 30 MB; GitLab.com parses at most 500,000 testcases
//     per report.
#include <map>
#include <regex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reports/junit_report.h"
#include "tests/reports/junit_samples.h"
#include "tests/reports/mini_xml.h"

namespace faultdrill::reports {
namespace {

using ::testing::HasSubstr;

constexpr size_t kGitlabMaxFileBytes = 30u * 1000 * 1000;
constexpr size_t kGitlabMaxTestCases = 500000;
constexpr char kReport[] = "out/regression/report.html";

struct GitlabTestCase {
  std::string suite_name;
  std::string classname;
  std::string name;
  std::string status;  // "success", "failed", "error", "skipped"
  std::string detail;  // the text GitLab shows
  std::string attachment;
  std::string time;
  const mini_xml::Element* element = nullptr;
};

const std::regex& AttachmentTag() {
  static const std::regex kTag(R"(\[\[ATTACHMENT\|([^\[\]\|]+?)\]\])");
  return kTag;
}

GitlabTestCase ReadTestCase(const mini_xml::Element& testcase, const std::string& suite_name) {
  GitlabTestCase c{
      suite_name, testcase.Attr("classname"), testcase.Attr("name"), "success", "", "", testcase.Attr("time"),
      &testcase};
  for (const char* status : {"failure", "error", "skipped"}) {
    if (const mini_xml::Element* e = testcase.First(status)) {
      c.status = std::string(status) == "failure" ? "failed" : std::string(status) == "error" ? "error" : "skipped";
      c.detail = e->text;
      break;
    }
  }
  if (const mini_xml::Element* out = testcase.First("system-out")) {
    std::smatch match;
    if (std::regex_search(out->text, match, AttachmentTag())) c.attachment = match[1];
  }
  return c;
}

// The testcases of a suite and of the suites nested in it.
void ReadSuite(const mini_xml::Element& suite, std::vector<GitlabTestCase>& out) {
  for (const mini_xml::Element* testcase : suite.All("testcase"))
    out.push_back(ReadTestCase(*testcase, suite.Attr("name")));
  for (const mini_xml::Element* nested : suite.All("testsuite")) ReadSuite(*nested, out);
}

// What GitLab lists, first of each key only, in file order.
std::vector<GitlabTestCase> ReadLikeGitlab(const mini_xml::Element& root) {
  std::vector<GitlabTestCase> all;
  if (root.name == "testsuites" || root.name == "testsuite") ReadSuite(root, all);
  std::vector<GitlabTestCase> kept;
  std::set<std::tuple<std::string, std::string, std::string>> keys;
  for (GitlabTestCase& c : all) {
    if (keys.insert({c.suite_name, c.classname, c.name}).second) kept.push_back(std::move(c));
  }
  return kept;
}

size_t CountElements(const mini_xml::Element& e, const std::string& name) {
  size_t n = e.name == name;
  for (const mini_xml::Element& child : e.children) n += CountElements(child, name);
  return n;
}

struct ParsedSample {
  std::string name;
  RunResult result;
  std::string xml;
  mini_xml::Element root;
};

std::vector<ParsedSample> ParsedSamples() {
  std::vector<ParsedSample> out;
  for (sample::NamedRunResult& s : sample::JunitSamples()) {
    std::string xml = RenderJunit(s.result, JunitOptions{.html_report = kReport});
    mini_xml::Parser parser(xml);
    std::optional<mini_xml::Element> root = parser.Parse();
    EXPECT_TRUE(root.has_value()) << s.name << ": " << parser.error();
    out.push_back(ParsedSample{s.name, std::move(s.result), std::move(xml), root.value_or(mini_xml::Element{})});
  }
  return out;
}

TEST(JunitGitlabRules, RootIsTestsuitesAndEveryTestcaseIsRead) {
  for (const ParsedSample& s : ParsedSamples()) {
    SCOPED_TRACE(s.name);
    EXPECT_EQ(s.root.name, "testsuites");
    ASSERT_EQ(s.root.All("testsuite").size(), 1u) << "one testsuite per scenario";
    EXPECT_TRUE(s.root.All("testcase").empty()) << "testcases belong in the testsuite";
    EXPECT_EQ(ReadLikeGitlab(s.root).size(), CountElements(s.root, "testcase"))
        << "a testcase GitLab would drop (misplaced or a duplicate key)";
  }
}

TEST(JunitGitlabRules, ClassnameAndNameAreUniqueAndNotEmpty) {
  for (const ParsedSample& s : ParsedSamples()) {
    SCOPED_TRACE(s.name);
    std::set<std::pair<std::string, std::string>> pairs;
    for (const GitlabTestCase& c : ReadLikeGitlab(s.root)) {
      EXPECT_FALSE(c.classname.empty());
      EXPECT_FALSE(c.name.empty());
      EXPECT_TRUE(pairs.insert({c.classname, c.name}).second) << c.classname << " / " << c.name;
    }
  }
}

TEST(JunitGitlabRules, StatusesMatchTheCountsAndTheVerdicts) {
  for (const ParsedSample& s : ParsedSamples()) {
    SCOPED_TRACE(s.name);
    const std::vector<GitlabTestCase> cases = ReadLikeGitlab(s.root);
    std::map<std::string, size_t> by_status;
    for (const GitlabTestCase& c : cases) ++by_status[c.status];
    for (const mini_xml::Element* counted : {&s.root, s.root.First("testsuite")}) {
      ASSERT_NE(counted, nullptr);
      EXPECT_EQ(counted->Attr("tests"), std::to_string(cases.size()));
      EXPECT_EQ(counted->Attr("failures"), std::to_string(by_status["failed"]));
      EXPECT_EQ(counted->Attr("errors"), std::to_string(by_status["error"]));
      EXPECT_EQ(counted->Attr("skipped"), std::to_string(by_status["skipped"]));
    }
    size_t failed_verdicts = 0;
    for (const Verdict& v : s.result.verdicts) failed_verdicts += !v.passed;
    EXPECT_EQ(by_status["failed"], failed_verdicts);
    // Errors: the aborted or failed run itself, and each failed fault no verdict judges.
    const std::map<std::string, size_t> errors = {{"passed", 0},
                                                  {"failed", 1},
                                                  {"aborted", 2},
                                                  {"error", 1},
                                                  {"every-verdict-kind", 0},
                                                  {"hostile", 1},
                                                  {"hostile-aborted", 2},
                                                  {"hostile-verdict-kinds", 0},
                                                  {"long-text", 2}};
    ASSERT_EQ(errors.count(s.name), 1u);
    EXPECT_EQ(by_status["error"], errors.at(s.name));
  }
}

TEST(JunitGitlabRules, PassedRunHasOnlySuccesses) {
  const std::string xml = RenderJunit(sample::PassedRunResult(), JunitOptions{.html_report = kReport});
  mini_xml::Parser parser(xml);
  const mini_xml::Element root = parser.Parse().value_or(mini_xml::Element{});

  const std::vector<GitlabTestCase> cases = ReadLikeGitlab(root);

  ASSERT_EQ(cases.size(), sample::PassedRunResult().verdicts.size());
  for (const GitlabTestCase& c : cases) EXPECT_EQ(c.status, "success") << c.name;
}

TEST(JunitGitlabRules, FailureDetailIsTheElementTextWithMeasuredAndThreshold) {
  for (const ParsedSample& s : ParsedSamples()) {
    SCOPED_TRACE(s.name);
    for (const GitlabTestCase& c : ReadLikeGitlab(s.root)) {
      if (c.status == "success") continue;
      EXPECT_FALSE(c.detail.empty()) << c.name << ": GitLab shows the text, not the message attribute";
      const bool verdict = !c.classname.ends_with(".run") && !(c.classname.ends_with(".fault") && c.status == "error");
      if (verdict) {
        EXPECT_THAT(c.detail, HasSubstr("\nmeasured: ")) << c.name;
        EXPECT_THAT(c.detail, HasSubstr("\nthreshold: ")) << c.name;
      }
    }
  }
}

// ActiveSupport turns <failure type="integer">12</failure> into 12 and
// <x type="array"> into a list; nil="true" into nothing.
TEST(JunitGitlabRules, NoAttributeChangesHowRailsReadsAnElement) {
  const std::set<std::string> typecasts = {"integer",  "float",    "decimal", "boolean", "date",
                                           "datetime", "dateTime", "symbol",  "yaml",    "base64Binary",
                                           "binary",   "file",     "array",   "hash"};
  for (const ParsedSample& s : ParsedSamples()) {
    SCOPED_TRACE(s.name);
    for (const GitlabTestCase& c : ReadLikeGitlab(s.root)) {
      for (const auto& [key, value] : c.element->attributes) {
        EXPECT_FALSE(key == "failure" || key == "error" || key == "skipped" || key == "system-out") << key;
      }
      for (const mini_xml::Element& child : c.element->children) {
        EXPECT_EQ(c.element->attributes.count(child.name), 0u) << child.name << " is also an attribute";
        EXPECT_EQ(typecasts.count(child.Attr("type")), 0u) << child.name << " type=" << child.Attr("type");
        EXPECT_EQ(child.attributes.count("nil"), 0u);
      }
    }
  }
}

TEST(JunitGitlabRules, TimesAreDecimalSeconds) {
  const std::regex decimal(R"([0-9]+(\.[0-9]+)?)");
  for (const ParsedSample& s : ParsedSamples()) {
    SCOPED_TRACE(s.name);
    EXPECT_TRUE(std::regex_match(s.root.Attr("time"), decimal)) << s.root.Attr("time");
    EXPECT_TRUE(std::regex_match(s.root.First("testsuite")->Attr("time"), decimal));
    for (const GitlabTestCase& c : ReadLikeGitlab(s.root)) {
      EXPECT_TRUE(std::regex_match(c.time, decimal)) << c.name << ": " << c.time;
    }
  }
}

TEST(JunitGitlabRules, TestcaseTimeIsTheJudgedWindowInSeconds) {
  const std::string xml = RenderJunit(sample::SampleRunResult(), JunitOptions{.html_report = kReport});
  mini_xml::Parser parser(xml);
  const mini_xml::Element root = parser.Parse().value_or(mini_xml::Element{});

  const std::vector<GitlabTestCase> cases = ReadLikeGitlab(root);

  ASSERT_GE(cases.size(), 4u);
  EXPECT_EQ(cases[2].name, "p99 during latency fault");
  EXPECT_EQ(cases[2].time, "10.000");
  EXPECT_EQ(cases[3].time, "7.700");
}

TEST(JunitGitlabRules, EveryTestcaseLinksTheHtmlReport) {
  for (const ParsedSample& s : ParsedSamples()) {
    SCOPED_TRACE(s.name);
    for (const GitlabTestCase& c : ReadLikeGitlab(s.root)) EXPECT_EQ(c.attachment, kReport) << c.name;
  }
}

TEST(JunitGitlabRules, AttachmentIsRelativeToTheProjectDirectory) {
  const std::string xml = RenderJunit(sample::SampleRunResult(), JunitOptions{.html_report = kReport});
  mini_xml::Parser parser(xml);
  const mini_xml::Element root = parser.Parse().value_or(mini_xml::Element{});

  for (const GitlabTestCase& c : ReadLikeGitlab(root)) {
    EXPECT_NE(c.attachment.front(), '/') << "GitLab prefixes the job's artifacts URL";
    EXPECT_THAT(c.attachment, ::testing::Not(HasSubstr(".."))) << "artifacts lie under $CI_PROJECT_DIR";
  }
}

TEST(JunitGitlabRules, APathTheTagCannotCarryIsNamedButNotAttached) {
  for (const std::string path : {"out/a]]b/report.html", "out/a|b/report.html", "out/[x]/report.html"}) {
    const std::string xml = RenderJunit(sample::SampleRunResult(), JunitOptions{.html_report = path});
    mini_xml::Parser parser(xml);
    const mini_xml::Element root = parser.Parse().value_or(mini_xml::Element{});

    for (const GitlabTestCase& c : ReadLikeGitlab(root)) {
      EXPECT_EQ(c.attachment, "") << path;
      ASSERT_NE(c.element->First("system-out"), nullptr);
      EXPECT_THAT(c.element->First("system-out")->text, HasSubstr("HTML report: " + path));
    }
  }
}

TEST(JunitGitlabRules, FilesStayFarBelowTheSizeLimits) {
  for (const ParsedSample& s : ParsedSamples()) {
    SCOPED_TRACE(s.name);
    EXPECT_LT(s.xml.size(), kGitlabMaxFileBytes);
    EXPECT_LT(s.xml.size(), 2u * 1024 * 1024) << "long texts are clipped";
    EXPECT_LT(ReadLikeGitlab(s.root).size(), kGitlabMaxTestCases);
  }
}

}  // namespace
}  // namespace faultdrill::reports
