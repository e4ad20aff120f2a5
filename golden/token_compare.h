// The token rule of tensor_compare.h for generated text: BYTES split on ASCII
// whitespace, or integer token ids, compared as sequences (first differing
// token, Levenshtein edit distance). Internal to golden/.
#ifndef FAULTDRILL_GOLDEN_TOKEN_COMPARE_H_
#define FAULTDRILL_GOLDEN_TOKEN_COMPARE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/types/span.h"
#include "golden/output_tensor.h"
#include "golden/tensor_compare.h"

namespace faultdrill::golden {

// The distances computed exactly: at least this, or the threshold if larger.
inline constexpr uint64_t kEditDistanceBand = 512;

// The whitespace-separated tokens of all elements, in order (views into them).
std::vector<std::string_view> SplitTokens(absl::Span<const std::string_view> elements);

struct EditDistance {
  uint64_t distance = 0;  // cap + 1 when capped
  bool capped = false;    // the true distance is more than `cap`
};

// Levenshtein distance (insert, delete, substitute: 1 each) after dropping the
// common prefix and suffix, in two rows of memory, within a band of `cap`
// around the diagonal: time O(length * cap).
EditDistance TokenEditDistance(absl::Span<const std::string_view> expected, absl::Span<const std::string_view> actual,
                               uint64_t cap);
EditDistance TokenEditDistance(absl::Span<const uint64_t> expected, absl::Span<const uint64_t> actual, uint64_t cap);

// BYTES or integer tensors of any shapes. Sets edit_distance (+capped),
// first_token_difference, and when the distance passes `max_edit_distance`
// also `differs`, `problem` and one side_by_side row for the first differing token.
void CompareTokens(const OutputTensor& actual, const OutputTensor& expected, uint64_t max_edit_distance,
                   TensorComparison* out);

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_TOKEN_COMPARE_H_
