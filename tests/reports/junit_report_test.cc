#include "reports/junit_report.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reports/atomic_file.h"
#include "tests/reports/mini_xml.h"
#include "tests/reports/sample_result.h"
#include "tests/common/files.h"

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
  EXPECT_THAT(cases[0]->First("failure")->text, HasSubstr("measured: 2.0\nthreshold: <= 0.0\n"));
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

TEST(WriteJunitReport, WritesTheRenderedXml) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/junit.xml";
  const RunResult result = sample::SampleRunResult();

  ASSERT_TRUE(WriteJunitReport(result, path).ok());

  EXPECT_EQ(*ReadWholeFile(path), RenderJunit(result));
}

}  // namespace
}  // namespace faultdrill::reports
