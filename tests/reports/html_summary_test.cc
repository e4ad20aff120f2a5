#include "reports/html_summary.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/reports/sample_result.h"

namespace faultdrill::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Header(const RunResult& result) {
  std::string out;
  AppendSummaryHeader(result, out);
  return out;
}

std::string Capacity(const RunResult& result) {
  std::string out;
  AppendCapacitySection(result, out);
  return out;
}

CapacityResult BrokenCapacity() {
  CapacityResult c;
  c.criterion = "p99_latency <= 50ms, error_rate <= 1% for 2s";
  c.highest_rate_held_rps = 412;
  c.held_at_s = 83;
  c.broke = true;
  c.broke_at_s = 95;
  c.broke_rate_rps = 450;
  c.breach = "p99 212.4ms > 50ms";
  return c;
}

TEST(SummaryHeader, ShowsVerdictBadgeScoreAndTheRunsFacts) {
  RunResult result = sample::SampleRunResult();
  result.command = "faultdrill run scenarios/quarterly-drill.yaml --seed 42";
  const std::string header = Header(result);

  EXPECT_THAT(header, HasSubstr("<h1>quarterly-drill</h1><span class=\"badge fail\">failed</span>"));
  EXPECT_THAT(header, HasSubstr("<span class=\"value\">76.5</span><span class=\"of\">/100</span>"));
  EXPECT_THAT(header, HasSubstr("<dt>Scenario</dt><dd>scenarios/quarterly-drill.yaml</dd>"));
  EXPECT_THAT(header, HasSubstr("<dt>Target</dt><dd>127.0.0.1:8001, model tinylm (embedded)</dd>"));
  EXPECT_THAT(header, HasSubstr("<dt>Duration</dt><dd>60.0s</dd>"));
  EXPECT_THAT(header, HasSubstr("<dt>faultdrill</dt><dd>version 0.1.0</dd>"));
  EXPECT_THAT(header, HasSubstr("<dt>Verdicts</dt><dd>5 passed, 2 failed (exit code 1)</dd>"));
  EXPECT_THAT(header, HasSubstr("<code class=\"reproduce-command\">faultdrill run scenarios/quarterly-drill.yaml "
                                "--seed 42</code>"));
  EXPECT_THAT(header, Not(HasSubstr("reconstructed")));
}

TEST(SummaryHeader, PassedRunGetsAGreenBadge) {
  RunResult result = sample::SampleRunResult();
  result.outcome = Outcome::kPassed;
  EXPECT_THAT(Header(result), HasSubstr("<span class=\"badge pass\">passed</span>"));
}

TEST(SummaryHeader, ResultWithoutScoreSaysSo) {
  RunResult result = sample::SampleRunResult();
  result.score.reset();
  EXPECT_THAT(Header(result), HasSubstr("no resilience score"));
}

TEST(ReproduceCommand, IsTheRecordedCommand) {
  RunResult result = sample::SampleRunResult();
  result.command = "faultdrill run x.yaml --seed 9 --set 'load.rate=10/s'";
  EXPECT_EQ(ReproduceCommand(result), result.command);
}

TEST(ReproduceCommand, OlderResultsGetOneBuiltFromFileAndSeed) {
  RunResult result = sample::SampleRunResult();
  ASSERT_TRUE(result.command.empty());
  EXPECT_EQ(ReproduceCommand(result), "faultdrill run scenarios/quarterly-drill.yaml --seed 42");
  EXPECT_THAT(Header(result), HasSubstr("reconstructed"));
  result.scenario_file = "my drills/it's.yaml";
  EXPECT_EQ(ReproduceCommand(result), "faultdrill run 'my drills/it'\\''s.yaml' --seed 42");
}

TEST(SummaryHeader, EscapesTheCommand) {
  RunResult result = sample::SampleRunResult();
  result.command = std::string("faultdrill run ") + sample::kHostile;
  const std::string header = Header(result);
  EXPECT_THAT(header, HasSubstr("faultdrill run &lt;script&gt;alert(&quot;x&amp;y&quot;)"));
  EXPECT_THAT(header, Not(HasSubstr("<script")));
}

TEST(CapacitySection, ShowsTheHighestRateHeldAndWhereItBroke) {
  RunResult result = sample::SampleRunResult();
  result.capacity = BrokenCapacity();
  const std::string section = Capacity(result);

  EXPECT_THAT(section, HasSubstr("<h2>Capacity</h2>"));
  EXPECT_THAT(section, HasSubstr("p99_latency &lt;= 50ms, error_rate &lt;= 1% for 2s"));
  EXPECT_THAT(section, HasSubstr("<dd class=\"big\">412.0 req/s</dd>"));
  EXPECT_THAT(section, HasSubstr("83.0s from the start of the load"));
  EXPECT_THAT(section, HasSubstr("<dd class=\"bad\">95.0s at 450.0 req/s</dd>"));
  EXPECT_THAT(section, HasSubstr("<dd class=\"bad\">p99 212.4ms &gt; 50ms</dd>"));
  EXPECT_THAT(Header(result), HasSubstr("<dt>Capacity</dt><dd>412.0 req/s held</dd>"));
}

TEST(CapacitySection, ThatHeldToTheEndSaysSo) {
  RunResult result = sample::SampleRunResult();
  result.capacity = BrokenCapacity();
  result.capacity->broke = false;
  const std::string section = Capacity(result);
  EXPECT_THAT(section, HasSubstr("never: the criterion held to the end of the run"));
  EXPECT_THAT(section, Not(HasSubstr("212.4")));
}

TEST(CapacitySection, LeftOutWithoutACapacityAnswer) {
  EXPECT_EQ(Capacity(sample::SampleRunResult()), "");
  EXPECT_THAT(Header(sample::SampleRunResult()), Not(HasSubstr("Capacity")));
}

TEST(CapacitySection, EscapesItsText) {
  RunResult result = sample::SampleRunResult();
  result.capacity = BrokenCapacity();
  result.capacity->criterion = sample::kHostile;
  result.capacity->breach = sample::kHostile;
  const std::string section = Capacity(result);
  EXPECT_THAT(section, Not(HasSubstr("<script")));
  EXPECT_THAT(section, HasSubstr("&lt;script&gt;"));
}

}  // namespace
}  // namespace faultdrill::reports
