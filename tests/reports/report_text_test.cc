#include "reports/report_text.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/reports/sample_result.h"

namespace faultdrill::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(FormatWithUnit, ShowsBytesInBinaryUnits) {
  EXPECT_EQ(FormatWithUnit(512, "bytes"), "512 B");
  EXPECT_EQ(FormatWithUnit(1536, "bytes"), "1.50 KiB");
  EXPECT_EQ(FormatWithUnit(300.0 * 1024 * 1024, "bytes"), "300.00 MiB");
  EXPECT_EQ(FormatWithUnit(2.0 * 1024 * 1024 * 1024, "bytes"), "2.00 GiB");
  EXPECT_EQ(FormatWithUnit(3.0 * 1024 * 1024 * 1024 * 1024 * 1024, "bytes"), "3072.00 TiB");
}

TEST(FormatWithUnit, KeepsOtherUnitsAsTheyWere) {
  EXPECT_EQ(FormatWithUnit(812, "ms"), "812.0 ms");
  EXPECT_EQ(FormatWithUnit(2.5, "%"), "2.50%");
  EXPECT_EQ(FormatWithUnit(0.69, "s"), "0.7 s");
  EXPECT_EQ(FormatWithUnit(12, ""), "12.0");
}

TEST(ScaleUnit, PicksAReadableUnitForTheMagnitude) {
  EXPECT_EQ(ScaleUnit("bytes", 1023).label, "B");
  EXPECT_EQ(ScaleUnit("bytes", 1024).label, "KiB");
  EXPECT_DOUBLE_EQ(ScaleUnit("bytes", 5e8).divisor, 1024.0 * 1024);
  EXPECT_EQ(ScaleUnit("bytes", INFINITY).label, "B");
  EXPECT_EQ(ScaleUnit("s", 0.2).label, "ms");
  EXPECT_EQ(ScaleUnit("s", 3).label, "s");
  EXPECT_EQ(ScaleUnit("s", 0).label, "s");
  EXPECT_EQ(ScaleUnit("C", 60).label, "°C");
  EXPECT_EQ(ScaleUnit("req", 60).label, "req");
}

TEST(ClipText, CutsLongTextOnACharacterBoundary) {
  EXPECT_EQ(ClipText("short", 10), "short");
  EXPECT_EQ(ClipText("abcdef", 3), "abc…");
  EXPECT_EQ(ClipText("ab\xC3\xA9z", 3), "ab…");  // not inside é
}

TEST(RecoveryText, SaysHowLongOrWhyNot) {
  const RunResult result = sample::SampleRunResult();
  EXPECT_EQ(RecoveryText(result.faults[0]), "0.7 s");
  EXPECT_EQ(RecoveryText(result.faults[1]), "did not recover before the run ended");
  EXPECT_EQ(RecoveryText(result.faults[2]), "—");  // never applied
  FaultRecord aborted = result.faults[1];
  aborted.recovery_horizon.clear();  // not measured
  EXPECT_EQ(RecoveryText(aborted), "—");
}

TEST(ScoreText, IsOneShortLine) {
  EXPECT_EQ(ScoreText(ResilienceScore{87.5, {}, ""}), "resilience score 87.5/100");
  EXPECT_EQ(ScoreText(ResilienceScore{100, {}, ""}), "resilience score 100.0/100");
}

TEST(RunSummaryText, EndsWithTheScoreAndGivesRecoveries) {
  const std::string text = RunSummaryText(sample::SampleRunResult());

  EXPECT_THAT(text, HasSubstr("reverted 12.3s (planned 12.0s); recovered in 0.7 s\n"));
  EXPECT_THAT(text, HasSubstr("(planned 30.0s); did not recover before the run ended\n"));
  EXPECT_THAT(text, HasSubstr("verdicts: 5 passed, 2 failed\nresilience score 76.5/100\n"));
}

TEST(RunSummaryText, LeavesOutWhatWasNotMeasured) {
  RunResult result = sample::SampleRunResult();
  result.score.reset();
  for (FaultRecord& f : result.faults) {
    f.recovery_s.reset();
    f.recovery_horizon.clear();
  }
  const std::string text = RunSummaryText(result);
  EXPECT_THAT(text, Not(HasSubstr("resilience score")));
  EXPECT_THAT(text, Not(HasSubstr("recover")));
}

}  // namespace
}  // namespace faultdrill::reports
