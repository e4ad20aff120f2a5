// `faultdrill recover [--journal DIR]...`: undoes what an interrupted run left
// behind, from its write-ahead journal. Safe to run any number of times.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "injectors/undo.h"

namespace faultdrill::cli {
namespace fs = std::filesystem;

namespace {

// out/*/journal under the current folder: where `run` keeps its journals by default.
std::vector<std::string> DefaultJournals() {
  std::vector<std::string> dirs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("out", ec)) {
    fs::path journal = entry.path() / "journal";
    if (fs::exists(fs::path(JournalFile(journal.string())))) dirs.push_back(journal.string());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

}  // namespace

int Recover(const RecoverOptions& options, std::ostream& out, std::ostream& err) {
  std::vector<std::string> dirs = options.journals.empty() ? DefaultJournals() : options.journals;
  if (dirs.empty()) {
    out << "faultdrill recover: no journals under out/*/journal; nothing to do\n";
    return kExitPassed;
  }
  int exit_code = kExitPassed;
  for (const std::string& dir : dirs) {
    auto report = injectors::RecoverJournal(dir);
    if (!report.ok()) {
      err << "faultdrill recover: " << report.status().message() << "\n";
      exit_code = std::max<int>(exit_code, absl::IsNotFound(report.status()) ? kExitInvalid : kExitEnvironment);
      continue;
    }
    for (const std::string& temporary : report->removed_temporaries) {
      out << fmt::format("{}: removed {}, left by an interrupted write\n", dir, temporary);
    }
    if (report->steps.empty()) {
      out << fmt::format("{}: nothing to undo\n", dir);
      continue;
    }
    out << fmt::format("{}: {} undo step(s)\n", dir, report->steps.size());
    for (const injectors::RecoverStep& step : report->steps) {
      out << fmt::format("  {} {} ({}): {}{}\n", step.status.ok() ? "undone" : "FAILED", step.fault, step.kind,
                         step.detail, step.status.ok() ? "" : ": " + std::string(step.status.message()));
    }
    if (!report->ok()) {
      err << fmt::format("faultdrill recover: some steps failed in {}; fix the cause and run recover again\n", dir);
      exit_code = std::max<int>(exit_code, kExitEnvironment);
    }
  }
  return exit_code;
}

}  // namespace faultdrill::cli
