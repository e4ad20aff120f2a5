// junit.xml as GitLab (and Jenkins) read it: one <testsuite> for the scenario,
// one <testcase> per verdict, failing verdicts with a <failure>.
//
//   <testsuites name="faultdrill" tests failures errors skipped time>
//     <testsuite name="faultdrill.<scenario>" tests failures errors skipped time [timestamp]>
//       <properties> outcome, exit_code, scenario_file, seed, faultdrill_version, command,
//                    resilience_score ("87.5", when the run was scored),
//                    capacity_rps (a stress run's highest rate that held) </properties>
//       <testcase classname="faultdrill.<scenario>.<group>" name="<verdict name>" time="<window s>"
//                 file="<scenario file>">
//         <failure message="<verdict message>" type="<metric>">message, measured, threshold,
//           window, metric, and what explains it (golden differences, recovery definition,
//           capacity result)</failure>
//         <system-out>HTML report: [[ATTACHMENT|<html report>]], reproduce command</system-out>
//       </testcase>
//       <testcase classname="faultdrill.<scenario>.run" name="run aborted"> <error .../>   (aborted or error outcome)
//       <testcase classname="faultdrill.<scenario>.fault" name="fault <name>"> <error .../>
//                 (per failed fault that no "fault" verdict with window "during(<name>)" judges already)
//       <system-out>run summary</system-out>
//     </testsuite>
//   </testsuites>
//
// What GitLab makes of it (its JUnit parser reads testcases only; see
// tests/reports/junit_gitlab_rules_test.cc): a testcase's classname is the
// "suite" column and its name the test; testcases that share testsuite name,
// classname and name are merged, so every pair is unique here (a repeat gets
// " (2)", " (3)", ...); a <failure> makes a testcase failed, an <error> an
// error, and its element text (not the message attribute) is what the test
// details show; `time` is decimal seconds; the first [[ATTACHMENT|path]] in a
// testcase's <system-out> becomes a link to that job artifact, the path
// relative to $CI_PROJECT_DIR (the job's working directory). GitLab reads no
// suite-level <system-out>; Jenkins shows it.
//
// Every verdict group becomes a classname suffix as it is ("slo", "recovery",
// "steady-state" for the before/after and continuous checks, "probe",
// "golden", "shadow", "fault", "abort", "capacity"); a verdict without a group
// is "verdict". All text is escaped (escape.h); long texts are clipped so the
// file stays far below GitLab's 30 MB limit per file. The timestamp is
// written only when `started_at` is an ISO 8601 date-time.
#ifndef FAULTDRILL_REPORTS_JUNIT_REPORT_H_
#define FAULTDRILL_REPORTS_JUNIT_REPORT_H_

#include <string>

#include "absl/status/status.h"
#include "core/run_result.h"

namespace faultdrill::reports {

struct JunitOptions {
  // The HTML report as the CI job sees it, for [[ATTACHMENT|...]]: a path
  // relative to the job's working directory ($CI_PROJECT_DIR), e.g.
  // "out/regression/report.html". Empty: no attachment. A path GitLab's
  // attachment tag cannot carry ('[', ']', '|' or a control character in it)
  // is named as plain text instead.
  std::string html_report = "report.html";
};

std::string RenderJunit(const RunResult& result, const JunitOptions& options = {});

// `path` as GitLab resolves an attachment (against $CI_PROJECT_DIR, the job's
// working directory, where faultdrill runs in CI): a relative path is kept,
// lexically normalised ("./out/x/report.html" -> "out/x/report.html"); an
// absolute path under the current directory is made relative to it
// ("/builds/p/out/x/report.html" run from /builds/p -> "out/x/report.html");
// an absolute path elsewhere cannot be a job artifact, so only its file name
// is kept ("report.html", the file beside junit.xml), which also keeps
// junit.xml the same wherever a temporary folder was.
std::string AttachmentPath(const std::string& path);

// Writes RenderJunit(result) to `path` atomically, the attachment naming the
// report.html beside it (AttachmentPath of `path`'s folder + "report.html",
// where faultdrill run writes it). Never throws.
absl::Status WriteJunitReport(const RunResult& result, const std::string& path);
// The same with the attachment from `options`, for an HTML report that is not
// beside the junit.xml (pass AttachmentPath of where it is). Never throws.
absl::Status WriteJunitReport(const RunResult& result, const std::string& path, const JunitOptions& options);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_JUNIT_REPORT_H_
