// The "Golden masters" section of the HTML report: per window, how the
// responses compared with the masters (or, for a shadow target, with the
// primary's), and each differing window's first differences with their
// elements side by side. Bounded: at most kMaxDiffsShown differences per
// window, kMaxSideBySideRows elements per difference, kMaxCellBytes of text
// per cell (a note says what was left out). All text escaped.
#ifndef FAULTDRILL_REPORTS_HTML_GOLDEN_H_
#define FAULTDRILL_REPORTS_HTML_GOLDEN_H_

#include <cstddef>
#include <string>

#include "core/run_result.h"

namespace faultdrill::reports {

inline constexpr size_t kMaxDiffsShown = 10;
inline constexpr size_t kMaxSideBySideRows = 20;
inline constexpr size_t kMaxCellBytes = 160;

// Appends the section to `out`; nothing when result.golden is empty.
void AppendGoldenSection(const RunResult& result, std::string& out);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_HTML_GOLDEN_H_
