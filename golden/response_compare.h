// Compares a whole response with what was expected: a recorded master, or
// (shadow comparison) the primary target's response to the same request.
// Outputs are matched by name, each compared under spec.ToleranceFor(name)
// and spec.nan_equal (tensor_compare.h). A missing or an unexpected output is
// a difference; so is a malformed response. Payloads are never copied: the
// live response is read through views.
//
// Thread-safe (no shared state).
#ifndef FAULTDRILL_GOLDEN_RESPONSE_COMPARE_H_
#define FAULTDRILL_GOLDEN_RESPONSE_COMPARE_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/run_result.h"
#include "core/scenario.h"
#include "golden/masters.h"
#include "golden/tensor_compare.h"
#include "proto/grpc_service.pb.h"

namespace faultdrill::golden {

// One difference: an output that differs, or a response-level problem
// (`output` empty), e.g. "malformed response: ...".
struct OutputDifference {
  std::string output;
  TensorComparison comparison;  // problem and side_by_side say what differs
};

struct ResponseComparison {
  bool differs = false;
  uint64_t outputs_compared = 0;
  // The worst over every compared output, differing or not.
  double max_abs_error = 0;
  double max_rel_error = 0;
  uint64_t max_ulp = 0;
  uint64_t argmax_disagreements = 0;  // rows, summed over outputs
  uint64_t top_k_disagreements = 0;
  uint64_t max_edit_distance = 0;
  // What differs, in the expected outputs' order, then unexpected outputs.
  // Empty (no allocation) when nothing differs.
  std::vector<OutputDifference> differences;
};

ResponseComparison CompareResponse(const inference::ModelInferResponse& actual, const MasterResponse& expected,
                                   const GoldenSpec& spec);
// Shadow comparison: the candidate's response against the primary's.
ResponseComparison CompareResponses(const inference::ModelInferResponse& candidate,
                                    const inference::ModelInferResponse& primary, const GoldenSpec& spec);
// Two masters of the same request (golden approve): new against old.
ResponseComparison CompareMasters(const MasterResponse& actual, const MasterResponse& expected, const GoldenSpec& spec);

// The first difference as core/run_result.h records it (an empty `problem`
// when nothing differs).
ResponseDiff ToResponseDiff(const ResponseComparison& comparison, double t_s, uint64_t request_index);

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_RESPONSE_COMPARE_H_
