// The ranking rules of tensor_compare.h for classifiers: argmax agreement and
// top-k set agreement per row (the last axis). Ties go to the lowest index;
// NaN ranks below every number. Internal to golden/.
#ifndef FAULTDRILL_GOLDEN_RANK_COMPARE_H_
#define FAULTDRILL_GOLDEN_RANK_COMPARE_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "golden/output_tensor.h"
#include "golden/tensor_compare.h"

namespace faultdrill::golden {

// The argmax of row `row` (of `row_length` elements) of a numeric tensor.
int64_t RowArgmax(const OutputTensor& tensor, int64_t row, int64_t row_length);
// The k highest indexes of a row, in rank order (k capped at the row length).
std::vector<int64_t> RowTopK(const OutputTensor& tensor, int64_t row, int64_t row_length, int64_t k);

// Numeric tensors of equal shape. Sets rows and argmax_disagreements when
// `argmax`, top_k_disagreements when `top_k`; when any row disagrees also
// `differs`, side_by_side (while there is room) and a problem (appended with
// "; " after an element problem already there).
void CompareRanks(const OutputTensor& actual, const OutputTensor& expected, bool argmax, std::optional<int> top_k,
                  TensorComparison* out);

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_RANK_COMPARE_H_
