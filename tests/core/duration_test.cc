#include "core/duration.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace faultdrill {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;

std::string ErrorOf(const absl::Status& status) { return std::string(status.message()); }

TEST(ParseDuration, AcceptsEveryUnit) {
  EXPECT_EQ(*ParseDuration("7ns"), nanoseconds(7));
  EXPECT_EQ(*ParseDuration("120us"), microseconds(120));
  EXPECT_EQ(*ParseDuration("120µs"), microseconds(120));
  EXPECT_EQ(*ParseDuration("250ms"), milliseconds(250));
  EXPECT_EQ(*ParseDuration("10s"), seconds(10));
  EXPECT_EQ(*ParseDuration("3m"), minutes(3));
  EXPECT_EQ(*ParseDuration("2h"), hours(2));
}

TEST(ParseDuration, AcceptsFractionsAndZero) {
  EXPECT_EQ(*ParseDuration("1.5s"), milliseconds(1500));
  EXPECT_EQ(*ParseDuration("0.25ms"), microseconds(250));
  EXPECT_EQ(*ParseDuration("0"), nanoseconds(0));
  EXPECT_EQ(*ParseDuration("0s"), nanoseconds(0));
}

TEST(ParseDuration, AcceptsCompoundFormsThatFormatDurationWrites) {
  EXPECT_EQ(*ParseDuration("2m30s"), seconds(150));
  EXPECT_EQ(*ParseDuration("1h30m"), minutes(90));
}

TEST(ParseDuration, RejectsMalformedInputNamingTheUnits) {
  for (const char* bad : {"", "10", "s", "10 s", " 10s", "10s ", "10sx", "1.s", ".5s", "10d", "1e3ms", "nan", "inf",
                          "infs", "+5s", "10S", "0x10s", "1,5s"}) {
    absl::StatusOr<Duration> d = ParseDuration(bad);
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(ErrorOf(d.status()), HasSubstr("ms")) << bad;
  }
  EXPECT_THAT(ErrorOf(ParseDuration("10").status()), HasSubstr("missing unit"));
}

TEST(ParseDuration, RejectsNegative) {
  EXPECT_THAT(ErrorOf(ParseDuration("-1s").status()), HasSubstr("must not be negative"));
}

TEST(ParseDuration, RejectsOverflowInsteadOfWrapping) {
  EXPECT_THAT(ErrorOf(ParseDuration("9999999999999h").status()), HasSubstr("too large"));
  EXPECT_THAT(ErrorOf(ParseDuration("99999999999999999999999999ns").status()), HasSubstr("too large"));
  EXPECT_THAT(ErrorOf(ParseDuration("2562047h2562047h").status()), HasSubstr("too large"));
  EXPECT_TRUE(ParseDuration("2562047h").ok());  // just below the int64 nanosecond limit
}

TEST(ParseRate, AcceptsPerSecondMinuteAndHour) {
  EXPECT_EQ(*ParseRate("200/s"), Rate{200});
  EXPECT_EQ(*ParseRate("200/sec"), Rate{200});
  EXPECT_EQ(*ParseRate("120/m"), Rate{2});
  EXPECT_EQ(*ParseRate("60/min"), Rate{1});
  EXPECT_EQ(*ParseRate("7200/h"), Rate{2});
  EXPECT_EQ(*ParseRate("0.5/s"), Rate{0.5});
  EXPECT_EQ(*ParseRate("0/s"), Rate{0});
}

TEST(ParseRate, RejectsMalformedNegativeAndNonFinite) {
  for (const char* bad : {"", "200", "200/", "/s", "200/d", "200 /s", "200/s ", "nan/s", "inf/s", "1e3/s", "x/s"}) {
    absl::StatusOr<Rate> r = ParseRate(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(ErrorOf(r.status()), HasSubstr("200/s")) << bad;
  }
  EXPECT_THAT(ErrorOf(ParseRate("-5/s").status()), HasSubstr("must not be negative"));
  EXPECT_FALSE(ParseRate(std::string(400, '9') + "/s").ok());
}

TEST(ParsePercent, ReadsPercentagesAndFractions) {
  EXPECT_DOUBLE_EQ(*ParsePercent("0.1%"), 0.001);
  EXPECT_DOUBLE_EQ(*ParsePercent("100%"), 1.0);
  EXPECT_DOUBLE_EQ(*ParsePercent("0%"), 0.0);
  EXPECT_DOUBLE_EQ(*ParsePercent("0.05"), 0.05);
  EXPECT_DOUBLE_EQ(*ParsePercent("1"), 1.0);
}

TEST(ParsePercent, RejectsOutOfRangeAndMalformed) {
  EXPECT_THAT(ErrorOf(ParsePercent("150%").status()), HasSubstr("between 0% and 100%"));
  EXPECT_THAT(ErrorOf(ParsePercent("1.5").status()), HasSubstr("[0, 1]"));
  EXPECT_THAT(ErrorOf(ParsePercent("-1%").status()), HasSubstr("negative"));
  for (const char* bad : {"", "%", "abc", "5 %", "nan%", "inf", "5%%"}) {
    EXPECT_FALSE(ParsePercent(bad).ok()) << bad;
  }
}

TEST(ParseBytes, ReadsDecimalAndBinaryUnits) {
  EXPECT_EQ(*ParseBytes("4096"), 4096u);
  EXPECT_EQ(*ParseBytes("10B"), 10u);
  EXPECT_EQ(*ParseBytes("2kB"), 2000u);
  EXPECT_EQ(*ParseBytes("2GB"), 2'000'000'000u);
  EXPECT_EQ(*ParseBytes("512MiB"), 512u << 20);
  EXPECT_EQ(*ParseBytes("1.5KiB"), 1536u);
  EXPECT_EQ(*ParseBytes("1TiB"), uint64_t{1} << 40);
}

TEST(ParseBytes, RejectsUnknownUnitsNegativeAndOverflow) {
  for (const char* bad : {"", "MiB", "12 MiB", "12mib", "12XB", "-1", "1e6"}) {
    EXPECT_FALSE(ParseBytes(bad).ok()) << bad;
  }
  EXPECT_THAT(ErrorOf(ParseBytes("12XB").status()), HasSubstr("MiB"));
  EXPECT_THAT(ErrorOf(ParseBytes("20000000TiB").status()), HasSubstr("too large"));
  EXPECT_THAT(ErrorOf(ParseBytes("18446744073709551616").status()), HasSubstr("too large"));
  EXPECT_EQ(*ParseBytes("18446744073709551615"), UINT64_MAX);
}

TEST(FormatDuration, WritesShortHumanForms) {
  EXPECT_EQ(FormatDuration(milliseconds(250)), "250ms");
  EXPECT_EQ(FormatDuration(milliseconds(1500)), "1.5s");
  EXPECT_EQ(FormatDuration(seconds(150)), "2m30s");
  EXPECT_EQ(FormatDuration(microseconds(120)), "120µs");
  EXPECT_EQ(FormatDuration(nanoseconds(0)), "0s");
  EXPECT_EQ(FormatDuration(nanoseconds(15)), "15ns");
  EXPECT_EQ(FormatDuration(hours(1)), "1h");
  EXPECT_EQ(FormatDuration(seconds(10)), "10s");
  EXPECT_EQ(FormatDuration(microseconds(1250)), "1.25ms");
  EXPECT_EQ(FormatDuration(-milliseconds(5)), "-5ms");
}

TEST(FormatDuration, RoundTripsThroughParseDuration) {
  for (Duration d : {Duration(1), Duration(999), Duration(1001), Duration(milliseconds(1)), Duration(seconds(59)),
                     Duration(minutes(61) + milliseconds(5)), Duration(hours(30) + nanoseconds(1)),
                     Duration(std::numeric_limits<int64_t>::max())}) {
    absl::StatusOr<Duration> back = ParseDuration(FormatDuration(d));
    ASSERT_TRUE(back.ok()) << FormatDuration(d) << ": " << back.status();
    EXPECT_EQ(*back, d) << FormatDuration(d);
  }
}

TEST(ToSeconds, ConvertsToDoubles) {
  EXPECT_DOUBLE_EQ(ToSeconds(milliseconds(1500)), 1.5);
  EXPECT_DOUBLE_EQ(ToMillis(microseconds(2500)), 2.5);
}

}  // namespace
}  // namespace faultdrill
