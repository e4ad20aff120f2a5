// The Prometheus text format parser: what it reads, and what hostile or broken
// input does to it (an error naming line:col, or a skipped and counted line;
// never a crash, never unbounded work).
#include "probes/prometheus_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

namespace faultdrill::probes {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

Exposition ParseOk(std::string_view text, BadLines mode = BadLines::kFail, const ParseLimits& limits = {}) {
  auto parsed = ParsePrometheusText(text, mode, limits);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *std::move(parsed) : Exposition{};
}

// The strict parser's message for `text`.
std::string ErrorOf(std::string_view text, const ParseLimits& limits = {}) {
  auto parsed = ParsePrometheusText(text, BadLines::kFail, limits);
  EXPECT_FALSE(parsed.ok()) << "parsed: " << text;
  return parsed.ok() ? "" : std::string(parsed.status().message());
}

TEST(PrometheusText, ReadsHelpTypeAndSamplesWithLabelsAndTimestamps) {
  Exposition e = ParseOk(
      "# HELP faultdrill_requests_total Requests answered,\\nby model.\n"
      "# TYPE faultdrill_requests_total counter\n"
      "faultdrill_requests_total{model=\"tinylm\",code=\"OK\"} 1027 1700000000000\n"
      "faultdrill_requests_total{model=\"classifier\",code=\"NOT_FOUND\"} 3\n"
      "# a plain comment\n"
      "\n"
      "up 1\n");
  ASSERT_EQ(e.samples.size(), 3u);
  EXPECT_EQ(e.samples[0].name, "faultdrill_requests_total");
  EXPECT_THAT(e.samples[0].labels, ElementsAre(Pair("model", "tinylm"), Pair("code", "OK")));
  EXPECT_EQ(e.samples[0].value, 1027);
  EXPECT_EQ(e.samples[0].timestamp_ms, 1700000000000);
  EXPECT_FALSE(e.samples[1].timestamp_ms.has_value());
  EXPECT_EQ(*e.samples[1].Label("code"), "NOT_FOUND");
  EXPECT_EQ(e.samples[1].Label("nope"), nullptr);
  EXPECT_TRUE(e.samples[2].labels.empty());
  const FamilyInfo& family = e.families.at("faultdrill_requests_total");
  EXPECT_EQ(family.type, MetricType::kCounter);
  EXPECT_EQ(family.help, "Requests answered,\nby model.");
  EXPECT_EQ(e.lines, 7u);
}

TEST(PrometheusText, KeepsHistogramAndSummaryLinesAsPlainSamples) {
  Exposition e = ParseOk(
      "# TYPE d histogram\n"
      "d_bucket{le=\"0.1\"} 2\n"
      "d_bucket{le=\"+Inf\"} 5\n"
      "d_sum 1.5\n"
      "d_count 5\n"
      "# TYPE s summary\n"
      "s{quantile=\"0.99\"} 0.2\n"
      "s_sum 3\n"
      "s_count 7\n");
  ASSERT_EQ(e.samples.size(), 7u);
  EXPECT_EQ(e.samples[1].name, "d_bucket");
  EXPECT_EQ(*e.samples[1].Label("le"), "+Inf");
  EXPECT_EQ(*e.samples[4].Label("quantile"), "0.99");
  EXPECT_EQ(e.families.at("d").type, MetricType::kHistogram);
  EXPECT_EQ(e.families.at("s").type, MetricType::kSummary);
}

TEST(PrometheusText, ReadsNaNAndInfinitiesAndNumberForms) {
  Exposition e = ParseOk("a NaN\nb +Inf\nc -Inf\nd 1e3\ne -0.5\nf +2\ng Inf\nh 1e999\ni 1e-999\n");
  ASSERT_EQ(e.samples.size(), 9u);
  EXPECT_TRUE(std::isnan(e.samples[0].value));
  EXPECT_EQ(e.samples[1].value, INFINITY);
  EXPECT_EQ(e.samples[2].value, -INFINITY);
  EXPECT_EQ(e.samples[3].value, 1000);
  EXPECT_EQ(e.samples[4].value, -0.5);
  EXPECT_EQ(e.samples[5].value, 2);
  EXPECT_EQ(e.samples[6].value, INFINITY);
  EXPECT_EQ(e.samples[7].value, INFINITY);  // out of range rounds as Go does
  EXPECT_EQ(e.samples[8].value, 0);
  EXPECT_EQ(ParsePrometheusValue("+Inf"), INFINITY);
  EXPECT_EQ(ParsePrometheusValue("0.25"), 0.25);
  EXPECT_EQ(ParsePrometheusValue("1,5"), std::nullopt);
}

TEST(PrometheusText, UnescapesLabelValues) {
  Exposition e = ParseOk("m{path=\"C:\\\\dir\",quote=\"say \\\"hi\\\"\",lines=\"a\\nb\",utf8=\"caf\xc3\xa9\"} 1\n");
  ASSERT_EQ(e.samples.size(), 1u);
  EXPECT_THAT(e.samples[0].labels, ElementsAre(Pair("path", "C:\\dir"), Pair("quote", "say \"hi\""),
                                               Pair("lines", "a\nb"), Pair("utf8", "caf\xc3\xa9")));
}

TEST(PrometheusText, ToleratesBlanksTrailingCommasEmptyBracesAndCrLf) {
  Exposition lf = ParseOk("m{a=\"1\",b=\"2\",} 7\n  n {} 8\nx\t{ a = \"1\" }\t9\t\n");
  Exposition crlf = ParseOk("m{a=\"1\",b=\"2\",} 7\r\n  n {} 8\r\nx\t{ a = \"1\" }\t9\t\r\n");
  ASSERT_EQ(lf.samples.size(), 3u);
  ASSERT_EQ(crlf.samples.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(lf.samples[i].name, crlf.samples[i].name);
    EXPECT_EQ(lf.samples[i].labels, crlf.samples[i].labels);
    EXPECT_EQ(lf.samples[i].value, crlf.samples[i].value);
  }
  EXPECT_THAT(lf.samples[2].labels, ElementsAre(Pair("a", "1")));
}

TEST(PrometheusText, EmptyAndCommentOnlyInputHaveNoSamples) {
  EXPECT_TRUE(ParseOk("").samples.empty());
  EXPECT_TRUE(ParseOk("\n\n   \n").samples.empty());
  EXPECT_TRUE(ParseOk("# just a comment\n#\n# EOF\n").samples.empty());
  EXPECT_EQ(ParseOk("m 1").samples.size(), 1u);  // no final newline
}

// --- Malformed lines: the strict parser names line:col and what it expected. ---

TEST(PrometheusTextErrors, TruncatedLinesSayWhatWasExpected) {
  EXPECT_EQ(ErrorOf("ok 1\nm"), "2:2: expected a value, got the end of the line");
  EXPECT_EQ(ErrorOf("m{"), "1:3: expected a label name or '}', got the end of the line");
  EXPECT_EQ(ErrorOf("m{a"), "1:4: expected '=' after label name \"a\", got the end of the line");
  EXPECT_EQ(ErrorOf("m{a="), "1:5: expected '\"' to open the value of label \"a\", got the end of the line");
  EXPECT_EQ(ErrorOf("m{a=\"x\""), "1:8: expected ',' or '}' after a label value, got the end of the line");
  EXPECT_EQ(ErrorOf("m{a=\"x\"}"), "1:9: expected a value, got the end of the line");
}

TEST(PrometheusTextErrors, UnterminatedQuotesPointAtTheOpeningQuote) {
  EXPECT_EQ(ErrorOf("m{a=\"never closed} 1\n"), "1:5: unterminated value of label \"a\" (no closing '\"')");
  EXPECT_THAT(ErrorOf("m{a=\"ends in backslash\\"), HasSubstr("(ends in '\\')"));
}

TEST(PrometheusTextErrors, BadNamesValuesAndTimestamps) {
  EXPECT_EQ(ErrorOf("9m 1"), "1:1: expected a metric name, got \"9\"");
  EXPECT_EQ(ErrorOf("m{1a=\"x\"} 1"), "1:3: expected a label name or '}', got \"1\"");
  EXPECT_EQ(ErrorOf("m-x 1"), "1:2: expected '{' or a blank after the metric name, got \"-\"");
  EXPECT_EQ(ErrorOf("m one"), "1:3: expected a number, NaN, +Inf or -Inf, got \"one\"");
  EXPECT_EQ(ErrorOf("m +-1"), "1:3: expected a number, NaN, +Inf or -Inf, got \"+-1\"");
  EXPECT_EQ(ErrorOf("m 1 1.5"), "1:5: expected a timestamp in integer milliseconds, got \"1.5\"");
  EXPECT_EQ(ErrorOf("m 1 2 3"), "1:7: expected the end of the line after the timestamp, got \"3\"");
  EXPECT_EQ(ErrorOf("m{a=\"x\" b=\"y\"} 1"), "1:9: expected ',' or '}' after a label value, got \"b\"");
}

TEST(PrometheusTextErrors, DuplicateLabelsBadEscapesAndInvalidUtf8) {
  EXPECT_EQ(ErrorOf("m{a=\"1\",a=\"2\"} 1"), "1:9: duplicate label \"a\"");
  EXPECT_EQ(ErrorOf("m{a=\"\\t\"} 1"),
            "1:6: expected \\\\, \\\" or \\n in the value of label \"a\", got a backslash before \"t\"");
  EXPECT_EQ(ErrorOf("m{a=\"\xff\xfe\"} 1"), "1:6: the value of label \"a\" is not valid UTF-8");
  EXPECT_EQ(ErrorOf("m{a=\"\xed\xa0\x80\"} 1"), "1:6: the value of label \"a\" is not valid UTF-8");  // a surrogate
  EXPECT_EQ(ErrorOf("m{a=\"\xc0\xaf\"} 1"), "1:6: the value of label \"a\" is not valid UTF-8");      // overlong
}

TEST(PrometheusTextErrors, BadTypeAndHelpLines) {
  EXPECT_EQ(ErrorOf("# TYPE m gauge_ish\n"),
            "1:10: expected counter, gauge, histogram, summary or untyped, got \"gauge_ish\"");
  EXPECT_EQ(ErrorOf("# TYPE m counter extra\n"), "1:18: expected the end of the line after the type, got \"e\"");
  EXPECT_EQ(ErrorOf("# TYPE m counter\n# TYPE m gauge\n"), "2:1: a second # TYPE line for \"m\"");
  EXPECT_EQ(ErrorOf("# HELP m a\n# HELP m b\n"), "2:1: a second # HELP line for \"m\"");
  EXPECT_EQ(ErrorOf("# TYPE\n"), "1:7: expected a metric name after # TYPE, got the end of the line");
  EXPECT_EQ(ErrorOf("# HELP m bad \\x escape\n"), "1:14: expected \\\\ or \\n in HELP, got a backslash before \"x\"");
}

TEST(PrometheusTextErrors, SkipModeLeavesBadLinesOutCountsAndDescribesThem) {
  ParseLimits limits;
  limits.max_problems_kept = 2;
  Exposition e = ParseOk("good 1\nbad{ 2\nalso_good{a=\"x\"} 3\nm{a=\"1\",a=\"2\"} 4\n???\n", BadLines::kSkip, limits);
  ASSERT_EQ(e.samples.size(), 2u);
  EXPECT_EQ(e.samples[0].name, "good");
  EXPECT_EQ(e.samples[1].name, "also_good");
  EXPECT_EQ(e.skipped_lines, 3u);
  ASSERT_EQ(e.problems.size(), 2u);  // only the first max_problems_kept are described
  EXPECT_EQ(e.problems[0].ToString(), "2:6: expected a label name or '}', got \"2\"");
  EXPECT_EQ(e.problems[1].line, 4u);
}

TEST(PrometheusTextErrors, AMalformedTypeLineDeclaresNothing) {
  Exposition e = ParseOk("# TYPE m nonsense\n# TYPE m gauge\nm 1\n", BadLines::kSkip);
  EXPECT_EQ(e.skipped_lines, 1u);
  EXPECT_EQ(e.families.at("m").type, MetricType::kGauge);
}

// --- Caps: hostile sizes are refused without reading on. ---

TEST(PrometheusTextLimits, HugeLabelValuesAndNamesAndTooManyLabelsAreBadLines) {
  ParseLimits limits;
  limits.max_label_value_bytes = 16;
  limits.max_name_bytes = 8;
  limits.max_labels_per_sample = 2;
  EXPECT_EQ(ErrorOf("m{a=\"" + std::string(17, 'x') + "\"} 1", limits),
            "1:5: value of label \"a\" longer than 16 bytes");
  EXPECT_EQ(ErrorOf("m{a=\"" + std::string(16, 'x') + "\\n\"} 1", limits),
            "1:5: value of label \"a\" longer than 16 bytes");
  ParseOk("m{a=\"" + std::string(16, 'x') + "\"} 1", BadLines::kFail, limits);
  EXPECT_EQ(ErrorOf("metric_name_too_long 1", limits), "1:1: a metric name longer than 8 bytes");
  EXPECT_EQ(ErrorOf("m{a=\"1\",b=\"2\",c=\"3\"} 1", limits), "1:15: more than 2 labels");

  // The default cap on one label value, with a value of 1 MiB on a line.
  const std::string huge = "m{a=\"" + std::string(1 << 20, 'v') + "\"} 1\nok 2\n";
  Exposition e = ParseOk(huge, BadLines::kSkip);
  EXPECT_EQ(e.skipped_lines, 1u);
  ASSERT_EQ(e.samples.size(), 1u);
  EXPECT_EQ(e.samples[0].name, "ok");
}

TEST(PrometheusTextLimits, TooManyBytesOrSamplesIsResourceExhausted) {
  ParseLimits limits;
  limits.max_bytes = 10;
  auto too_big = ParsePrometheusText("m 1\nm 2\nm 3\n", BadLines::kSkip, limits);
  EXPECT_EQ(too_big.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(too_big.status().message()), HasSubstr("12 bytes, more than the limit of 10"));

  limits = ParseLimits{};
  limits.max_samples = 2;
  auto too_many = ParsePrometheusText("a 1\nb 2\nc 3\n", BadLines::kSkip, limits);
  EXPECT_EQ(too_many.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(too_many.status().message()), HasSubstr("more than 2 samples"));
  auto too_many_families =
      ParsePrometheusText("# TYPE a gauge\n# TYPE b gauge\n# TYPE c gauge\n", BadLines::kSkip, limits);
  EXPECT_EQ(too_many_families.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(PrometheusTextHostile, BinaryGarbageNeverCrashesAndIsReported) {
  std::mt19937 random(1234);  // fixed seed: the same garbage every run
  for (int round = 0; round < 200; ++round) {
    std::string garbage(4096, '\0');
    for (char& c : garbage) c = static_cast<char>(random() & 0xff);
    if (round % 2 == 1) {  // sometimes garbage made of format characters, which gets further
      const char alphabet[] = "m{}=\",\\ \n#\"le0.1+-InfNaN\t\r";
      for (char& c : garbage) c = alphabet[random() % (sizeof(alphabet) - 1)];
    }
    auto skipped = ParsePrometheusText(garbage, BadLines::kSkip);
    ASSERT_TRUE(skipped.ok()) << skipped.status();
    EXPECT_LE(skipped->problems.size(), ParseLimits{}.max_problems_kept);
    auto strict = ParsePrometheusText(garbage, BadLines::kFail);
    if (!strict.ok()) {
      EXPECT_THAT(std::string(strict.status().message()), ::testing::MatchesRegex("[0-9]+:[0-9]+: .*"));
    }
  }
}

TEST(PrometheusTextHostile, AMillionLinesAreParsedInOnePass) {
  // 1e6 lines: every 100th a sample, the rest comments (the sample cap stays default).
  std::string text;
  text.reserve(30u << 20);
  for (int i = 0; i < 1'000'000; ++i) {
    if (i % 100 == 0) {
      text += "m{shard=\"" + std::to_string(i) + "\"} 1\n";
    } else {
      text += "# comment line\n";
    }
  }
  Exposition e = ParseOk(text);
  EXPECT_EQ(e.samples.size(), 10'000u);
  EXPECT_EQ(e.lines, 1'000'000u);

  // 1e6 bad lines in skip mode: counted, only a few described.
  std::string bad;
  for (int i = 0; i < 1'000'000; ++i) bad += "m{\n";
  Exposition skipped = ParseOk(bad, BadLines::kSkip);
  EXPECT_EQ(skipped.skipped_lines, 1'000'000u);
  EXPECT_EQ(skipped.problems.size(), ParseLimits{}.max_problems_kept);

  // 1e6 samples against a cap of 500k: refused, not half-read.
  std::string samples;
  for (int i = 0; i < 1'000'000; ++i) samples += "m 1\n";
  EXPECT_EQ(ParsePrometheusText(samples, BadLines::kSkip).status().code(), absl::StatusCode::kResourceExhausted);

  // One 8 MiB line of labels: stops at the label cap, at once.
  std::string wide = "m{";
  for (int i = 0; wide.size() < (8u << 20); ++i) wide += "l" + std::to_string(i) + "=\"v\",";
  wide += "} 1\n";
  EXPECT_THAT(ErrorOf(wide), HasSubstr("more than 64 labels"));
}

}  // namespace
}  // namespace faultdrill::probes
