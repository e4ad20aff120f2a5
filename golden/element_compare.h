// The element rule of tensor_compare.h for numeric tensors: resolves a
// ToleranceSpec for a datatype, runs the FP32 fast path or the generic path,
// and fills the element fields of a TensorComparison. Internal to golden/.
#ifndef FAULTDRILL_GOLDEN_ELEMENT_COMPARE_H_
#define FAULTDRILL_GOLDEN_ELEMENT_COMPARE_H_

#include <cstdint>

#include "core/scenario.h"
#include "golden/output_tensor.h"
#include "golden/tensor_compare.h"

namespace faultdrill::golden {

struct ElementRule {
  bool applies = true;  // false: errors are measured but decide nothing
  bool exact = false;
  // 0 turns a tolerance off (0 accepts only equal values, which pass anyway).
  double abs = 0;
  double rel = 0;
  uint64_t ulp = 0;
  bool nan_equal = true;
};

ElementRule ResolveElementRule(const ToleranceSpec& tolerance, DataType datatype, bool nan_equal);

// Numeric tensors of the same datatype and element count. Sets elements,
// differing_elements, nonfinite_mismatches and the max errors; when the rule
// applies and rejects elements, also `differs`, `problem` and side_by_side.
void CompareElements(const OutputTensor& actual, const OutputTensor& expected, const ElementRule& rule,
                     TensorComparison* out);

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_ELEMENT_COMPARE_H_
