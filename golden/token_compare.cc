#include "golden/token_compare.h"

#include <algorithm>

#include "fmt/format.h"
#include "golden/number_text.h"

namespace faultdrill::golden {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

template <typename T>
EditDistance BandedDistance(absl::Span<const T> a, absl::Span<const T> b, uint64_t cap) {
  cap = std::min<uint64_t>(cap, uint64_t(1) << 62);  // `cap + 1` and `+ 1` below stay exact
  // The common prefix and suffix cost nothing.
  while (!a.empty() && !b.empty() && a.front() == b.front()) {
    a.remove_prefix(1);
    b.remove_prefix(1);
  }
  while (!a.empty() && !b.empty() && a.back() == b.back()) {
    a.remove_suffix(1);
    b.remove_suffix(1);
  }
  const uint64_t n = a.size(), m = b.size();
  const uint64_t over = cap + 1;
  if ((n > m ? n - m : m - n) > cap) return {over, true};
  if (n == 0 || m == 0) return {std::max(n, m), false};

  // prev/cur[j]: distance between a[0..i) and b[0..j), saturated at `over`;
  // cells outside the band |i - j| <= cap hold `over`.
  std::vector<uint64_t> prev(m + 1, over), cur(m + 1, over);
  for (uint64_t j = 0; j <= std::min(m, cap); ++j) prev[j] = j;
  for (uint64_t i = 1; i <= n; ++i) {
    const uint64_t lo = i > cap ? i - cap : 1;
    const uint64_t hi = std::min(m, i + cap);
    cur[lo - 1] = lo == 1 ? std::min(i, over) : over;
    uint64_t row_min = cur[lo - 1];
    for (uint64_t j = lo; j <= hi; ++j) {
      const uint64_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      const uint64_t value = std::min({prev[j] + 1, cur[j - 1] + 1, substitute, over});
      cur[j] = value;
      row_min = std::min(row_min, value);
    }
    if (hi < m) cur[hi + 1] = over;
    if (row_min >= over) return {over, true};
    std::swap(prev, cur);
  }
  return prev[m] >= over ? EditDistance{over, true} : EditDistance{prev[m], false};
}

template <typename T>
uint64_t CommonPrefix(absl::Span<const T> a, absl::Span<const T> b) {
  uint64_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return i;
}

std::vector<uint64_t> TokenIds(const OutputTensor& t) {
  std::vector<uint64_t> ids(static_cast<size_t>(t.elements));
  for (int64_t i = 0; i < t.elements; ++i) ids[size_t(i)] = UnsignedAt(t, i);
  return ids;
}

std::string IdText(const OutputTensor& t, uint64_t id) {
  return IsSignedInteger(t.datatype) ? std::to_string(int64_t(id)) : std::to_string(id);
}

// Fills the comparison from two sequences and a function that shows a token.
template <typename T, typename Show>
void Judge(absl::Span<const T> expected, absl::Span<const T> actual, uint64_t max_edit_distance, Show show,
           TensorComparison* out) {
  const EditDistance d = TokenEditDistance(expected, actual, std::max(max_edit_distance, kEditDistanceBand));
  out->elements = std::max(expected.size(), actual.size());
  out->edit_distance = d.distance;
  out->edit_distance_capped = d.capped;
  const uint64_t at = CommonPrefix(expected, actual);
  if (at == expected.size() && at == actual.size()) return;
  TokenDifference first;
  first.index = at;
  first.expected = at < expected.size() ? show(expected[at]) : "<end>";
  first.actual = at < actual.size() ? show(actual[at]) : "<end>";
  if (d.distance > max_edit_distance) {
    out->differs = true;
    out->problem =
        fmt::format("token {} differs (expected {}, actual {}); edit distance {}{} > {} ({} vs {} tokens)", at,
                    first.expected, first.actual, d.capped ? "more than " : "", d.capped ? d.distance - 1 : d.distance,
                    max_edit_distance, expected.size(), actual.size());
    out->side_by_side.push_back({fmt::format("token {}", at), first.expected, first.actual});
  }
  out->first_token_difference = std::move(first);
}

}  // namespace

std::vector<std::string_view> SplitTokens(absl::Span<const std::string_view> elements) {
  std::vector<std::string_view> tokens;
  for (std::string_view text : elements) {
    size_t at = 0;
    while (at < text.size()) {
      while (at < text.size() && IsSpace(text[at])) ++at;
      const size_t start = at;
      while (at < text.size() && !IsSpace(text[at])) ++at;
      if (at > start) tokens.push_back(text.substr(start, at - start));
    }
  }
  return tokens;
}

EditDistance TokenEditDistance(absl::Span<const std::string_view> expected, absl::Span<const std::string_view> actual,
                               uint64_t cap) {
  return BandedDistance(expected, actual, cap);
}

EditDistance TokenEditDistance(absl::Span<const uint64_t> expected, absl::Span<const uint64_t> actual, uint64_t cap) {
  return BandedDistance(expected, actual, cap);
}

void CompareTokens(const OutputTensor& actual, const OutputTensor& expected, uint64_t max_edit_distance,
                   TensorComparison* out) {
  if (actual.datatype == DataType::kBytes) {
    const std::vector<std::string_view> a_elements = BytesElements(actual), e_elements = BytesElements(expected);
    const std::vector<std::string_view> a = SplitTokens(a_elements), e = SplitTokens(e_elements);
    Judge<std::string_view>(
        e, a, max_edit_distance, [](std::string_view token) { return QuoteForMessage(token); }, out);
    return;
  }
  const std::vector<uint64_t> a = TokenIds(actual), e = TokenIds(expected);
  Judge<uint64_t>(
      e, a, max_edit_distance, [&](uint64_t id) { return IdText(actual, id); }, out);
}

}  // namespace faultdrill::golden
