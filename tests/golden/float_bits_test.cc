#include "golden/float_bits.h"

#include <cmath>
#include <limits>

#include "golden/number_text.h"
#include "gtest/gtest.h"

namespace faultdrill::golden {
namespace {

TEST(HalfFloat, ConvertsEveryClassOfValue) {
  EXPECT_EQ(HalfToFloat(0x3c00), 1.0f);
  EXPECT_EQ(HalfToFloat(0xc000), -2.0f);
  EXPECT_EQ(HalfToFloat(0x7bff), 65504.0f);               // largest finite
  EXPECT_EQ(HalfToFloat(0x0400), std::ldexp(1.0f, -14));  // smallest normal
  EXPECT_EQ(HalfToFloat(0x0001), std::ldexp(1.0f, -24));  // smallest denormal
  EXPECT_EQ(HalfToFloat(0x03ff), std::ldexp(1023.0f, -24));
  EXPECT_TRUE(std::signbit(HalfToFloat(0x8000)));
  EXPECT_EQ(HalfToFloat(0x7c00), std::numeric_limits<float>::infinity());
  EXPECT_EQ(HalfToFloat(0xfc00), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(HalfToFloat(0x7e00)));
}

TEST(HalfFloat, RoundTripsEveryHalfExactly) {
  for (uint32_t h = 0; h <= 0xffff; ++h) {
    const float f = HalfToFloat(uint16_t(h));
    const std::optional<uint16_t> back = FloatToHalfExact(f);
    ASSERT_TRUE(back.has_value()) << std::hex << h;
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(HalfToFloat(*back)));
    } else {
      EXPECT_EQ(*back, h) << std::hex << h;
    }
  }
}

TEST(HalfFloat, RejectsFloatsThatAreNotHalves) {
  EXPECT_FALSE(FloatToHalfExact(0.1f));
  EXPECT_FALSE(FloatToHalfExact(65536.0f));
  EXPECT_FALSE(FloatToHalfExact(std::ldexp(1.0f, -25)));
}

TEST(Bf16, IsTheTopHalfOfAFloat) {
  EXPECT_EQ(Bf16ToFloat(0x3f80), 1.0f);
  EXPECT_EQ(FloatToBf16Exact(-2.0f), uint16_t(0xc000));
  EXPECT_FALSE(FloatToBf16Exact(0.1f));
}

TEST(UlpDistance, OrdersFloatsAcrossZero) {
  const float tiny = std::numeric_limits<float>::denorm_min();
  EXPECT_EQ(UlpDistance(0.0f, -0.0f), 0u);
  EXPECT_EQ(UlpDistance(tiny, -tiny), 2u);
  EXPECT_EQ(UlpDistance(1.0f, std::nextafter(1.0f, 2.0f)), 1u);
  EXPECT_EQ(UlpDistance(-std::numeric_limits<float>::max(), std::numeric_limits<float>::max()), 0xfefffffeu);
  EXPECT_EQ(UlpDistance(-std::numeric_limits<double>::max(), std::numeric_limits<double>::max()),
            0xffdffffffffffffeull);
  EXPECT_EQ(UlpDistance(0x8001, 0x0001, 16), 2u);
}

TEST(NumberText, ShortestRoundTripAndExactJsonNumbers) {
  EXPECT_EQ(ShortestText(0.1f), "0.1");
  EXPECT_EQ(ShortestText(0.1), "0.1");
  EXPECT_EQ(FloatJsonNumber(-0.0f), "-0.0");
  EXPECT_EQ(FloatJsonNumber(1.0f), "1");
  EXPECT_EQ(FloatJsonNumber(3.4028235e38f), "3.4028235e+38");
  EXPECT_EQ(DoubleJsonNumber(-0.0), "-0.0");
  EXPECT_EQ(QuoteForMessage("a\"b\n\x01"), "\"a\\\"b\\n\\x01\"");
  EXPECT_EQ(QuoteForMessage("abcdef", 3), "\"abc...\"");
}

TEST(NumberText, FloatJsonNumbersReadBackThroughDoubleExactly) {
  // Every float with these exponents, sampled densely: strtod then rounding to float gives it back.
  for (uint32_t bits = 0x00000001; bits < 0x7f800000; bits += 9973) {
    const float f = std::bit_cast<float>(bits);
    const std::string text = FloatJsonNumber(f);
    ASSERT_EQ(static_cast<float>(std::strtod(text.c_str(), nullptr)), f) << text;
  }
}

}  // namespace
}  // namespace faultdrill::golden
