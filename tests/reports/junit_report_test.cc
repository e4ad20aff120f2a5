#include "reports/junit_report.h"

#include <filesystem>
#include <iterator>
#include <set>
#include <string>

#include "core/durable_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/files.h"
#include "tests/reports/junit_samples.h"
#include "tests/reports/mini_xml.h"
#include "tests/reports/sample_result.h"

namespace faultdrill::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

mini_xml::Element ParseJunit(const RunResult& result) {
  const std::string xml = RenderJunit(result);
  mini_xml::Parser parser(xml);
  std::optional<mini_xml::Element> root = parser.Parse();
  EXPECT_TRUE(root.has_value()) << parser.error() << "\n" << xml;
  return root.value_or(mini_xml::Element{});
}

const mini_xml::Element& Suite(const mini_xml::Element& root) {
  static const mini_xml::Element kNone;
  const mini_xml::Element* suite = root.First("testsuite");
  EXPECT_NE(suite, nullptr);
  return suite ? *suite : kNone;
}

TEST(JunitReport, HasOneSuiteAndOneTestcasePerVerdict) {
  RunResult result = sample::SampleRunResult();
  result.faults[2].state = "reverted";  // no errored fault: verdicts only

  mini_xml::Element root = ParseJunit(result);

  EXPECT_EQ(root.name, "testsuites");
  EXPECT_EQ(root.Attr("tests"), "7");
  EXPECT_EQ(root.Attr("failures"), "2");
  EXPECT_EQ(root.Attr("errors"), "0");
  EXPECT_EQ(root.Attr("time"), "60.000");
  ASSERT_EQ(root.All("testsuite").size(), 1u);
  const mini_xml::Element& suite = Suite(root);
  EXPECT_EQ(suite.Attr("name"), "faultdrill.quarterly-drill");
  EXPECT_EQ(suite.Attr("tests"), "7");
  EXPECT_EQ(suite.Attr("failures"), "2");
  EXPECT_EQ(suite.Attr("timestamp"), "2024-03-14T09:26:53Z");
  std::vector<const mini_xml::Element*> cases = suite.All("testcase");
  ASSERT_EQ(cases.size(), 7u);
  EXPECT_EQ(cases[0]->Attr("classname"), "faultdrill.quarterly-drill.steady-state");
  EXPECT_EQ(cases[0]->Attr("name"), "before: steady — p99_latency");
  EXPECT_EQ(cases[0]->Attr("time"), "10.000");
  EXPECT_EQ(cases[0]->First("failure"), nullptr);
  EXPECT_EQ(cases[2]->Attr("classname"), "faultdrill.quarterly-drill.slo");
  EXPECT_EQ(cases[3]->Attr("classname"), "faultdrill.quarterly-drill.recovery");
}

TEST(JunitReport, FailureCarriesMessageTypeMeasuredThresholdAndWindow) {
  mini_xml::Element root = ParseJunit(sample::SampleRunResult());

  const mini_xml::Element* failing = Suite(root).All("testcase")[2];
  ASSERT_EQ(failing->Attr("name"), "p99 during latency fault");
  const mini_xml::Element* failure = failing->First("failure");
  ASSERT_NE(failure, nullptr);
  EXPECT_EQ(failure->Attr("message"), "p99 812.0ms > 150.0ms in during(slow-net)");
  EXPECT_EQ(failure->Attr("type"), "p99_latency");
  EXPECT_THAT(failure->text, HasSubstr("measured: 812.0 ms"));
  EXPECT_THAT(failure->text, HasSubstr("threshold: <= 150.0 ms"));
  EXPECT_THAT(failure->text, HasSubstr("window: during(slow-net)"));
}

TEST(JunitReport, LatencyFailureSaysWhichCallsItsWindowHad) {
  RunResult result = sample::SampleRunResult();
  Verdict& v = result.verdicts[2];  // made to judge the kill window, where 380 of 400 calls failed fast
  v.window = "during(kill-server)";
  v.measured = 12.5;
  v.threshold = 10;

  const mini_xml::Element root = ParseJunit(result);
  const mini_xml::Element* failure = Suite(root).All("testcase")[2]->First("failure");

  ASSERT_NE(failure, nullptr);
  EXPECT_THAT(failure->text, HasSubstr("calls in during(kill-server): 400 completed, 20 succeeded, 380 failed; "
                                       "successful p99 12.5 ms; failed p99 2.5 ms"));
}

TEST(JunitReport, UnmeasuredFailureSaysSo) {
  RunResult result = sample::SampleRunResult();
  result.verdicts[2].measured.reset();

  const mini_xml::Element root = ParseJunit(result);
  const mini_xml::Element* failure = Suite(root).All("testcase")[2]->First("failure");

  ASSERT_NE(failure, nullptr);
  EXPECT_THAT(failure->text, HasSubstr("measured: not measured"));
}

TEST(JunitReport, ErroredFaultAddsAnErrorTestcase) {
  mini_xml::Element root = ParseJunit(sample::SampleRunResult());

  EXPECT_EQ(root.Attr("tests"), "8");
  EXPECT_EQ(root.Attr("errors"), "1");
  const mini_xml::Element* last = Suite(root).All("testcase").back();
  EXPECT_EQ(last->Attr("classname"), "faultdrill.quarterly-drill.fault");
  EXPECT_EQ(last->Attr("name"), "fault corrupt-weights");
  const mini_xml::Element* error = last->First("error");
  ASSERT_NE(error, nullptr);
  EXPECT_THAT(error->Attr("message"), HasSubstr("Permission denied"));
}

TEST(JunitReport, AbortedRunAddsAnErrorTestcase) {
  RunResult result = sample::SampleRunResult();
  result.outcome = Outcome::kAborted;
  result.abort_reason = "error rate 62% >= 50% for 10s";

  mini_xml::Element root = ParseJunit(result);

  EXPECT_EQ(root.Attr("errors"), "2");
  bool found = false;
  for (const mini_xml::Element* c : Suite(root).All("testcase")) {
    if (c->Attr("name") != "run aborted") continue;
    found = true;
    EXPECT_EQ(c->Attr("classname"), "faultdrill.quarterly-drill.run");
    ASSERT_NE(c->First("error"), nullptr);
    EXPECT_EQ(c->First("error")->Attr("message"), "error rate 62% >= 50% for 10s");
    EXPECT_EQ(c->First("error")->Attr("type"), "aborted");
  }
  EXPECT_TRUE(found);
}

TEST(JunitReport, ClassnameAndNamePairsAreUnique) {
  RunResult result = sample::SampleRunResult();
  result.verdicts.push_back(result.verdicts[2]);
  result.verdicts.push_back(result.verdicts[2]);
  result.verdicts.push_back(result.verdicts[0]);

  std::set<std::pair<std::string, std::string>> seen;
  std::vector<std::string> names;
  const mini_xml::Element root = ParseJunit(result);
  for (const mini_xml::Element* c : Suite(root).All("testcase")) {
    EXPECT_TRUE(seen.insert({c->Attr("classname"), c->Attr("name")}).second) << c->Attr("name");
    names.push_back(c->Attr("name"));
  }
  EXPECT_EQ(seen.size(), 11u);
  EXPECT_THAT(names, ::testing::Contains("p99 during latency fault (2)"));
  EXPECT_THAT(names, ::testing::Contains("p99 during latency fault (3)"));
  EXPECT_THAT(names, ::testing::Contains("before: steady — p99_latency (2)"));
}

TEST(JunitReport, SystemOutSummarisesTheRun) {
  const mini_xml::Element root = ParseJunit(sample::SampleRunResult());
  const mini_xml::Element* out = Suite(root).First("system-out");

  ASSERT_NE(out, nullptr);
  EXPECT_THAT(out->text, HasSubstr("faults: 3 planned, 2 applied, 2 reverted, 1 failed"));
  EXPECT_THAT(out->text, HasSubstr("12000 sent, 11990 completed"));
  EXPECT_THAT(out->text, HasSubstr("kill-server (process-kill): reverted; applied 10.0s (planned 10.0s)"));
}

TEST(JunitReport, HostileTextIsEscapedAndParsesBack) {
  const RunResult result = sample::HostileRunResult();
  const std::string xml = RenderJunit(result);

  EXPECT_THAT(xml, Not(HasSubstr("<script")));
  EXPECT_THAT(xml, Not(HasSubstr("]]>")));
  EXPECT_THAT(xml, Not(HasSubstr("\x01")));
  EXPECT_THAT(xml, Not(HasSubstr("\x1b")));
  EXPECT_THAT(xml, Not(HasSubstr("\xff")));
  EXPECT_THAT(xml, HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(xml, HasSubstr("&amp;y"));
  EXPECT_THAT(xml, HasSubstr("\xF0\x9F\x9A\x80"));  // the emoji stays

  mini_xml::Element root = ParseJunit(result);
  const mini_xml::Element& suite = Suite(root);
  EXPECT_THAT(suite.Attr("name"), HasSubstr("<script>alert(\"x&y\")</script> ]]> it's"));
  EXPECT_THAT(suite.Attr("name"), HasSubstr("\xEF\xBF\xBD"));
  const mini_xml::Element* failure = suite.All("testcase")[2]->First("failure");
  ASSERT_NE(failure, nullptr);
  EXPECT_THAT(failure->Attr("message"), HasSubstr("</script> ]]>"));
  EXPECT_THAT(failure->text, HasSubstr("window: during(slow-net)<script>"));
}

TEST(JunitReport, EveryAttributeAndTextIsValidXmlForHostileInput) {
  const std::string xml = RenderJunit(sample::HostileRunResult());
  mini_xml::Parser parser(xml);
  EXPECT_TRUE(parser.Parse().has_value()) << parser.error();
}

std::string Property(const mini_xml::Element& suite, const std::string& name) {
  const mini_xml::Element* properties = suite.First("properties");
  if (properties == nullptr) return "(no properties)";
  for (const mini_xml::Element* p : properties->All("property")) {
    if (p->Attr("name") == name) return p->Attr("value");
  }
  return "(absent)";
}

TEST(JunitReport, CarriesTheResilienceScoreAsAProperty) {
  const mini_xml::Element root = ParseJunit(sample::SampleRunResult());

  EXPECT_EQ(Property(Suite(root), "resilience_score"), "76.5");
  EXPECT_EQ(Property(Suite(root), "outcome"), "failed");
}

TEST(JunitReport, UnscoredRunHasNoScoreProperty) {
  RunResult result = sample::SampleRunResult();
  result.score.reset();

  const mini_xml::Element root = ParseJunit(result);

  EXPECT_EQ(Property(Suite(root), "resilience_score"), "(absent)");
}

TEST(JunitReport, VerdictsOfEveryGroupBecomeTestcases) {
  RunResult result = sample::SampleRunResult();
  result.faults[2].state = "reverted";
  result.verdicts = {
      sample::SampleVerdict("golden outputs match the masters in all", "golden", "all", "differing_responses", "<=",
                            0, 2, "", false, "2 of 11790 responses differ from the masters in all (at most 0 may)",
                            60),
      sample::SampleVerdict("server rss_bytes does not leak", "probe", "all", "probe:server.rss_slope", "<=",
                            1048576, 65536, "bytes", true, "rss grows 64.0 KiB/s", 60),
      sample::SampleVerdict("continuous: health", "steady-state", "all", "failed_samples", "<=", 0, 2, "", false,
                            "health: 2 of 60 samples failed, the first at 10.0s: not healthy", 60),
  };

  const mini_xml::Element root = ParseJunit(result);
  const std::vector<const mini_xml::Element*> cases = Suite(root).All("testcase");

  ASSERT_EQ(cases.size(), 3u);
  EXPECT_EQ(root.Attr("failures"), "2");
  EXPECT_EQ(cases[0]->Attr("classname"), "faultdrill.quarterly-drill.golden");
  ASSERT_NE(cases[0]->First("failure"), nullptr);
  EXPECT_EQ(cases[0]->First("failure")->Attr("type"), "differing_responses");
  EXPECT_THAT(cases[0]->First("failure")->text,
              HasSubstr("measured: 2 differing responses\nthreshold: <= 0 differing responses\n"));
  EXPECT_EQ(cases[1]->Attr("classname"), "faultdrill.quarterly-drill.probe");
  EXPECT_EQ(cases[1]->First("failure"), nullptr);
  EXPECT_EQ(cases[2]->Attr("classname"), "faultdrill.quarterly-drill.steady-state");
  EXPECT_EQ(cases[2]->Attr("name"), "continuous: health");
  ASSERT_NE(cases[2]->First("failure"), nullptr);
  EXPECT_EQ(cases[2]->First("failure")->Attr("type"), "failed_samples");
}

TEST(JunitReport, ProbeVerdictInBytesReadsInBinaryUnits) {
  RunResult result = sample::SampleRunResult();
  result.verdicts = {sample::SampleVerdict("rss below 1 GiB", "probe", "all", "probe:server.rss_bytes", "<=",
                                           1024.0 * 1024 * 1024, 1.5 * 1024 * 1024 * 1024, "bytes", false,
                                           "max of server.rss_bytes 1610612736 bytes > 1073741824 in all", 60)};

  const mini_xml::Element root = ParseJunit(result);
  const mini_xml::Element* failure = Suite(root).All("testcase")[0]->First("failure");

  ASSERT_NE(failure, nullptr);
  EXPECT_THAT(failure->text, HasSubstr("measured: 1.50 GiB\nthreshold: <= 1.00 GiB\n"));
}

TEST(JunitReport, FailedFaultJudgedByAVerdictIsNotAlsoAnError) {
  RunResult result = sample::SampleRunResult();
  result.verdicts.push_back(sample::SampleVerdict("fault corrupt-weights applied and reverted", "fault",
                                                  "during(corrupt-weights)", "fault", "==", 1, 0.0, "", false,
                                                  "corrupt-weights (corrupt-weights) ended failed", 0));

  const mini_xml::Element root = ParseJunit(result);

  EXPECT_EQ(root.Attr("tests"), "8");
  EXPECT_EQ(root.Attr("failures"), "3");
  EXPECT_EQ(root.Attr("errors"), "0");
  const mini_xml::Element* last = Suite(root).All("testcase").back();
  EXPECT_EQ(last->Attr("classname"), "faultdrill.quarterly-drill.fault");
  EXPECT_EQ(last->Attr("name"), "fault corrupt-weights applied and reverted");
}

TEST(JunitReport, SystemOutHasRecoveriesAndTheScore) {
  const mini_xml::Element root = ParseJunit(sample::SampleRunResult());
  const mini_xml::Element* out = Suite(root).First("system-out");

  ASSERT_NE(out, nullptr);
  EXPECT_THAT(out->text, HasSubstr("recovered in 0.7 s"));
  EXPECT_THAT(out->text, HasSubstr("resilience score 76.5/100"));
}

TEST(JunitReport, HostileScoreAndProbesStayWellFormed) {
  const mini_xml::Element root = ParseJunit(sample::HostileRunResult());
  const mini_xml::Element* out = Suite(root).First("system-out");

  EXPECT_EQ(Property(Suite(root), "resilience_score"), "76.5");
  ASSERT_NE(out, nullptr);
  EXPECT_THAT(out->text, HasSubstr("did not recover before the run ended<script>"));
}

TEST(WriteJunitReport, WritesTheRenderedXmlAttachingTheReportBesideIt) {
  testing::TempDir dir;  // under $TMPDIR, outside the current directory: only the file name is kept
  const std::string path = dir.path() + "/junit.xml";
  const RunResult result = sample::SampleRunResult();

  ASSERT_TRUE(WriteJunitReport(result, path).ok());

  EXPECT_EQ(*ReadWholeFile(path), RenderJunit(result, JunitOptions{.html_report = "report.html"}));
}

TEST(WriteJunitReport, WritesWithTheGivenOptions) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/junit.xml";
  const RunResult result = sample::SampleRunResult();

  ASSERT_TRUE(WriteJunitReport(result, path, JunitOptions{.html_report = "out/q/drill.html"}).ok());

  EXPECT_THAT(*ReadWholeFile(path), HasSubstr("[[ATTACHMENT|out/q/drill.html]]"));
}

TEST(WriteJunitReport, UnwritablePathIsAnErrorNotAThrow) {
  EXPECT_EQ(WriteJunitReport(sample::SampleRunResult(), "/nonexistent-folder/junit.xml").code(),
            absl::StatusCode::kNotFound);
}

// The failure text of the testcase named `name`, "" when there is none.
std::string FailureTextOf(const mini_xml::Element& root, const std::string& name) {
  for (const mini_xml::Element* c : Suite(root).All("testcase")) {
    if (c->Attr("name") == name && c->First("failure") != nullptr) return c->First("failure")->text;
  }
  return "";
}

TEST(JunitReport, EveryVerdictKindStatesWhatWasMeasuredAgainstWhat) {
  struct Expected {
    std::string name, measured, threshold;
  };
  const Expected expected[] = {
      {"p99 during latency fault", "812.0 ms", "<= 150.0 ms"},
      {"errors overall", "3.73%", "<= 1.00%"},
      {"throughput overall", "120.5 req/s", ">= 150.0 req/s"},
      {"recovers after kill", "0.7 s", "<= 0.5 s"},
      {"after: health probe", "not healthy", "healthy"},
      {"continuous: health", "2 failed samples", "<= 0 failed samples"},
      {"rss below 1 GiB", "1.50 GiB", "<= 1.00 GiB"},
      {"queue depth in range", "80.0", "within bounds, at most 64.0 (the lower bound is in the message)"},
      {"server leak", "6.2 MiB/min", "<= 1.0 MiB/min"},
      {"golden outputs match the masters in all", "2 differing responses", "<= 0 differing responses"},
      {"shadow: candidate answers like the primary", "5 differing responses", "<= 0 differing responses"},
      {"shadow: candidate p99 latency", "40.1 ms", "<= 13.2 ms"},
      {"fault corrupt-weights applied and reverted", "not applied and reverted", "applied and reverted"},
      {"no abort condition held", "an abort condition held", "no abort condition held"},
      {"poison-inputs poison: every poisoned request answered as expected", "3 unexpected answers",
       "<= 0 unexpected answers"},
      {"capacity at least 400 req/s", "350.0 req/s", ">= 400.0 req/s"},
  };
  const RunResult result = sample::EveryVerdictKindRunResult();
  ASSERT_EQ(result.verdicts.size(), std::size(expected));

  const mini_xml::Element root = ParseJunit(result);

  for (const Expected& e : expected) {
    SCOPED_TRACE(e.name);
    const std::string text = FailureTextOf(root, e.name);
    EXPECT_THAT(text, HasSubstr("\nmeasured: " + e.measured + "\nthreshold: " + e.threshold + "\n"));
    EXPECT_THAT(text, HasSubstr("\nmetric: "));
  }
}

TEST(JunitReport, GoldenFailureShowsTheComparisonAndFirstDifferences) {
  const mini_xml::Element root = ParseJunit(sample::EveryVerdictKindRunResult());

  const std::string text = FailureTextOf(root, "golden outputs match the masters in all");

  EXPECT_THAT(text, HasSubstr("compared: 11790 responses, 2 differ, 3 without a master\n"));
  EXPECT_THAT(text, HasSubstr("first differences (2 of 2):\n"));
  EXPECT_THAT(text, HasSubstr("  at 23.4s request 17 output logits: 2 of 4 elements differ"));
  EXPECT_THAT(text, HasSubstr("    [0,2] expected 0.1423, actual 0.1454\n"));
}

TEST(JunitReport, ShadowFailureShowsTheComparisonWithThePrimary) {
  const mini_xml::Element root = ParseJunit(sample::EveryVerdictKindRunResult());

  const std::string text = FailureTextOf(root, "shadow: candidate answers like the primary");

  EXPECT_THAT(text, HasSubstr("compared: 400 responses, 5 differ, 0 without a primary answer\n"));
  EXPECT_THAT(text, HasSubstr("    [3] expected cat, actual dog\n"));
}

TEST(JunitReport, RecoveryFailureStatesHowRecoveryIsMeasured) {
  const mini_xml::Element root = ParseJunit(sample::EveryVerdictKindRunResult());

  EXPECT_THAT(FailureTextOf(root, "recovers after kill"), HasSubstr("Recovery time: from the fault's end"));
}

TEST(JunitReport, CapacityFailureStatesTheHighestRateThatHeldAndTheBreach) {
  const mini_xml::Element root = ParseJunit(sample::EveryVerdictKindRunResult());

  EXPECT_THAT(FailureTextOf(root, "capacity at least 400 req/s"),
              HasSubstr("capacity: 350.0 req/s held (the second at 34.0s) under p99_latency <= 50ms, error_rate <= "
                        "1% for 2s; broke at 36.0s at 380.0 req/s: p99 212.4ms > 50ms\n"));
  EXPECT_EQ(Property(Suite(root), "capacity_rps"), "350.0");
}

TEST(JunitReport, PoisonFailureShowsEveryVariant) {
  const mini_xml::Element root = ParseJunit(sample::EveryVerdictKindRunResult());

  const std::string text = FailureTextOf(root, "poison-inputs poison: every poisoned request answered as expected");

  EXPECT_THAT(text, HasSubstr("poisoned requests by variant:\n"
                              "  nan: 20 sent, 17 as expected (INVALID_ARGUMENT), 2 unexpected (first OK), 1 timeouts, "
                              "0 crashes\n"
                              "  wrong-shape: 20 sent, 20 as expected (INVALID_ARGUMENT), 0 unexpected, 0 timeouts, "
                              "0 crashes\n"));
}

TEST(JunitReport, EveryTestcaseLinksTheHtmlReportAndTheReproduceCommand) {
  RunResult result = sample::PassedRunResult();
  result.command = "faultdrill run scenarios/x.yaml --seed 42";

  const mini_xml::Element root = ParseJunit(result);

  for (const mini_xml::Element* c : Suite(root).All("testcase")) {
    const mini_xml::Element* out = c->First("system-out");
    ASSERT_NE(out, nullptr) << c->Attr("name");
    EXPECT_EQ(out->text,
              "HTML report: [[ATTACHMENT|report.html]]\n"
              "reproduce: faultdrill run scenarios/x.yaml --seed 42\n");
  }
  EXPECT_EQ(Property(Suite(root), "command"), "faultdrill run scenarios/x.yaml --seed 42");
}

TEST(JunitReport, NoHtmlReportNoAttachment) {
  const std::string xml = RenderJunit(sample::SampleRunResult(), JunitOptions{.html_report = ""});

  EXPECT_THAT(xml, Not(HasSubstr("ATTACHMENT")));
  EXPECT_THAT(xml, Not(HasSubstr("HTML report")));
}

TEST(JunitReport, TestcasesNameTheScenarioFile) {
  const mini_xml::Element root = ParseJunit(sample::SampleRunResult());

  for (const mini_xml::Element* c : Suite(root).All("testcase")) {
    EXPECT_EQ(c->Attr("file"), "scenarios/quarterly-drill.yaml");
  }
}

TEST(JunitReport, TimestampOnlyWhenStartedAtIsAnIsoDateTime) {
  RunResult result = sample::SampleRunResult();
  result.started_at = "yesterday";
  EXPECT_FALSE(Suite(ParseJunit(result)).attributes.count("timestamp"));

  result.started_at = "2024-03-14T09:26:53.250+01:00";
  EXPECT_EQ(Suite(ParseJunit(result)).Attr("timestamp"), "2024-03-14T09:26:53.250+01:00");
}

TEST(JunitReport, LongTextsAreClipped) {
  const RunResult result = sample::LongTextRunResult();

  const std::string xml = RenderJunit(result);
  const mini_xml::Element root = ParseJunit(result);

  EXPECT_LT(xml.size(), 1024u * 1024);
  const mini_xml::Element* clipped = Suite(root).All("testcase")[2];
  EXPECT_LT(clipped->Attr("name").size(), 1024u);
  EXPECT_THAT(clipped->Attr("name"), ::testing::EndsWith("…"));
  ASSERT_NE(clipped->First("failure"), nullptr);
  EXPECT_LT(clipped->First("failure")->Attr("message").size(), 4096u);
  EXPECT_THAT(clipped->First("failure")->text, HasSubstr("\nmeasured: 812.0 ms\n"));
}

TEST(AttachmentPath, KeepsARelativePathNormalised) {
  EXPECT_EQ(AttachmentPath("out/regression/report.html"), "out/regression/report.html");
  EXPECT_EQ(AttachmentPath("./out/x/../regression/report.html"), "out/regression/report.html");
  EXPECT_EQ(AttachmentPath("report.html"), "report.html");
}

TEST(AttachmentPath, MakesAnAbsolutePathUnderTheCurrentDirectoryRelative) {
  const std::string cwd = std::filesystem::current_path().string();
  EXPECT_EQ(AttachmentPath(cwd + "/out/regression/report.html"), "out/regression/report.html");
}

TEST(AttachmentPath, KeepsOnlyTheFileNameOfAnAbsolutePathElsewhere) {
  const std::string cwd = std::filesystem::current_path().string();
  if (cwd == "/") GTEST_SKIP() << "the current directory is the root: nothing lies outside it";
  const std::string outside = std::filesystem::path(cwd).root_path().string() + "faultdrill-elsewhere/report.html";

  EXPECT_EQ(AttachmentPath(outside), "report.html");
}

}  // namespace
}  // namespace faultdrill::reports
