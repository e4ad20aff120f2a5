// The report files a run writes into its folder, and the writer of each: the
// one list the drill (all three) and `faultdrill report` (the rendered two)
// walk, so the file names are set in one place.
#ifndef FAULTDRILL_REPORTS_REPORT_FILES_H_
#define FAULTDRILL_REPORTS_REPORT_FILES_H_

#include <string>

#include "absl/status/status.h"
#include "core/run_result.h"
#include "reports/html_report.h"
#include "reports/json_report.h"
#include "reports/junit_report.h"

namespace faultdrill::reports {

struct ReportFile {
  const char* name;  // the file name inside the run's folder
  absl::Status (*write)(const RunResult&, const std::string&);
  bool rendered;  // rendered from result.json (false: result.json itself)
};

inline constexpr ReportFile kReportFiles[] = {
    {"result.json", &WriteJsonReport, false},
    {"junit.xml", &WriteJunitReport, true},
    {"report.html", &WriteHtmlReport, true},
};

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_REPORT_FILES_H_
