#include "golden/rank_compare.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "fmt/format.h"

namespace faultdrill::golden {
namespace {

// Whether the element at `a` ranks above the one at `b` (higher value, NaN
// lowest, then lower index).
bool RanksAbove(double value_a, int64_t a, double value_b, int64_t b) {
  const bool nan_a = std::isnan(value_a), nan_b = std::isnan(value_b);
  if (nan_a != nan_b) return nan_b;
  if (!nan_a && value_a != value_b) return value_a > value_b;
  return a < b;
}

std::string RowIndex(int64_t row, absl::Span<const int64_t> shape) {
  if (shape.size() <= 1) return "[:]";
  const std::string prefix = FormatIndex(row, shape.subspan(0, shape.size() - 1));
  return prefix.substr(0, prefix.size() - 1) + ",:]";
}

std::string IndexSet(std::vector<int64_t> indexes) {
  std::sort(indexes.begin(), indexes.end());
  return fmt::format("{{{}}}", fmt::join(indexes, ","));
}

void AppendProblem(TensorComparison* out, const std::string& problem) {
  out->problem += out->problem.empty() ? problem : "; " + problem;
}

}  // namespace

int64_t RowArgmax(const OutputTensor& t, int64_t row, int64_t row_length) {
  const int64_t base = row * row_length;
  int64_t best = 0;
  double best_value = NumberAt(t, base);
  for (int64_t j = 1; j < row_length; ++j) {
    const double value = NumberAt(t, base + j);
    if (RanksAbove(value, j, best_value, best)) {
      best = j;
      best_value = value;
    }
  }
  return best;
}

std::vector<int64_t> RowTopK(const OutputTensor& t, int64_t row, int64_t row_length, int64_t k) {
  const int64_t base = row * row_length;
  std::vector<double> values(static_cast<size_t>(row_length));
  for (int64_t j = 0; j < row_length; ++j) values[size_t(j)] = NumberAt(t, base + j);
  std::vector<int64_t> indexes(static_cast<size_t>(row_length));
  std::iota(indexes.begin(), indexes.end(), 0);
  k = std::clamp<int64_t>(k, 0, row_length);
  std::partial_sort(indexes.begin(), indexes.begin() + k, indexes.end(),
                    [&](int64_t a, int64_t b) { return RanksAbove(values[size_t(a)], a, values[size_t(b)], b); });
  indexes.resize(size_t(k));
  return indexes;
}

void CompareRanks(const OutputTensor& actual, const OutputTensor& expected, bool argmax, std::optional<int> top_k,
                  TensorComparison* out) {
  if ((!argmax && !top_k) || actual.shape.empty() || actual.elements == 0) return;
  const int64_t row_length = actual.shape.back();
  const int64_t rows = actual.elements / row_length;
  out->rows = uint64_t(rows);
  std::optional<std::string> first_argmax, first_top_k;
  for (int64_t row = 0; row < rows; ++row) {
    if (argmax) {
      const int64_t e = RowArgmax(expected, row, row_length), a = RowArgmax(actual, row, row_length);
      if (e != a) {
        ++out->argmax_disagreements;
        const std::string at = RowIndex(row, actual.shape);
        if (!first_argmax) first_argmax = fmt::format("row {}: expected class {}, actual {}", at, e, a);
        if (out->side_by_side.size() < kSideBySideLimit) {
          out->side_by_side.push_back({at + " argmax", std::to_string(e), std::to_string(a)});
        }
      }
    }
    if (top_k) {
      std::vector<int64_t> e = RowTopK(expected, row, row_length, *top_k);
      std::vector<int64_t> a = RowTopK(actual, row, row_length, *top_k);
      std::vector<int64_t> e_sorted = e, a_sorted = a;
      std::sort(e_sorted.begin(), e_sorted.end());
      std::sort(a_sorted.begin(), a_sorted.end());
      if (e_sorted != a_sorted) {
        ++out->top_k_disagreements;
        const std::string at = RowIndex(row, actual.shape);
        if (!first_top_k) first_top_k = fmt::format("row {}: expected {}, actual {}", at, IndexSet(e), IndexSet(a));
        if (out->side_by_side.size() < kSideBySideLimit) {
          out->side_by_side.push_back({fmt::format("{} top-{}", at, *top_k), IndexSet(e), IndexSet(a)});
        }
      }
    }
  }
  if (out->argmax_disagreements > 0) {
    out->differs = true;
    AppendProblem(
        out, fmt::format("argmax differs in {} of {} rows (first {})", out->argmax_disagreements, rows, *first_argmax));
  }
  if (out->top_k_disagreements > 0) {
    out->differs = true;
    AppendProblem(out, fmt::format("top-{} classes differ in {} of {} rows (first {})", *top_k,
                                   out->top_k_disagreements, rows, *first_top_k));
  }
}

}  // namespace faultdrill::golden
