#include "reports/html_report.h"

#include <regex>
#include <set>
#include <string>

#include "core/durable_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reports/run_charts.h"
#include "tests/common/files.h"
#include "tests/reports/sample_result.h"
#include "tests/reports/soak_result.h"

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

  ASSERT_EQ(charts.size(), 3u + 1u + 3u);  // latency, throughput, errors by code, probe health, 3 probe values
  // No p90 recorded (a result from before it existed); the successful calls'
  // lines break at second 11 (nothing succeeded) and 45 (nothing completed).
  ASSERT_EQ(LatencyChart(result).series.size(), 3u);
  EXPECT_EQ(Count(charts[0], "<polyline class=\"series\" data-series=\"p50\""), 3u);
  EXPECT_EQ(Count(charts[0], "<polyline class=\"series\" data-series=\"p99\""), 3u);
  EXPECT_EQ(Count(charts[0], "<polyline class=\"series\" data-series=\"failed p99\""), 1u);  // seconds 10-12
  EXPECT_EQ(Count(charts[0], "<polyline"), 7u);
  EXPECT_EQ(Count(charts[1], "<polyline"), 2u);
  EXPECT_THAT(charts[1], HasSubstr("data-series=\"ok/s\""));
  EXPECT_THAT(charts[1], HasSubstr("data-series=\"errors/s\""));
  EXPECT_EQ(Count(charts[2], "<polyline"), 1u);
  EXPECT_THAT(charts[2], HasSubstr("data-series=\"UNAVAILABLE\""));
}

TEST(HtmlReport, WindowsShowSuccessfulLatencyAndFailedP99Apart) {
  RunResult result = sample::SampleRunResult();
  result.windows[2].ok = 0;  // the kill window: nothing succeeded
  result.windows[2].errors = result.windows[2].requests;
  result.windows[2].ok_latency = {};
  const std::string html = RenderHtml(result);
  const size_t at = html.find("<td>during(kill-server)</td>");
  ASSERT_NE(at, std::string::npos);
  const std::string row = html.substr(at, html.find("</tr>", at) - at);
  EXPECT_EQ(Count(row, "<td class=\"num missing\">—</td>"), 5u) << row;  // no successful latency: not 0 ms
  EXPECT_THAT(row, HasSubstr("2.5 ms"));                                  // the failures' p99
  EXPECT_THAT(html, HasSubstr("<th class=\"num\">Failed p99</th>"));
}

TEST(HtmlReport, ShadesAndLabelsEveryFaultInEachChart) {
  for (const std::string& chart : Charts(RenderHtml(sample::SampleRunResult()))) {
    if (chart.find("class=\"chart strip\"") != std::string::npos) {  // shaded only: the charts label them
      EXPECT_EQ(Count(chart, "<g class=\"band\"><title>"), 3u);
      continue;
    }
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
                                      "thead", "tr", "th", "tbody", "tfoot", "td", "figure", "svg", "g", "rect",
                                      "line", "text", "polyline", "footer", "h3", "pre", "code"};
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(ours.count((*it)[1].str())) << (*it)[1].str();
  }
}

TEST(HtmlReport, EscapesHostileTextInProbesGoldenAndScore) {
  const std::string html = RenderHtml(sample::HostileRunResult());
  const std::string escaped = "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;";

  EXPECT_THAT(html, HasSubstr("<h3>Probe server" + escaped));                   // probe name
  EXPECT_THAT(html, HasSubstr("<td class=\"value\">0.1423" + escaped));         // expected element
  EXPECT_THAT(html, HasSubstr("<td class=\"value bad\">0.1454" + escaped));     // actual element
  EXPECT_THAT(html, HasSubstr("<td>steady-state" + escaped));                   // score group
  EXPECT_THAT(html, HasSubstr("did not recover before the run ended" + escaped));  // recovery horizon
  EXPECT_THAT(html, HasSubstr(">rss_bytes" + escaped.substr(0, 12)));           // legend, in SVG
  EXPECT_THAT(html, Not(HasSubstr("<script")));
}

TEST(HtmlReport, EmptyRunStillRenders) {
  const std::string html = RenderHtml(RunResult{});

  EXPECT_THAT(html, HasSubstr("No verdicts"));
  EXPECT_THAT(html, HasSubstr("No faults were injected."));
  EXPECT_THAT(html, HasSubstr("No request failed."));
  EXPECT_EQ(Charts(html).size(), 2u);  // latency, throughput
  EXPECT_THAT(html, Not(HasSubstr("Resilience score")));
  EXPECT_THAT(html, Not(HasSubstr("<h3>Probe")));
  EXPECT_THAT(html, Not(HasSubstr("<h2>Golden masters</h2>")));
}

// The HTML between `heading` and the end of its section.
std::string Section(const std::string& html, const std::string& heading) {
  const size_t at = html.find(heading);
  if (at == std::string::npos) return "";
  return html.substr(at, html.find("</section>", at) - at);
}

TEST(HtmlReport, ShowsTheScoreFormulaAndGroupsNearTheTop) {
  const std::string html = RenderHtml(sample::SampleRunResult());
  const std::string score = Section(html, "<h2>Resilience score</h2>");

  EXPECT_LT(html.find("<h2>Resilience score</h2>"), html.find("<h2>Verdicts</h2>"));
  EXPECT_THAT(score, HasSubstr("76.5/100 = 100 * sum(weight of passed verdicts) / sum(weight of all verdicts)"));
  EXPECT_THAT(html, HasSubstr("<span class=\"value\">76.5</span><span class=\"of\">/100</span>"
                              "<div class=\"meter\"><div style=\"width: 76.5%\"></div></div>"));
  EXPECT_THAT(score, HasSubstr("<tr><td>steady-state</td><td class=\"num\">3</td><td class=\"num\">3/3</td>"
                               "<td class=\"num\">9/9</td></tr>"));
  EXPECT_THAT(score, HasSubstr("<tr><td>slo</td><td class=\"num\">2</td><td class=\"num bad\">1/3</td>"
                               "<td class=\"num\">2/6</td></tr>"));
  EXPECT_THAT(score, HasSubstr("<td class=\"num\">5/7</td><td class=\"num\">13/17</td>"));  // the total
}

TEST(HtmlReport, RecoveryShowsEachFaultsTimeAndTheDefinitionOnce) {
  const std::string html = RenderHtml(sample::SampleRunResult());
  const std::string faults = Section(html, "<h2>Recovery</h2>");

  EXPECT_THAT(faults, HasSubstr("<th class=\"num\">Recovery time</th>"));
  EXPECT_THAT(faults, HasSubstr("<td class=\"num\">0.7 s</td>"));  // kill-server
  EXPECT_THAT(faults, HasSubstr("<td class=\"recovery bad\">did not recover before the run ended</td>"));
  EXPECT_THAT(faults, HasSubstr("<td class=\"num missing\">—</td>"));  // corrupt-weights, never applied
  EXPECT_EQ(Count(html, "Recovery time: from the fault&#39;s end"), 1u);
  EXPECT_GT(html.find("Recovery time: from"), html.find("</table>", html.find("<h2>Recovery</h2>")));
}

// The timeline from the probe health strip on.
std::string Probes(const std::string& html) {
  const std::string timeline = Section(html, "<h2>Timeline</h2>");
  const size_t at = timeline.find("<h3>Probe");
  return at == std::string::npos ? "" : timeline.substr(at);
}

TEST(HtmlReport, ProbesGetAHealthStripAndOneChartPerValueSeries) {
  const std::string probes = Probes(RenderHtml(sample::SampleRunResult()));
  const std::vector<std::string> charts = Charts(probes);

  ASSERT_EQ(charts.size(), 4u);
  EXPECT_THAT(charts[0], HasSubstr("class=\"chart strip\""));
  EXPECT_THAT(charts[0], HasSubstr(">health</text>"));
  EXPECT_THAT(charts[0], HasSubstr(">server</text>"));
  EXPECT_THAT(charts[0], HasSubstr("<title>down 10.0s → 12.0s</title>"));
  EXPECT_THAT(probes,
              HasSubstr("<h3>Probe server · rss_bytes <span class=\"meta\">process probe, bytes</span></h3>"));
  EXPECT_THAT(charts[1], HasSubstr("data-series=\"rss_bytes\""));
  EXPECT_THAT(charts[1], HasSubstr(">rss_bytes (MiB)</text>"));
  EXPECT_THAT(charts[1], HasSubstr(">250</text>"));  // a MiB tick, not 262144000
  EXPECT_THAT(charts[2], HasSubstr(">cpu_percent (%)</text>"));
  EXPECT_THAT(charts[3], HasSubstr(">threads (count)</text>"));
  for (size_t i = 1; i < charts.size(); ++i) EXPECT_EQ(Count(charts[i], "<polyline"), 1u);
}

TEST(HtmlReport, ProbeSeriesWithoutSamplesSaysSo) {
  RunResult result = sample::SampleRunResult();
  result.probes[3].points.clear();

  const std::string probes = Probes(RenderHtml(result));

  EXPECT_EQ(Charts(probes).size(), 3u);
  EXPECT_THAT(probes, HasSubstr("<p class=\"empty\">No samples.</p>"));
}

TEST(HtmlReport, LongProbeSeriesKeepThePageSmall) {
  RunResult result = sample::SampleRunResult();
  ProbeSeries& rss = result.probes[2];
  ProbeSeries& healthy = result.probes[1];
  rss.points.clear();
  healthy.points.clear();
  for (int i = 0; i < 100000; ++i) {  // 100k samples in 60 s, one failed check and one spike
    const double t = i * 0.0006;
    rss.points.push_back({t, i == 54321 ? 4e9 : 2e8 + i});
    healthy.points.push_back({t, i % 2 == 0 || i == 70001 ? 1.0 : 0.0});
  }
  const std::string small = RenderHtml(sample::SampleRunResult());

  const std::string html = RenderHtml(result);
  const std::vector<std::string> charts = Charts(Probes(html));

  ASSERT_EQ(charts.size(), 4u);
  EXPECT_LT(html.size(), small.size() + 120000) << "a 100k-point series must not grow the page much";
  EXPECT_LE(Count(charts[0], "<rect class="), 2 * kMaxDrawnPoints);
  const std::string& rss_chart = charts[1];
  EXPECT_LE(Count(rss_chart, ","), kMaxDrawnPoints + 10);  // x,y pairs in the polyline (+ a few elsewhere)
  EXPECT_THAT(rss_chart, HasSubstr(">rss_bytes (GiB)</text>"));  // the spike survived and sets the unit
}

TEST(HtmlReport, LeavesOutSectionsTheResultHasNothingFor) {
  RunResult result = sample::SampleRunResult();
  result.score.reset();
  result.probes.clear();
  result.golden.clear();
  result.recovery_definition.clear();

  const std::string html = RenderHtml(result);

  EXPECT_THAT(html, Not(HasSubstr("Resilience score")));
  EXPECT_THAT(html, Not(HasSubstr("<h3>Probe")));
  EXPECT_THAT(html, Not(HasSubstr("<h2>Golden masters</h2>")));
  EXPECT_THAT(html, Not(HasSubstr("class=\"note definition\"")));
  EXPECT_THAT(html, Not(HasSubstr("<h2>Poisoned inputs</h2>")));
  EXPECT_THAT(html, Not(HasSubstr("<h2>Capacity</h2>")));
  EXPECT_EQ(Charts(html).size(), 3u);  // latency, throughput, errors by code
}

TEST(HtmlReport, SectionsComeInReadingOrder) {
  RunResult result = sample::SampleRunResult();
  result.capacity = CapacityResult{"p99_latency <= 50ms", 400, 30, false, 0, 0, ""};
  result.faults[0].poison = {PoisonOutcome{"nan", "INVALID_ARGUMENT", 10, 10, 0, 0, 0, ""}};
  const std::string html = RenderHtml(result);

  size_t last = 0;
  for (const char* id : {"<header>", "id=\"score\"", "id=\"capacity\"", "id=\"verdicts\"", "id=\"timeline\"",
                         "id=\"recovery\"", "id=\"golden\"", "id=\"poison\"", "id=\"injector-log\"",
                         "id=\"windows\"", "id=\"events\""}) {
    const size_t at = html.find(id);
    ASSERT_NE(at, std::string::npos) << id;
    EXPECT_GT(at, last) << id;
    last = at;
  }
}

TEST(HtmlReport, EscapesHostileTextInTheNewSections) {
  RunResult result = sample::HostileRunResult();
  const std::string h = sample::kHostile;
  result.command = "faultdrill run " + h;
  result.capacity = CapacityResult{h, 400, 30, true, 40, 450, h};
  for (FaultRecord& f : result.faults) {
    f.touches = {h};
    f.poison = {PoisonOutcome{h, h, 10, 5, 5, 0, 0, h}};
  }
  for (SecondSample& s : result.series) s.errors_by_code = {{h, 1}};
  const std::string html = RenderHtml(result);

  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("\x01")));
  EXPECT_THAT(html, HasSubstr("data-series=\"&lt;script&gt;"));  // an error code, in the legend
}

TEST(HtmlReport, EventsBeyondTheCapAreCountedNotShown) {
  RunResult result = sample::SampleRunResult();
  result.events.clear();
  for (int i = 0; i < 1000; ++i) result.events.push_back(Event{i * 0.06, "probe:health", "event " + std::to_string(i)});
  const std::string events = Section(RenderHtml(result), "<h2>Events</h2>");

  EXPECT_EQ(Count(events, "<tr><td class=\"num\">"), kMaxEventsShown);
  EXPECT_THAT(events, HasSubstr(">event 0</td>"));
  EXPECT_THAT(events, HasSubstr(">event 99</td>"));
  EXPECT_THAT(events, Not(HasSubstr(">event 100</td>")));
  EXPECT_THAT(events, HasSubstr(">event 999</td>"));
  EXPECT_THAT(events, HasSubstr("… 800 events from 6.0s to 53.9s left out here"));
}

TEST(HtmlReport, EventsWithinTheCapAreAllShown) {
  const std::string events = Section(RenderHtml(sample::SampleRunResult()), "<h2>Events</h2>");
  EXPECT_EQ(Count(events, "<tr><td class=\"num\">"), sample::SampleRunResult().events.size());
  EXPECT_THAT(events, Not(HasSubstr("left out")));
}

// The number of x,y pairs in each polyline of `html`.
std::vector<size_t> PolylineSizes(const std::string& html) {
  std::vector<size_t> sizes;
  for (size_t at = html.find("points=\""); at != std::string::npos; at = html.find("points=\"", at + 1)) {
    const size_t start = at + 8;
    const std::string points = html.substr(start, html.find('"', start) - start);
    sizes.push_back(Count(points, ","));
  }
  return sizes;
}

TEST(HtmlReport, AnHourLongSoakStaysUnderTwoMegabytes) {
  const RunResult soak = sample::SoakRunResult(3600);
  ASSERT_EQ(soak.series.size(), 3600u);
  const std::string html = RenderHtml(soak);

  EXPECT_LT(html.size(), 2u * 1024 * 1024);
  const std::vector<size_t> sizes = PolylineSizes(html);
  EXPECT_GE(sizes.size(), 3u + 2u + 4u + 4u);  // latency, throughput, 4 error codes, 4 probe values
  for (size_t size : sizes) EXPECT_LE(size, kMaxDrawnPoints);
  EXPECT_THAT(html, HasSubstr(">1h</text>"));                 // the time axis in minutes and hours
  EXPECT_THAT(html, HasSubstr("left out here"));              // hundreds of events, capped
  EXPECT_THAT(html, HasSubstr("<h2>Poisoned inputs</h2>"));
}

TEST(HtmlReport, ADayLongSoakDrawsNoMorePointsThanAnHour) {
  // Charts and events are bounded; only the tables grow (with faults, verdicts and windows).
  for (size_t size : PolylineSizes(RenderHtml(sample::SoakRunResult(24 * 3600)))) EXPECT_LE(size, kMaxDrawnPoints);
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
