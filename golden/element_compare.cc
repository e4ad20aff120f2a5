#include "golden/element_compare.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <optional>

#include "fmt/format.h"
#include "golden/float32_scan.h"
#include "golden/float_bits.h"

namespace faultdrill::golden {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// What one element contributed.
struct ElementResult {
  bool pass = true;
  bool finite = true;  // both values finite (errors measured)
  double abs_error = 0;
  double rel_error = 0;
  uint64_t ulp = 0;
};

// Everything a pass over the elements found.
struct Tally {
  uint64_t failing = 0;
  uint64_t nonfinite = 0;
  double max_abs = 0;
  double max_rel = 0;
  uint64_t max_ulp = 0;
};

int FloatWidth(DataType type) { return ElementByteSize(type) * 8; }

ElementResult CompareFloatElement(const OutputTensor& actual, const OutputTensor& expected, int64_t i,
                                  const ElementRule& rule) {
  const double a = NumberAt(actual, i), e = NumberAt(expected, i);
  const uint64_t a_bits = FloatBitsAt(actual, i), e_bits = FloatBitsAt(expected, i);
  const bool both_nan = std::isnan(a) && std::isnan(e);
  ElementResult r;
  r.finite = std::isfinite(a) && std::isfinite(e);
  if (r.finite) {
    r.abs_error = std::fabs(a - e);
    r.rel_error = r.abs_error == 0 ? 0 : r.abs_error / std::fabs(e);
    r.ulp = UlpDistance(a_bits, e_bits, FloatWidth(actual.datatype));
  }
  if (rule.exact) {
    r.pass = a_bits == e_bits && (!std::isnan(a) || rule.nan_equal);
  } else if (r.finite) {
    r.pass = a == e || r.abs_error <= rule.abs || r.abs_error <= rule.rel * std::fabs(e) || r.ulp <= rule.ulp;
  } else {
    r.pass = a == e || (both_nan && rule.nan_equal);
  }
  return r;
}

ElementResult CompareIntegerElement(const OutputTensor& actual, const OutputTensor& expected, int64_t i,
                                    const ElementRule& rule) {
  uint64_t difference = 0;
  double magnitude = 0;  // |e|
  if (IsSignedInteger(actual.datatype)) {
    const int64_t a = SignedAt(actual, i), e = SignedAt(expected, i);
    difference = a > e ? uint64_t(a) - uint64_t(e) : uint64_t(e) - uint64_t(a);
    magnitude = std::fabs(double(e));
  } else {
    const uint64_t a = UnsignedAt(actual, i), e = UnsignedAt(expected, i);
    difference = a > e ? a - e : e - a;
    magnitude = double(e);
  }
  ElementResult r;
  r.abs_error = double(difference);
  r.rel_error = difference == 0 ? 0 : r.abs_error / magnitude;
  r.pass = difference == 0 || (!rule.exact && r.abs_error <= rule.abs);
  return r;
}

ElementResult CompareElement(const OutputTensor& actual, const OutputTensor& expected, int64_t i,
                             const ElementRule& rule) {
  if (IsFloat(actual.datatype)) return CompareFloatElement(actual, expected, i, rule);
  return CompareIntegerElement(actual, expected, i, rule);
}

Fp32Rule ToFp32Rule(const ElementRule& rule) {
  Fp32Rule fp32;
  fp32.abs = static_cast<float>(std::min(rule.abs, double(std::numeric_limits<float>::max())));
  fp32.rel = static_cast<float>(std::min(rule.rel, double(std::numeric_limits<float>::max())));
  fp32.ulp = uint32_t(std::min<uint64_t>(rule.ulp, UINT32_MAX));
  fp32.exact = rule.exact;
  fp32.nan_equal = rule.nan_equal;
  return fp32;
}

bool IsFp32Pair(const OutputTensor& actual, const OutputTensor& expected) {
  return actual.stored == DataType::kFp32 && expected.stored == DataType::kFp32;
}

// The same decision as the scan, for one element (the second pass).
ElementResult CompareFp32Element(const OutputTensor& actual, const OutputTensor& expected, int64_t i,
                                 const Fp32Rule& rule) {
  float a, e;
  std::memcpy(&a, actual.data.data() + 4 * i, sizeof(a));
  std::memcpy(&e, expected.data.data() + 4 * i, sizeof(e));
  const Fp32Element el = EvaluateFp32(a, e, rule);
  return {el.pass, el.finite, el.abs_error, el.rel_error, el.ulp};
}

Tally FirstPass(const OutputTensor& actual, const OutputTensor& expected, const ElementRule& rule) {
  Tally tally;
  if (IsFp32Pair(actual, expected)) {
    const Fp32Stats s = ScanFp32(actual.data.data(), expected.data.data(), size_t(actual.elements), ToFp32Rule(rule));
    return {s.failing, s.nonfinite, s.max_abs, s.max_rel, s.max_ulp};
  }
  for (int64_t i = 0; i < actual.elements; ++i) {
    const ElementResult r = CompareElement(actual, expected, i, rule);
    tally.failing += r.pass ? 0 : 1;
    tally.nonfinite += !r.pass && !r.finite ? 1 : 0;
    if (r.finite) {
      tally.max_abs = std::max(tally.max_abs, r.abs_error);
      tally.max_rel = std::max(tally.max_rel, r.rel_error);
      tally.max_ulp = std::max(tally.max_ulp, r.ulp);
    }
  }
  return tally;
}

std::string Number(double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return fmt::format("{:.3g}", value);
}

// What the second pass looks for: the first differing elements, where the
// largest error is, and the first non-finite mismatch.
class Locator {
 public:
  Locator(const OutputTensor& actual, const OutputTensor& expected, const Tally& tally, TensorComparison* out)
      : actual_(actual), expected_(expected), tally_(tally), out_(out) {}

  bool NeedsMax() const { return !max_at_ && tally_.max_abs > 0; }
  bool Done() const {
    return !NeedsMax() && (first_nonfinite_ || tally_.nonfinite == 0) &&
           (out_->side_by_side.size() >= kSideBySideLimit || failing_seen_ == tally_.failing);
  }

  void Visit(int64_t i, const ElementResult& r) {
    if (NeedsMax() && r.finite && r.abs_error == tally_.max_abs) max_at_ = i;
    if (r.pass) return;
    ++failing_seen_;
    if (!first_nonfinite_ && !r.finite) first_nonfinite_ = i;
    if (out_->side_by_side.size() < kSideBySideLimit) {
      out_->side_by_side.push_back({FormatIndex(i, actual_.shape), ElementText(expected_, i), ElementText(actual_, i)});
    }
  }

  std::string Problem() const {
    std::string problem = fmt::format("{} of {} elements differ", tally_.failing, actual_.elements);
    if (first_nonfinite_) {
      problem += fmt::format(", {} with NaN or infinity (first at {}: expected {}, actual {})", tally_.nonfinite,
                             FormatIndex(*first_nonfinite_, actual_.shape), ElementText(expected_, *first_nonfinite_),
                             ElementText(actual_, *first_nonfinite_));
    }
    if (tally_.max_abs > 0) {
      problem += fmt::format("; max abs error {}", Number(tally_.max_abs));
      if (max_at_) problem += fmt::format(" at {}", FormatIndex(*max_at_, actual_.shape));
      problem += fmt::format(", max rel error {}", Number(tally_.max_rel));
      if (IsFloat(actual_.datatype)) problem += fmt::format(", {} ULP", tally_.max_ulp);
    }
    return problem;
  }

 private:
  const OutputTensor& actual_;
  const OutputTensor& expected_;
  const Tally& tally_;
  TensorComparison* out_;
  std::optional<int64_t> max_at_, first_nonfinite_;
  uint64_t failing_seen_ = 0;
};

// Visits the FP32 elements of [begin, end) the locator needs, skipping at
// scan speed the blocks (then sub-blocks) that hold none of them, so that a
// few differences in a large tensor cost little more than the first pass.
void LocateFp32(const OutputTensor& actual, const OutputTensor& expected, const Fp32Rule& rule, const Tally& tally,
                int64_t begin, int64_t end, size_t level, Locator& locator) {
  constexpr int64_t kBlockSizes[] = {int64_t(kFp32Block), 64};
  if (level == std::size(kBlockSizes)) {
    for (int64_t i = begin; i < end && !locator.Done(); ++i) {
      locator.Visit(i, CompareFp32Element(actual, expected, i, rule));
    }
    return;
  }
  for (int64_t block = begin; block < end && !locator.Done(); block += kBlockSizes[level]) {
    const int64_t block_end = std::min(end, block + kBlockSizes[level]);
    const Fp32Stats s =
        ScanFp32(actual.data.data() + 4 * block, expected.data.data() + 4 * block, size_t(block_end - block), rule);
    const bool holds_max = locator.NeedsMax() && double(s.max_abs) == tally.max_abs;
    if (s.failing > 0 || holds_max) LocateFp32(actual, expected, rule, tally, block, block_end, level + 1, locator);
  }
}

// Only when something differs.
void SecondPass(const OutputTensor& actual, const OutputTensor& expected, const ElementRule& rule, const Tally& tally,
                TensorComparison* out) {
  Locator locator(actual, expected, tally, out);
  if (IsFp32Pair(actual, expected)) {
    LocateFp32(actual, expected, ToFp32Rule(rule), tally, 0, actual.elements, 0, locator);
  } else {
    for (int64_t i = 0; i < actual.elements && !locator.Done(); ++i) {
      locator.Visit(i, CompareElement(actual, expected, i, rule));
    }
  }
  out->problem = locator.Problem();
}

}  // namespace

ElementRule ResolveElementRule(const ToleranceSpec& t, DataType datatype, bool nan_equal) {
  ElementRule rule;
  rule.nan_equal = nan_equal;
  rule.exact = t.exact;
  // A ranking rule alone replaces the element rule (the token rule never
  // reaches here: it replaces the element rule before, for BYTES and integers).
  const bool any_numeric = t.exact || t.abs || t.rel || t.ulp;
  rule.applies = any_numeric || !(t.top_k || t.argmax);
  if (IsFloat(datatype)) {
    if (!t.abs && !t.rel && !t.ulp) {
      rule.abs = kDefaultAbsTolerance;
      rule.rel = kDefaultRelTolerance;
    } else {
      rule.abs = t.abs.value_or(0);
      rule.rel = t.rel.value_or(0);
      rule.ulp = t.ulp.value_or(0);
    }
  } else {
    rule.abs = t.abs.value_or(0);
  }
  // Negative tolerances are rejected when the scenario is parsed; be safe anyway.
  rule.abs = std::max(rule.abs, 0.0);
  rule.rel = std::max(rule.rel, 0.0);
  return rule;
}

void CompareElements(const OutputTensor& actual, const OutputTensor& expected, const ElementRule& rule,
                     TensorComparison* out) {
  const Tally tally = FirstPass(actual, expected, rule);
  out->elements = uint64_t(actual.elements);
  out->nonfinite_mismatches = tally.nonfinite;
  out->max_abs_error = tally.nonfinite > 0 ? kInfinity : tally.max_abs;
  out->max_rel_error = tally.nonfinite > 0 ? kInfinity : tally.max_rel;
  out->max_ulp = tally.max_ulp;
  if (!rule.applies || tally.failing == 0) return;
  out->differs = true;
  out->differing_elements = tally.failing;
  SecondPass(actual, expected, rule, tally, out);
}

}  // namespace faultdrill::golden
