#include "golden/float_bits.h"

#include <cmath>

namespace faultdrill::golden {

float HalfToFloat(uint16_t half) {
  const uint32_t sign = uint32_t(half & 0x8000u) << 16;
  const uint32_t exponent = (half >> 10) & 0x1fu;
  const uint32_t mantissa = half & 0x3ffu;
  if (exponent == 0) {
    // Zero or denormal: mantissa * 2^-24, exact in float.
    const float magnitude = std::ldexp(float(mantissa), -24);
    return sign != 0 ? -magnitude : magnitude;
  }
  if (exponent == 0x1f) return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
  return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

std::optional<uint16_t> FloatToHalfExact(float value) {
  const uint32_t bits = std::bit_cast<uint32_t>(value);
  const uint16_t sign = uint16_t((bits >> 16) & 0x8000u);
  const uint32_t magnitude = bits & 0x7fffffffu;
  if (magnitude == 0x7f800000u) return uint16_t(sign | 0x7c00u);
  if (magnitude > 0x7f800000u) {
    uint16_t payload = uint16_t((magnitude >> 13) & 0x3ffu);
    if (payload == 0) payload = 0x200;
    return uint16_t(sign | 0x7c00u | payload);
  }
  if (magnitude == 0) return sign;
  const int exponent = int(magnitude >> 23) - 127;
  if (exponent >= -14 && exponent <= 15) {
    if ((magnitude & 0x1fffu) != 0) return std::nullopt;
    return uint16_t(sign | uint16_t((exponent + 15) << 10) | uint16_t((magnitude >> 13) & 0x3ffu));
  }
  // A denormal FP16 is k * 2^-24 with 0 < k < 1024.
  const float scaled = std::ldexp(std::fabs(value), 24);
  if (scaled < 1024.0f && scaled == std::floor(scaled)) return uint16_t(sign | uint16_t(scaled));
  return std::nullopt;
}

}  // namespace faultdrill::golden
