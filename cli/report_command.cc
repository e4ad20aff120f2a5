// `faultdrill report RESULT.json`: report.html and junit.xml again, from the
// result alone (after a faultdrill upgrade, or from a result copied off a CI job).
#include <filesystem>
#include <ostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "reports/json_report.h"
#include "reports/report_files.h"

namespace faultdrill::cli {

namespace fs = std::filesystem;

int Report(const ReportOptions& options, std::ostream& out, std::ostream& err) {
  absl::StatusOr<RunResult> result = reports::ReadJsonReport(options.result);
  if (!result.ok()) {
    err << "faultdrill: " << result.status().message() << "\n";
    return kExitInvalid;
  }
  fs::path dir = options.out_dir.empty() ? fs::path(options.result).parent_path() : fs::path(options.out_dir);
  if (dir.empty()) dir = ".";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    err << "faultdrill: cannot create " << dir.string() << ": " << ec.message() << "\n";
    return kExitEnvironment;
  }
  for (const reports::ReportFile& file : reports::kReportFiles) {
    if (!file.rendered) continue;  // the result itself stays as it is
    const std::string path = (dir / file.name).string();
    if (absl::Status s = file.write(*result, path); !s.ok()) {
      err << "faultdrill: cannot write " << path << ": " << s.message() << "\n";
      return kExitEnvironment;
    }
    out << "wrote " << path << "\n";
  }
  return kExitPassed;
}

}  // namespace faultdrill::cli
