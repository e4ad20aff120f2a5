// Built with -fno-trapping-math (golden/CMakeLists.txt): the loop computes
// every quantity for every element and selects with masks, which the compiler
// may only if-convert when floating-point operations are known not to trap.
// Comparisons of non-negative floats are done on their bit patterns (which
// order them, with NaN above +inf) so that the loop has no float compares.
#include "golden/float32_scan.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace faultdrill::golden {
namespace {

constexpr int32_t kInfBits = 0x7f800000;

struct Lanes {
  int32_t pass;      // all ones when the element passes
  int32_t finite;    // all ones when both values are finite
  int32_t abs_bits;  // bit pattern of |a-e| (non-negative float)
  int32_t rel_bits;  // bit pattern of |a-e|/|e|, 0 when a == e
  uint32_t ulp;
};

struct Prepared {
  int32_t abs_bits;
  float rel;
  uint32_t ulp;
  int32_t tolerant;   // all ones unless exact: tolerances and +0 == -0 apply
  int32_t nan_equal;  // all ones when NaN matches NaN
};

Prepared Prepare(const Fp32Rule& rule) {
  return {std::bit_cast<int32_t>(std::fabs(rule.abs)), std::fabs(rule.rel), rule.ulp, rule.exact ? 0 : -1,
          rule.nan_equal ? -1 : 0};
}

inline int32_t Mask(bool b) { return -int32_t(b); }

// The rule on one element, as masks; no branches, no float compares.
[[gnu::always_inline]] inline Lanes Evaluate(float a, float e, const Prepared& p) {
  const int32_t ab = std::bit_cast<int32_t>(a), eb = std::bit_cast<int32_t>(e);
  const int32_t am = ab & 0x7fffffff, em = eb & 0x7fffffff;
  const int32_t finite = Mask(std::max(am, em) < kInfBits);
  const int32_t both_nan = Mask(std::min(am, em) > kInfBits);
  const int32_t same_bits = Mask(ab == eb);
  const int32_t equal = (same_bits & Mask(am <= kInfBits)) | (p.tolerant & Mask((am | em) == 0));
  const int32_t nan_ok = p.nan_equal & both_nan & (same_bits | p.tolerant);

  const float e_abs = std::fabs(e);
  const float d = std::fabs(a - e);
  const int32_t d_bits = std::bit_cast<int32_t>(d);
  const int32_t r_bits = std::bit_cast<int32_t>(d / e_abs) & Mask(d_bits != 0);
  // Ordered-integer mapping (float_bits.h); |oa - oe| < 2^32 for finite values.
  const int32_t sa = ab >> 31, se = eb >> 31;
  const int32_t oa = (am ^ sa) - sa, oe = (em ^ se) - se;
  const uint32_t diff = uint32_t(oa) - uint32_t(oe);
  const uint32_t negative = uint32_t(Mask(oa < oe));
  const uint32_t ulp = (diff ^ negative) - negative;

  const int32_t limit = std::max(p.abs_bits, std::bit_cast<int32_t>(p.rel * e_abs));
  const int32_t within = Mask(d_bits <= limit) | Mask(ulp <= p.ulp);
  return {(finite & within & p.tolerant) | equal | nan_ok, finite, d_bits, r_bits, ulp};
}

float LoadFloat(const char* at) {
  float value;
  std::memcpy(&value, at, sizeof(value));
  return value;
}

// A block's counters are 32-bit, so vector lanes stay 32 bits wide.
[[gnu::always_inline]] inline void ScanBlock(const char* actual, const char* expected, size_t count, const Prepared& p,
                                             Fp32Stats& stats) {
  uint32_t failing = 0, nonfinite = 0;
  int32_t max_abs = 0, max_rel = 0;
  // Unsigned maximum as a signed one with the sign bit flipped: cheaper without SSE4.1.
  int32_t max_ulp_biased = INT32_MIN;
  for (size_t i = 0; i < count; ++i) {
    const Lanes lanes = Evaluate(LoadFloat(actual + 4 * i), LoadFloat(expected + 4 * i), p);
    failing += uint32_t(lanes.pass + 1);                     // +1 when rejected (pass == 0)
    nonfinite += uint32_t((lanes.pass | lanes.finite) + 1);  // +1 when rejected and not finite
    max_abs = std::max(max_abs, lanes.abs_bits & lanes.finite);
    max_rel = std::max(max_rel, lanes.rel_bits & lanes.finite);
    max_ulp_biased = std::max(max_ulp_biased, int32_t((lanes.ulp & uint32_t(lanes.finite)) ^ 0x80000000u));
  }
  stats.failing += failing;
  stats.nonfinite += nonfinite;
  stats.max_abs = std::max(stats.max_abs, std::bit_cast<float>(max_abs));
  stats.max_rel = std::max(stats.max_rel, std::bit_cast<float>(max_rel));
  stats.max_ulp = std::max(stats.max_ulp, uint32_t(max_ulp_biased) ^ 0x80000000u);
}

}  // namespace

// On x86-64 the loop is also compiled for AVX-512 (x86-64-v4) and AVX2, and
// the best version the CPU runs is picked at load time (GNU ifunc): 4x and 2x
// the lanes of the SSE2 baseline (bench/golden_bench, in cache: AVX2 6 GB/s,
// AVX-512 9 GB/s). Sanitizer builds keep the baseline only: an ifunc
// resolver runs before the sanitizer runtime is initialised.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_ADDRESS__)
[[gnu::target_clones("arch=x86-64-v4", "avx2", "default")]]
#endif
Fp32Stats
ScanFp32(const char* actual, const char* expected, size_t count, const Fp32Rule& rule) {
  const Prepared p = Prepare(rule);
  Fp32Stats stats;
  size_t i = 0;
  for (; i + kFp32Block <= count; i += kFp32Block) ScanBlock(actual + 4 * i, expected + 4 * i, kFp32Block, p, stats);
  ScanBlock(actual + 4 * i, expected + 4 * i, count - i, p, stats);
  return stats;
}

Fp32Element EvaluateFp32(float actual, float expected, const Fp32Rule& rule) {
  const Lanes lanes = Evaluate(actual, expected, Prepare(rule));
  return {lanes.pass != 0, lanes.finite != 0, std::bit_cast<float>(lanes.abs_bits),
          std::bit_cast<float>(lanes.rel_bits), lanes.ulp};
}

}  // namespace faultdrill::golden
