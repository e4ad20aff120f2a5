#include "reports/html_report.h"

#include <regex>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reports/atomic_file.h"
#include "reports/run_charts.h"
#include "tests/reports/sample_result.h"
#include "tests/common/files.h"

namespace faultdrill::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

// The <svg>...</svg> elements, in order.
std::vector<std::string> Charts(const std::string& html) {
  std::vector<std::string> out;
  for (size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) {
    out.push_back(html.substr(at, html.find("</svg>", at) - at));
  }
  return out;
}

TEST(HtmlReport, IsOneSelfContainedDocument) {
  const std::string html = RenderHtml(sample::SampleRunResult());

  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("<style>"));
  EXPECT_THAT(html, Not(HasSubstr("http://")));
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("href=")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
}

TEST(HtmlReport, HeaderShowsScenarioOutcomeAndRun) {
  const std::string html = RenderHtml(sample::SampleRunResult());

  EXPECT_THAT(html, HasSubstr("<h1>quarterly-drill</h1>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"badge fail\">failed</span>"));
  EXPECT_THAT(html, HasSubstr("2024-03-14T09:26:53Z"));
  EXPECT_THAT(html, HasSubstr("60.0s"));
  EXPECT_THAT(html, HasSubstr("127.0.0.1:8001, model tinylm (embedded)"));
  EXPECT_THAT(html, HasSubstr("open loop at 200.0 req/s"));
}

TEST(HtmlReport, HasOneVerdictRowPerVerdict) {
  const RunResult result = sample::SampleRunResult();
  const std::string html = RenderHtml(result);

  EXPECT_EQ(Count(html, "<tr class=\"verdict "), result.verdicts.size());
  EXPECT_EQ(Count(html, "<tr class=\"verdict failed\">"), 2u);
  EXPECT_THAT(html, HasSubstr("p99 during latency fault"));
  EXPECT_THAT(html, HasSubstr("812.0 ms"));
  EXPECT_THAT(html, HasSubstr("&lt;= 150.0 ms"));
  EXPECT_THAT(html, HasSubstr("during(slow-net)"));
}

TEST(HtmlReport, PlotsOnePolylinePerSeries) {
  const RunResult result = sample::SampleRunResult();
  const std::vector<std::string> charts = Charts(RenderHtml(result));

  ASSERT_EQ(charts.size(), 2u);
  EXPECT_EQ(Count(charts[0], "<polyline"), LatencyChart(result).series.size());
  EXPECT_EQ(Count(charts[0], "<polyline"), 2u);
  EXPECT_THAT(charts[0], HasSubstr("data-series=\"p50\""));
  EXPECT_THAT(charts[0], HasSubstr("data-series=\"p99\""));
  EXPECT_EQ(Count(charts[1], "<polyline"), 2u);
  EXPECT_THAT(charts[1], HasSubstr("data-series=\"ok/s\""));
  EXPECT_THAT(charts[1], HasSubstr("data-series=\"errors/s\""));
}

TEST(HtmlReport, ShadesAndLabelsEveryFaultInEachChart) {
  for (const std::string& chart : Charts(RenderHtml(sample::SampleRunResult()))) {
    EXPECT_EQ(Count(chart, "<g class=\"band\">"), 3u);
    EXPECT_THAT(chart, HasSubstr(">kill-server</text>"));
    EXPECT_THAT(chart, HasSubstr(">slow-net</text>"));
    EXPECT_THAT(chart, HasSubstr(">corrupt-weights (failed)</text>"));
  }
}

TEST(HtmlReport, ListsFaultsWithPlannedAndActualTimesAndEvents) {
  const std::string html = RenderHtml(sample::SampleRunResult());

  EXPECT_THAT(html, HasSubstr("10.0s → 12.0s"));  // planned
  EXPECT_THAT(html, HasSubstr("12.3s"));           // actually reverted
  EXPECT_THAT(html, HasSubstr("signals_sent=1"));
  EXPECT_THAT(html, HasSubstr("<span class=\"pill fail\">failed</span>"));
  EXPECT_THAT(html, HasSubstr("Permission denied"));
  EXPECT_THAT(html, HasSubstr("restarted faultdrill-model-server as pid 4307"));
}

TEST(HtmlReport, EscapesHostileText) {
  const std::string html = RenderHtml(sample::HostileRunResult());

  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("\x01")));
  EXPECT_THAT(html, Not(HasSubstr("\xff")));
  EXPECT_THAT(html, HasSubstr("<h1>drill &lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt; ]]&gt; it&#39;s"));
  EXPECT_THAT(html, HasSubstr("\xF0\x9F\x9A\x80"));
  // Every tag the page opens is one of ours: no element came in with the data.
  std::regex tag("<([a-zA-Z][a-zA-Z0-9]*)");
  const std::set<std::string> ours = {"html", "head", "meta", "title", "style", "body", "main", "header", "div",
                                      "h1", "span", "p", "strong", "dl", "dt", "dd", "section", "h2", "table",
                                      "thead", "tr", "th", "tbody", "td", "figure", "svg", "g", "rect", "line",
                                      "text", "polyline", "footer"};
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(ours.count((*it)[1].str())) << (*it)[1].str();
  }
}

TEST(HtmlReport, EmptyRunStillRenders) {
  const std::string html = RenderHtml(RunResult{});

  EXPECT_THAT(html, HasSubstr("No verdicts"));
  EXPECT_THAT(html, HasSubstr("No faults were injected."));
  EXPECT_EQ(Charts(html).size(), 2u);
}

TEST(HtmlReport, IsDeterministic) {
  EXPECT_EQ(RenderHtml(sample::SampleRunResult()), RenderHtml(sample::SampleRunResult()));
}

TEST(WriteHtmlReport, WritesTheRenderedPage) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/report.html";
  ASSERT_TRUE(WriteHtmlReport(sample::SampleRunResult(), path).ok());
  EXPECT_EQ(*ReadWholeFile(path), RenderHtml(sample::SampleRunResult()));
}

}  // namespace
}  // namespace faultdrill::reports
