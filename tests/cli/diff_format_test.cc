#include "cli/diff_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/console_style.h"

namespace faultdrill::cli {
namespace {

using judge::Change;
using judge::DiffRow;
using judge::RunDiff;
using ::testing::HasSubstr;
using ::testing::Not;

RunDiff Diff() {
  RunDiff diff;
  diff.base_label = "drill @ 2026-11-20T10:00:00Z";
  diff.now_label = "drill @ 2026-11-21T10:00:00Z";
  diff.rows.push_back({.area = "latency", .subject = "p99 in all", .base = 10, .now = 10, .unit = "ms",
                       .change = Change::kUnchanged, .note = "+0.0% (limit +10%)"});
  diff.rows.push_back({.area = "latency", .subject = "p99 in during(kill|restart)", .base = 10, .now = 20,
                       .unit = "ms", .change = Change::kRegression, .note = "+100.0% (limit +10%)"});
  diff.rows.push_back({.area = "verdict", .subject = "fast <b>", .base = 0, .now = 1, .change = Change::kImprovement,
                       .note = "failed -> passed"});
  diff.regressions = 1;
  diff.improvements = 1;
  return diff;
}

TEST(FormatDiffTable, ListsRegressionsFirstAndCountsTheUnchanged) {
  std::string table = FormatDiffTable(Diff(), /*all=*/false, /*colour=*/false);
  EXPECT_THAT(table, HasSubstr("1 regression (1 improvement)"));
  EXPECT_THAT(table, HasSubstr("base: drill @ 2026-11-20T10:00:00Z"));
  EXPECT_LT(table.find("regression "), table.find("improvement "));
  EXPECT_THAT(table, HasSubstr("10.0 ms"));
  EXPECT_THAT(table, HasSubstr("20.0 ms"));
  EXPECT_THAT(table, HasSubstr("failed"));
  EXPECT_THAT(table, HasSubstr("passed"));
  EXPECT_THAT(table, HasSubstr("1 unchanged values not shown"));
  EXPECT_THAT(table, Not(HasSubstr("\x1b[")));
}

TEST(FormatDiffTable, AllShowsUnchangedRowsAndColourMarksRegressions) {
  std::string table = FormatDiffTable(Diff(), /*all=*/true, /*colour=*/true);
  EXPECT_THAT(table, HasSubstr("p99 in all"));
  EXPECT_THAT(table, HasSubstr("\x1b[31mregression"));
  EXPECT_THAT(table, HasSubstr("\x1b[32mimprovement"));
}

TEST(FormatDiffTable, SaysWhenNothingChanged) {
  RunDiff diff = Diff();
  diff.rows.resize(1);
  diff.regressions = diff.improvements = 0;
  EXPECT_THAT(FormatDiffTable(diff, false, false), HasSubstr("nothing changed beyond the thresholds (1 values compared)"));
}

TEST(FormatDiffMarkdown, TablesTheChangesAndFoldsTheRest) {
  std::string md = FormatDiffMarkdown(Diff());
  EXPECT_THAT(md, HasSubstr("### faultdrill diff: 1 regression (1 improvement)"));
  EXPECT_THAT(md, HasSubstr("| **regression** | latency | p99 in during(kill\\|restart) | 10.0 ms | 20.0 ms |"));
  EXPECT_THAT(md, HasSubstr("fast &lt;b&gt;"));
  EXPECT_THAT(md, HasSubstr("<details><summary>Everything else compared (1 values)</summary>"));
  EXPECT_THAT(md, Not(HasSubstr("<b>")));
}

TEST(Paint, IsPlainWhenDisabled) {
  EXPECT_EQ(Paint("x", Colour::kRed, false), "x");
  EXPECT_EQ(Paint("x", Colour::kRed, true), "\x1b[31mx\x1b[0m");
}

TEST(ColourWanted, NeverForAFileOrWithNoColor) {
  EXPECT_FALSE(ColourWanted(-1));  // not a terminal
  ::setenv("NO_COLOR", "1", 1);
  EXPECT_FALSE(ColourWanted(0));
  ::unsetenv("NO_COLOR");
}

}  // namespace
}  // namespace faultdrill::cli
