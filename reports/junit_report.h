// junit.xml as GitLab (and Jenkins) read it: one <testsuite> for the scenario,
// one <testcase> per verdict, failing verdicts with a <failure>.
//
//   <testsuites name="faultdrill" tests failures errors time>
//     <testsuite name="faultdrill.<scenario>" tests failures errors skipped time timestamp>
//       <properties> outcome, exit_code, scenario_file, seed, faultdrill_version,
//                    resilience_score ("87.5", when the run was scored) </properties>
//       <testcase classname="faultdrill.<scenario>.<group>" name="<verdict name>" time="<window s>">
//         <failure message="<verdict message>" type="<metric>">measured, threshold, window</failure>
//       </testcase>
//       <testcase classname="faultdrill.<scenario>.run" name="run aborted"> <error .../>   (aborted or error outcome)
//       <testcase classname="faultdrill.<scenario>.fault" name="fault <name>"> <error .../>
//                 (per failed fault that no "fault" verdict with window "during(<name>)" judges already)
//       <system-out>run summary</system-out>
//     </testsuite>
//   </testsuites>
//
// Every verdict group becomes a classname suffix as it is ("slo", "recovery",
// "steady-state" for the before/after and continuous checks, "probe",
// "golden", "shadow", "fault"); a verdict without a group is "verdict".
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
