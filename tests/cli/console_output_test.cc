// What a person reads on the terminal: the progress line and the summary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "cli/commands.h"
#include "cli/describe.h"
#include "cli/progress.h"
#include "cli/summary.h"

namespace faultdrill::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

TEST(FormatProgress, ShowsElapsedRateErrorsP99AndActiveFaults) {
  load::LiveStats live;
  live.elapsed = 7s;
  live.last_second_requests = 199;
  live.completed = 1400;
  live.errors = 12;
  live.p99_ms = 4.12;
  std::string line = FormatProgress(live, 20s, {"kill-server"});
  EXPECT_THAT(line, HasSubstr("7.0s / 20.0s"));
  EXPECT_THAT(line, HasSubstr("199 req/s"));
  EXPECT_THAT(line, HasSubstr("errors 12"));
  EXPECT_THAT(line, HasSubstr("p99 4.1ms"));
  EXPECT_THAT(line, HasSubstr("active: kill-server"));
}

TEST(FormatProgress, StartsWithABarOfTheElapsedFraction) {
  load::LiveStats live;
  live.elapsed = 5s;
  std::string line = FormatProgress(live, 20s, {});
  EXPECT_THAT(line, ::testing::StartsWith("[=====>              ]  25%"));
}

TEST(ProgressBar, ClampsToEmptyAndFull) {
  EXPECT_EQ(ProgressBar(-1, 4), "[>   ]");
  EXPECT_EQ(ProgressBar(0.5, 4), "[==> ]");
  EXPECT_EQ(ProgressBar(2, 4), "[====]");
  EXPECT_EQ(ProgressBar(std::nan(""), 4), "[>   ]");
}

TEST(FormatProgress, ShowsNoP99BeforeTheFirstCompletion) {
  EXPECT_THAT(FormatProgress({}, 20s, {}), HasSubstr("p99 -"));
}

RunResult ResultWithVerdicts() {
  RunResult r;
  r.scenario_name = "drill";
  r.outcome = Outcome::kFailed;
  Verdict ok;
  ok.name = "fast before — p99_latency";
  ok.group = "slo";
  ok.window = "before";
  ok.metric = "p99_latency";
  ok.comparison = "<=";
  ok.threshold = 50;
  ok.measured = 4.2;
  ok.unit = "ms";
  ok.passed = true;
  Verdict bad = ok;
  bad.name = std::string(80, 'x') + "—é";
  bad.passed = false;
  bad.measured = 812;
  r.verdicts = {ok, bad};
  FaultRecord f;
  f.name = "kill";
  f.kind = "process-kill";
  f.applied_at_s = 8.0;
  f.reverted_at_s = 10.0;
  f.state = "reverted";
  f.counters = {{"restarts", 1}};
  r.faults = {f};
  return r;
}

TEST(FormatSummary, ListsEveryVerdictWithMeasuredAndThreshold) {
  std::string summary = FormatSummary(ResultWithVerdicts(), {"out/drill/result.json"});
  EXPECT_THAT(summary, HasSubstr("FAILED"));
  EXPECT_THAT(summary, HasSubstr("PASS   fast before — p99_latency"));
  EXPECT_THAT(summary, HasSubstr("FAIL"));
  EXPECT_THAT(summary, HasSubstr("2 verdicts: 1 passed, 1 failed"));
  EXPECT_THAT(summary, HasSubstr("restarts=1"));
  EXPECT_THAT(summary, HasSubstr("reports: out/drill/result.json"));
}

TEST(FormatSummary, KeepsTheLongestNameThatFits) {
  RunResult r = ResultWithVerdicts();
  r.verdicts.pop_back();
  r.verdicts[0].name = "before: health probe of model classifier";
  EXPECT_THAT(FormatSummary(r, {}), HasSubstr("before: health probe of model classifier "));
}

TEST(FormatSummary, CutsLongNamesOnACharacterBoundary) {
  std::string summary = FormatSummary(ResultWithVerdicts(), {});
  EXPECT_THAT(summary, HasSubstr("xxx…"));
  EXPECT_THAT(summary, Not(HasSubstr("\xe2\x80 ")));  // no half of a multi-byte character
}

TEST(FormatSummary, ShowsTheCapacityOfAStressRun) {
  RunResult r = ResultWithVerdicts();
  EXPECT_THAT(FormatSummary(r, {}), Not(HasSubstr("capacity:")));
  r.capacity = CapacityResult{.criterion = "p99_latency <= 50ms for 2s",
                              .highest_rate_held_rps = 412,
                              .held_at_s = 17,
                              .broke = true,
                              .broke_at_s = 19,
                              .broke_rate_rps = 455,
                              .breach = "p99 212.4ms > 50ms"};
  EXPECT_THAT(FormatSummary(r, {}), HasSubstr("capacity: held 412.0 req/s (at 17s) with p99_latency <= 50ms for 2s; "
                                              "broke at 19s at 455.0 req/s: p99 212.4ms > 50ms"));
  r.capacity->broke = false;
  EXPECT_THAT(FormatSummary(r, {}), HasSubstr("for 2s; never broke"));
}

TEST(FormatSummary, ColoursOnlyWhenAsked) {
  EXPECT_THAT(FormatSummary(ResultWithVerdicts(), {}, true), HasSubstr("\x1b[31mFAILED"));
  EXPECT_THAT(FormatSummary(ResultWithVerdicts(), {}, false), ::testing::Not(HasSubstr("\x1b[")));
}

TEST(FormatSummary, EndsWithTheCommandThatReproducesTheRun) {
  RunResult r = ResultWithVerdicts();
  r.command = "faultdrill run s.yaml --seed 7";
  EXPECT_THAT(FormatSummary(r, {}), HasSubstr("reproduce: faultdrill run s.yaml --seed 7"));
}

TEST(ReproduceCommand, NamesTheScenarioSeedAndEveryOverrideShellQuoted) {
  RunOptions options;
  options.scenario = "scenarios/my drill.yaml";
  options.overrides = {{"load.rate", "500/s"}, {"faults.0.signal", "it's"}};
  EXPECT_EQ(ReproduceCommand(options, 42),
            "faultdrill run 'scenarios/my drill.yaml' --seed 42 --set load.rate=500/s --set 'faults.0.signal=it'\\''s'");
}

TEST(DescribeSlo, NamesEveryThresholdAndTheWindow) {
  SloSpec slo;
  slo.window = {WindowSpec::Kind::kDuring, "kill"};
  slo.p99_latency = 150ms;
  slo.error_rate = 0.01;
  EXPECT_EQ(DescribeSlo(slo), "p99_latency <= 150ms, error_rate <= 1% in during(kill)");
}

TEST(DescribeLoad, OpenLoopWithRamp) {
  LoadSpec load;
  load.rate = {200};
  load.ramp = {{{400}, 10s}};
  load.duration = 30s;
  load.generator.emplace();
  load.generator->model = "classifier";
  EXPECT_THAT(DescribeLoad(load), HasSubstr("open loop 200/s, ramp to 400/s over 10s, for 30s"));
}

}  // namespace
}  // namespace faultdrill::cli
