// Compares one output tensor with its expected value under a ToleranceSpec
// (core/scenario.h). These are the comparison rules; the README's "Golden
// masters" section states the same.
//
// Which rules apply
//   - The TOKEN rule (max_edit_distance) replaces the element rule for BYTES
//     and integer tensors; float tensors ignore it.
//   - The ELEMENT rule applies unless the spec sets a ranking rule (top_k,
//     argmax) and none of abs/rel/ulp/exact; with both, both must hold.
//   - Floats (FP16, BF16, FP32, FP64) pass an element when ANY set rule
//     passes: |a-e| <= abs, |a-e| <= rel*|e|, ulp_distance(a,e) <= ulp. With
//     none of abs/rel/ulp set: abs 1e-6, rel 1e-5. `exact`: bit-for-bit.
//     FP32 is computed in single precision, the others in double.
//   - Integers and BOOL: exact, or |a-e| <= abs when abs is set.
//   - BYTES: exact, element by element.
//   - A datatype or shape that differs is a difference ("shape: expected
//     [1,4], actual [1,3]"); nothing else is compared. Empty tensors of equal
//     shape are equal.
// Special values (floats)
//   - +0 == -0 (ULP distance 0), except under `exact`.
//   - NaN: with nan_equal, NaN at the same place as NaN passes (any payload;
//     under `exact` the payloads must match too); NaN against a number always
//     differs; without nan_equal every NaN differs.
//   - An infinity equals the same infinity only; against anything else it
//     differs whatever the tolerance. Such mismatches make the errors
//     infinite (max_abs_error = max_rel_error = +inf) and are counted in
//     nonfinite_mismatches; max_ulp covers finite pairs only.
//   - Denormals are ordinary values: ULP distance through the ordered-integer
//     mapping (float_bits.h), so the smallest denormals either side of zero are 2
//     ULP apart.
//   - Relative error is |a-e|/|e|: infinite when e is 0 and a is not.
// Ranking (numeric tensors, rows along the last axis; shapes must match)
//   - argmax: every row's argmax agrees; ties go to the lowest index; NaN
//     ranks below every number.
//   - top_k: the SETS of the k highest indexes agree per row (same tie and
//     NaN order; k >= the row length always agrees).
// Tokens (max_edit_distance set; BYTES or integer tensors)
//   - BYTES elements are split on ASCII whitespace, integers are token ids;
//     the two sequences (of any shapes) are compared: first differing token
//     (index, expected, actual) and Levenshtein edit distance; passes when
//     the distance <= max_edit_distance. The distance is computed in two rows
//     of memory and within a band: beyond max(max_edit_distance, 512) it is
//     reported as that bound + 1 with `edit_distance_capped`.
//
// Thread-safe (no shared state). Never reads outside the views.
#ifndef FAULTDRILL_GOLDEN_TENSOR_COMPARE_H_
#define FAULTDRILL_GOLDEN_TENSOR_COMPARE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/scenario.h"
#include "golden/output_tensor.h"

namespace faultdrill::golden {

// How many differing elements (rows, tokens) a comparison shows side by side.
inline constexpr size_t kSideBySideLimit = 5;

inline constexpr double kDefaultAbsTolerance = 1e-6;
inline constexpr double kDefaultRelTolerance = 1e-5;

struct TokenDifference {
  uint64_t index = 0;    // position in the token sequence
  std::string expected;  // quoted token, or "<end>"
  std::string actual;
};

struct TensorComparison {
  bool differs = false;
  // One line, empty when equal: "3 of 16 elements differ: max abs error 0.0031
  // at [0,2] ...", "shape: expected [1,4], actual [1,3]", ...
  std::string problem;
  uint64_t elements = 0;            // compared
  uint64_t differing_elements = 0;  // rejected by the element rule (when it applies)
  uint64_t nonfinite_mismatches = 0;
  // Over all compared numeric elements (measured even where no rule applies).
  double max_abs_error = 0;
  double max_rel_error = 0;
  uint64_t max_ulp = 0;
  uint64_t rows = 0;  // ranking rules: rows compared
  uint64_t argmax_disagreements = 0;
  uint64_t top_k_disagreements = 0;
  std::optional<uint64_t> edit_distance;  // token rule
  bool edit_distance_capped = false;
  std::optional<TokenDifference> first_token_difference;
  // The first differences: {index, expected, actual}, e.g. {"[0,2]", "0.25", "0.31"}.
  std::vector<std::array<std::string, 3>> side_by_side;
};

TensorComparison CompareTensor(const OutputTensor& actual, const OutputTensor& expected, const ToleranceSpec& tolerance,
                               bool nan_equal);

// "abs 1e-05 or rel 0.0001", "exact", "argmax", "edit distance <= 2": the
// rules that apply to `datatype` under `tolerance`, for messages.
std::string DescribeTolerance(const ToleranceSpec& tolerance, DataType datatype);

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_TENSOR_COMPARE_H_
