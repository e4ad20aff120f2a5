// Bit-level facts about floating-point values that comparisons need: 16-bit
// formats (FP16, BF16) to and from float, and ULP distances through the
// ordered-integer mapping.
//
// ULP distance: every float maps to an integer so that consecutive floats map
// to consecutive integers, in numeric order: non-negative values keep their
// bit pattern, negative ones become -(bits without the sign). +0 and -0 both
// map to 0 (distance 0); the smallest denormals on either side of zero are 2
// apart; FLT_MAX and +inf are 1 apart (callers treat infinities separately).
// Distances are meaningless for NaN.
#ifndef FAULTDRILL_GOLDEN_FLOAT_BITS_H_
#define FAULTDRILL_GOLDEN_FLOAT_BITS_H_

#include <bit>
#include <cstdint>
#include <optional>

namespace faultdrill::golden {

static_assert(std::endian::native == std::endian::little,
              "raw tensor contents are little-endian; a big-endian port must swap bytes");

// Exact: every FP16 value (normal, denormal, inf, NaN with its payload) is a float.
float HalfToFloat(uint16_t half);
// The FP16 whose value is exactly `value`; nullopt when `value` is not one
// (out of range, too precise). NaN keeps the top 10 payload bits (at least one set).
std::optional<uint16_t> FloatToHalfExact(float value);

inline float Bf16ToFloat(uint16_t bf16) { return std::bit_cast<float>(uint32_t(bf16) << 16); }
// The BF16 whose value is exactly `value` (the low 16 bits are zero).
inline std::optional<uint16_t> FloatToBf16Exact(float value) {
  const uint32_t bits = std::bit_cast<uint32_t>(value);
  if ((bits & 0xffffu) != 0) return std::nullopt;
  return uint16_t(bits >> 16);
}

// The ordered-integer mapping of a float's bits (see above).
inline int64_t OrderedBits(uint64_t bits, int width) {
  const uint64_t sign = uint64_t(1) << (width - 1);
  const uint64_t magnitude = bits & (sign - 1);
  return (bits & sign) != 0 ? -int64_t(magnitude) : int64_t(magnitude);
}

// How many representable values of `width` bits (16, 32 or 64) lie between
// two finite values given as bit patterns, +0 and -0 being one value.
inline uint64_t UlpDistance(uint64_t a_bits, uint64_t b_bits, int width) {
  const int64_t a = OrderedBits(a_bits, width);
  const int64_t b = OrderedBits(b_bits, width);
  // |a - b| < 2^64 always, so the unsigned difference of the larger and the smaller is exact.
  return a > b ? uint64_t(a) - uint64_t(b) : uint64_t(b) - uint64_t(a);
}

inline uint64_t UlpDistance(float a, float b) {
  return UlpDistance(std::bit_cast<uint32_t>(a), std::bit_cast<uint32_t>(b), 32);
}
inline uint64_t UlpDistance(double a, double b) {
  return UlpDistance(std::bit_cast<uint64_t>(a), std::bit_cast<uint64_t>(b), 64);
}

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_FLOAT_BITS_H_
