#include "reports/html_faults.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
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

std::string Poison(const RunResult& result) {
  std::string out;
  AppendPoisonSection(result, out);
  return out;
}

std::string Log(const RunResult& result) {
  std::string out;
  AppendInjectorLogSection(result, out);
  return out;
}

// The sample drill plus a poison-inputs fault with three variants: one as
// expected, one answered INTERNAL, one never sent.
RunResult WithPoison() {
  RunResult result = sample::SampleRunResult();
  FaultRecord poison;
  poison.name = "poison";
  poison.kind = "poison-inputs";
  poison.applied_at_s = 45;
  poison.reverted_at_s = 50;
  poison.state = "reverted";
  poison.poison = {PoisonOutcome{"nan", "INVALID_ARGUMENT", 120, 120, 0, 0, 0, ""},
                   PoisonOutcome{"wrong-shape", "INVALID_ARGUMENT", 118, 100, 15, 2, 1, "INTERNAL"},
                   PoisonOutcome{"empty", "OK|INVALID_ARGUMENT", 0, 0, 0, 0, 0, ""}};
  result.faults.push_back(poison);
  return result;
}

TEST(PoisonSection, OneRowPerVariantWithProblemsMarked) {
  const std::string html = Poison(WithPoison());

  EXPECT_THAT(html, HasSubstr("<h2>Poisoned inputs</h2>"));
  EXPECT_EQ(Count(html, "<tr class=\"poison-row"), 3u);
  EXPECT_EQ(Count(html, "<tr class=\"poison-row problem\">"), 1u);
  EXPECT_THAT(html, HasSubstr("rowspan=\"3\""));  // the fault's name spans its variants
  EXPECT_THAT(html, HasSubstr("<td class=\"variant\">wrong-shape</td><td class=\"expected\">INVALID_ARGUMENT</td>"
                              "<td class=\"num\">118</td><td class=\"num\">100</td>"
                              "<td class=\"num bad\">15 (first: INTERNAL)</td><td class=\"num bad\">2</td>"
                              "<td class=\"num bad\">1</td><td><span class=\"pill fail\">problem</span></td>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"num\">120</td><td class=\"num\">120</td><td class=\"num\">0</td>"
                              "<td class=\"num\">0</td><td class=\"num\">0</td>"
                              "<td><span class=\"pill pass\">as expected</span></td>"));
  EXPECT_THAT(html, HasSubstr("OK|INVALID_ARGUMENT"));
  EXPECT_THAT(html, HasSubstr("<span class=\"pill neutral\">not sent</span>"));
}

TEST(PoisonSection, LeftOutWhenNoFaultPoisoned) { EXPECT_EQ(Poison(sample::SampleRunResult()), ""); }

TEST(PoisonSection, EscapesVariantsAndCodes) {
  RunResult result = WithPoison();
  for (PoisonOutcome& p : result.faults.back().poison) {
    p.variant = sample::kHostile;
    p.expected = sample::kHostile;
    p.first_unexpected = sample::kHostile;
  }
  const std::string html = Poison(result);
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, HasSubstr("(first: &lt;script&gt;"));
}

TEST(InjectorLog, ListsWhatEachFaultTouchedAndWhen) {
  RunResult result = sample::SampleRunResult();
  result.faults[0].touches = {"pid 4242 (faultdrill-model-server)", "restarts it with the same command"};
  const std::string html = Log(result);

  EXPECT_THAT(html, HasSubstr("<h2>Injector log</h2>"));
  EXPECT_EQ(Count(html, "<tr class=\"fault-row"), 3u);
  EXPECT_THAT(html, HasSubstr("<td class=\"touches\"><div>pid 4242 (faultdrill-model-server)</div>"
                              "<div>restarts it with the same command</div></td>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"touches missing\">—</td>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"num\">10.0s → 12.0s</td><td class=\"num\">10.0s</td>"
                              "<td class=\"num\">12.3s</td>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"pill pass\">reverted</span>"));
  EXPECT_THAT(html, HasSubstr("signals_sent=1"));
}

TEST(InjectorLog, MarksAFailedFaultAndShowsItsError) {
  const std::string html = Log(sample::SampleRunResult());
  EXPECT_EQ(Count(html, "<tr class=\"fault-row failed\">"), 1u);
  EXPECT_THAT(html, HasSubstr("<div class=\"error\">cannot back up server/models/tinylm.fdw: Permission denied</div>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"num\">never</td><td class=\"num\">never</td>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"pill fail\">failed</span>"));
}

TEST(InjectorLog, BoundsTheListOfTouchedThings) {
  RunResult result = sample::SampleRunResult();
  for (int i = 0; i < 500; ++i) result.faults[0].touches.push_back("file " + std::to_string(i));
  const std::string html = Log(result);
  EXPECT_EQ(Count(html, "<div>file "), kMaxTouchesShown);
  EXPECT_THAT(html, HasSubstr("and 480 more"));
}

TEST(InjectorLog, WithoutFaultsSaysSo) {
  EXPECT_THAT(Log(RunResult{}), HasSubstr("No faults were injected."));
  std::string recovery;
  AppendRecoverySection(RunResult{}, recovery);
  EXPECT_EQ(recovery, "");
}

TEST(InjectorLog, EscapesTouches) {
  RunResult result = sample::SampleRunResult();
  result.faults[0].touches = {sample::kHostile};
  const std::string html = Log(result);
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, HasSubstr("<div>&lt;script&gt;"));
}

}  // namespace
}  // namespace faultdrill::reports
