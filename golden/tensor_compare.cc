#include "golden/tensor_compare.h"

#include <algorithm>
#include <vector>

#include "fmt/format.h"
#include "golden/element_compare.h"
#include "golden/rank_compare.h"
#include "golden/token_compare.h"

namespace faultdrill::golden {
namespace {

bool SameShape(const OutputTensor& a, const OutputTensor& b) {
  return std::equal(a.shape.begin(), a.shape.end(), b.shape.begin(), b.shape.end());
}

bool UsesTokens(const ToleranceSpec& t, DataType type) {
  return t.max_edit_distance && (type == DataType::kBytes || IsSignedInteger(type) || IsUnsignedInteger(type));
}

void CompareBytesExactly(const OutputTensor& actual, const OutputTensor& expected, TensorComparison* out) {
  const std::vector<std::string_view> a = BytesElements(actual), e = BytesElements(expected);
  out->elements = a.size();
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == e[i]) continue;
    ++out->differing_elements;
    if (out->side_by_side.size() < kSideBySideLimit) {
      out->side_by_side.push_back(
          {FormatIndex(int64_t(i), actual.shape), ElementText(expected, int64_t(i)), ElementText(actual, int64_t(i))});
    }
  }
  if (out->differing_elements == 0) return;
  out->differs = true;
  out->problem = fmt::format("{} of {} BYTES elements differ (first at {})", out->differing_elements, a.size(),
                             out->side_by_side.front()[0]);
}

}  // namespace

TensorComparison CompareTensor(const OutputTensor& actual, const OutputTensor& expected, const ToleranceSpec& tolerance,
                               bool nan_equal) {
  TensorComparison out;
  if (actual.datatype != expected.datatype) {
    out.differs = true;
    out.problem =
        fmt::format("datatype: expected {}, actual {}", DataTypeName(expected.datatype), DataTypeName(actual.datatype));
    return out;
  }
  if (UsesTokens(tolerance, actual.datatype)) {
    CompareTokens(actual, expected, *tolerance.max_edit_distance, &out);
    return out;
  }
  if (!SameShape(actual, expected)) {
    out.differs = true;
    out.problem = fmt::format("shape: expected {}, actual {}", FormatShape(expected.shape), FormatShape(actual.shape));
    return out;
  }
  if (actual.elements == 0) return out;
  if (actual.datatype == DataType::kBytes) {
    CompareBytesExactly(actual, expected, &out);
    return out;
  }
  CompareElements(actual, expected, ResolveElementRule(tolerance, actual.datatype, nan_equal), &out);
  CompareRanks(actual, expected, tolerance.argmax, tolerance.top_k, &out);
  return out;
}

std::string DescribeTolerance(const ToleranceSpec& t, DataType datatype) {
  std::vector<std::string> rules;
  if (UsesTokens(t, datatype)) return fmt::format("edit distance <= {}", *t.max_edit_distance);
  if (datatype == DataType::kBytes) return "exact";
  const ElementRule rule = ResolveElementRule(t, datatype, true);
  if (rule.applies) {
    if (rule.exact) {
      rules.push_back("exact");
    } else if (!IsFloat(datatype)) {
      rules.push_back(rule.abs > 0 ? fmt::format("abs {}", rule.abs) : "exact");
    } else {
      std::vector<std::string> any;
      if (rule.abs > 0) any.push_back(fmt::format("abs {}", rule.abs));
      if (rule.rel > 0) any.push_back(fmt::format("rel {}", rule.rel));
      if (rule.ulp > 0) any.push_back(fmt::format("{} ULP", rule.ulp));
      rules.push_back(any.empty() ? "equal" : fmt::format("{}", fmt::join(any, " or ")));
    }
  }
  if (t.argmax) rules.push_back("argmax");
  if (t.top_k) rules.push_back(fmt::format("top-{}", *t.top_k));
  return fmt::format("{}", fmt::join(rules, ", "));
}

}  // namespace faultdrill::golden
