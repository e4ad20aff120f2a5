// junit.xml as GitLab (and Jenkins) read it: one <testsuite> for the scenario,
// one <testcase> per verdict, failing verdicts with a <failure>.
//
//   <testsuites name="faultdrill" tests failures errors time>
//     <testsuite name="faultdrill.<scenario>" tests failures errors skipped time timestamp>
//       <testcase classname="faultdrill.<scenario>.<group>" name="<verdict name>" time="<window s>">
//         <failure message="<verdict message>" type="<metric>">measured, threshold, window</failure>
//       </testcase>
//       <testcase classname="faultdrill.<scenario>.run" name="run aborted"> <error .../>   (aborted or error outcome)
//       <testcase classname="faultdrill.<scenario>.fault" name="fault <name>"> <error .../> (per failed fault)
//       <system-out>run summary</system-out>
//     </testsuite>
//   </testsuites>
//
// classname + name pairs are unique (a repeat gets " (2)", " (3)", ...), as
// GitLab merges testcases that share both. All text is escaped (escape.h).
#ifndef FAULTDRILL_REPORTS_JUNIT_REPORT_H_
#define FAULTDRILL_REPORTS_JUNIT_REPORT_H_

#include <string>

#include "absl/status/status.h"
#include "core/run_result.h"

namespace faultdrill::reports {

std::string RenderJunit(const RunResult& result);

// Writes RenderJunit(result) to `path` atomically. Never throws.
absl::Status WriteJunitReport(const RunResult& result, const std::string& path);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_JUNIT_REPORT_H_
