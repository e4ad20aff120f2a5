// How verdicts compare and read: the comparison with its tolerance, and the
// one-line numbers of messages ("812.0ms", "2.50%", "150.0 req/s", "3.0s").
#ifndef FAULTDRILL_JUDGE_VERDICT_FORMAT_H_
#define FAULTDRILL_JUDGE_VERDICT_FORMAT_H_

#include <string>
#include <string_view>

namespace faultdrill::judge {

inline constexpr std::string_view kAtMost = "<=";
inline constexpr std::string_view kAtLeast = ">=";

// measured <= threshold (or >=), with a relative tolerance of 1e-9 so that a
// value equal to its threshold after unit conversion passes.
bool Satisfies(double measured, std::string_view comparison, double threshold);

// The comparison a failed check shows: "<=" fails as ">", ">=" as "<".
std::string_view Violated(std::string_view comparison);

// A number with its unit as messages print it: one decimal for ms, s and
// req/s, two for % (more significant digits for tiny non-zero percentages).
std::string FormatValue(double value, std::string_view unit);

}  // namespace faultdrill::judge

#endif  // FAULTDRILL_JUDGE_VERDICT_FORMAT_H_
