#include "reports/html_golden.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reports/html_report.h"
#include "tests/reports/sample_result.h"

namespace faultdrill::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

std::string GoldenSection(const RunResult& result) {
  std::string out;
  AppendGoldenSection(result, out);
  return out;
}

TEST(HtmlGolden, HasOneRowPerWindowWithEveryMeasure) {
  const std::string html = GoldenSection(sample::SampleRunResult());

  EXPECT_THAT(html, HasSubstr("<h2>Golden masters</h2>"));
  EXPECT_EQ(Count(html, "<tr class=\"golden-window"), 2u);
  EXPECT_THAT(html, HasSubstr("<tr class=\"golden-window failed\"><td class=\"window\">all</td><td>masters</td>"
                              "<td class=\"num\">11790</td><td class=\"num bad\">2</td><td class=\"num bad\">3</td>"
                              "<td class=\"num\">0.0031</td><td class=\"num\">0.0217</td><td class=\"num\">41943</td>"
                              "<td class=\"num bad\">1 / 0</td><td class=\"num\">0</td></tr>"));
}

TEST(HtmlGolden, WindowWithoutDifferencesIsPlainAndShowsNoErrors) {
  const std::string html = GoldenSection(sample::SampleRunResult());

  EXPECT_THAT(html, HasSubstr("<tr class=\"golden-window\"><td class=\"window\">during(kill-server)</td>"));
  EXPECT_THAT(html, Not(HasSubstr("First differences in during(kill-server)")));
}

TEST(HtmlGolden, NothingComparedShowsNoErrorFigures) {
  RunResult result = sample::SampleRunResult();
  result.golden[1].compared = 0;

  const std::string html = GoldenSection(result);

  EXPECT_THAT(html, HasSubstr("<td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">0</td>"
                              "<td class=\"num missing\">—</td>"));
}

TEST(HtmlGolden, ListsFirstDifferencesWithElementsSideBySide) {
  const std::string html = GoldenSection(sample::SampleRunResult());

  EXPECT_THAT(html, HasSubstr("First differences in all <span class=\"meta\">against masters</span>"));
  EXPECT_THAT(html, HasSubstr("at 23.4s · request #17 · output logits"));
  EXPECT_THAT(html, HasSubstr("2 of 4 elements differ; max abs error 0.0031 at [0,2]"));
  EXPECT_THAT(html, HasSubstr("<th class=\"num\">Index</th><th>Expected</th><th>Actual</th>"));
  EXPECT_THAT(html, HasSubstr("<tr><td class=\"num value\">[0,2]</td><td class=\"value\">0.1423</td>"
                              "<td class=\"value bad\">0.1454</td></tr>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"value\">-1.25</td>"));
  // A response-level problem: no output, no elements.
  EXPECT_THAT(html, HasSubstr("at 24.0s · request #18 · the response"));
  EXPECT_THAT(html, HasSubstr("missing output probs"));
  EXPECT_EQ(Count(html, "<table class=\"side-by-side\">"), 1u);
}

TEST(HtmlGolden, BoundsDifferencesRowsAndCellText) {
  RunResult result = sample::SampleRunResult();
  ResponseDiff big = result.golden[0].first_differences[0];
  big.side_by_side.assign(100, {"[0,1]", std::string(10000, '7'), "8"});
  result.golden[0].first_differences.assign(50, big);

  const std::string html = GoldenSection(result);

  EXPECT_EQ(Count(html, "<div class=\"diff\">"), kMaxDiffsShown);
  EXPECT_EQ(Count(html, "<td class=\"value bad\">8</td>"), kMaxDiffsShown * kMaxSideBySideRows);
  EXPECT_THAT(html, HasSubstr("40 more differences recorded, not shown."));
  EXPECT_THAT(html, HasSubstr("80 more differing elements not shown."));
  EXPECT_THAT(html, HasSubstr(std::string(kMaxCellBytes, '7') + "…</td>"));
  EXPECT_THAT(html, Not(HasSubstr(std::string(kMaxCellBytes + 1, '7'))));
}

TEST(HtmlGolden, ShadowComparisonNamesThePrimary) {
  RunResult result = sample::SampleRunResult();
  result.golden[0].against = "primary";

  EXPECT_THAT(GoldenSection(result), HasSubstr("First differences in all <span class=\"meta\">against primary</span>"));
}

TEST(HtmlGolden, LeftOutWhenNothingWasCompared) {
  RunResult result = sample::SampleRunResult();
  result.golden.clear();

  EXPECT_EQ(GoldenSection(result), "");
  EXPECT_THAT(RenderHtml(result), Not(HasSubstr("Golden masters")));
}

TEST(HtmlGolden, IsPartOfThePageAfterTheTimeline) {
  const std::string html = RenderHtml(sample::SampleRunResult());

  EXPECT_THAT(html, HasSubstr(GoldenSection(sample::SampleRunResult())));
  EXPECT_LT(html.find("<h2>Timeline</h2>"), html.find("<h2>Golden masters</h2>"));
}

}  // namespace
}  // namespace faultdrill::reports
