#include "judge/verdict_format.h"

#include <algorithm>
#include <cmath>

#include "fmt/format.h"

namespace faultdrill::judge {

bool Satisfies(double measured, std::string_view comparison, double threshold) {
  const double tolerance = 1e-9 * std::max(1.0, std::abs(threshold));
  if (comparison == kAtLeast) return measured >= threshold - tolerance;
  return measured <= threshold + tolerance;
}

std::string_view Violated(std::string_view comparison) { return comparison == kAtLeast ? "<" : ">"; }

std::string FormatValue(double value, std::string_view unit) {
  if (unit == "%") {
    if (value != 0 && std::abs(value) < 0.01) return fmt::format("{:.2g}%", value);
    return fmt::format("{:.2f}%", value);
  }
  if (unit == "ms" || unit == "s") return fmt::format("{:.1f}{}", value, unit);
  if (unit.empty()) return fmt::format("{:.1f}", value);
  return fmt::format("{:.1f} {}", value, unit);
}

}  // namespace faultdrill::judge
