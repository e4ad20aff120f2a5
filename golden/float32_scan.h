// The FP32 element rule at memory speed: one branch-free pass over two float
// arrays that counts the elements the rule rejects and the largest errors,
// with no allocation. Used by tensor_compare.cc; the second, slower pass that
// collects the first differing elements calls EvaluateFp32 on single
// elements, which applies exactly the same rule.
#ifndef FAULTDRILL_GOLDEN_FLOAT32_SCAN_H_
#define FAULTDRILL_GOLDEN_FLOAT32_SCAN_H_

#include <cstddef>
#include <cstdint>

namespace faultdrill::golden {

// The element rule for FP32 (see tensor_compare.h for its meaning). A
// tolerance of 0 accepts only equal values, which pass anyway, so 0 is "off".
struct Fp32Rule {
  float abs = 0;
  float rel = 0;
  uint32_t ulp = 0;
  bool exact = false;  // bit-for-bit (a NaN still needs nan_equal)
  bool nan_equal = true;
};

struct Fp32Element {
  bool pass = false;
  bool finite = false;  // both values finite
  float abs_error = 0;  // |a-e| in float; meaningful when finite
  float rel_error = 0;  // |a-e|/|e|: 0 when a == e, +inf when e == 0 != a
  uint32_t ulp = 0;     // meaningful when finite
};

struct Fp32Stats {
  uint64_t failing = 0;    // elements the rule rejects
  uint64_t nonfinite = 0;  // of those, the ones with a NaN or an infinity on either side
  // Largest errors over the elements where both values are finite.
  float max_abs = 0;
  float max_rel = 0;
  uint32_t max_ulp = 0;
};

// Elements per block of the scan; the second pass skips blocks where the
// scan finds nothing to show.
inline constexpr size_t kFp32Block = 4096;

// `actual` and `expected` each hold `count` little-endian floats (any alignment).
Fp32Stats ScanFp32(const char* actual, const char* expected, size_t count, const Fp32Rule& rule);

Fp32Element EvaluateFp32(float actual, float expected, const Fp32Rule& rule);

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_FLOAT32_SCAN_H_
