#include "injectors/command.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <boost/process/search_path.hpp>

#include "injectors/launched_process.h"

namespace faultdrill::injectors {
namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxOutput = 64 * 1024;

// A fresh file for the program's output, removed by the caller.
std::string OutputFile() {
  std::string pattern = (fs::temp_directory_path() / "faultdrill-cmd-XXXXXX").string();
  int fd = ::mkstemp(pattern.data());
  if (fd >= 0) ::close(fd);
  return pattern;
}

}  // namespace

absl::StatusOr<std::string> FindProgram(const std::string& name) {
  if (name.empty()) return absl::InvalidArgumentError("empty program name");
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) != 0) {
      return absl::NotFoundError(fmt::format("cannot execute '{}': {}", name, std::strerror(errno)));
    }
    return name;
  }
  boost::filesystem::path found = boost::process::search_path(name);
  if (found.empty()) return absl::NotFoundError(fmt::format("'{}' was not found on PATH", name));
  return found.string();
}

absl::StatusOr<std::string> FindFaultdrillBinary(const std::string& name) {
  std::vector<fs::path> places;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) places.push_back(self.parent_path());
  if (const char* dir = std::getenv("FAULTDRILL_BIN_DIR"); dir != nullptr && *dir != '\0') places.emplace_back(dir);
  for (const fs::path& dir : places) {
    fs::path candidate = dir / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  if (auto on_path = FindProgram(name); on_path.ok()) return on_path;
  return absl::NotFoundError(fmt::format(
      "{} was found neither next to faultdrill, nor in $FAULTDRILL_BIN_DIR, nor on PATH; build it (ci/build.sh)",
      name));
}

absl::StatusOr<CommandResult> RunCommand(const std::vector<std::string>& argv, Duration timeout) {
  if (argv.empty()) return absl::InvalidArgumentError("empty command");
  const std::string output_file = OutputFile();
  auto process = LaunchedProcess::Start({.command = argv, .log_file = output_file});
  if (!process.ok()) {
    std::remove(output_file.c_str());
    return process.status();
  }
  absl::Status waited = (*process)->WaitForExit(timeout);
  if (!waited.ok()) (*process)->Stop(std::chrono::seconds(1));
  const int status = (*process)->last_exit_status();
  CommandResult result;
  result.exit_code = (status >= 0 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  {
    std::ifstream in(output_file, std::ios::binary);
    result.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (result.output.size() > kMaxOutput) result.output.erase(0, result.output.size() - kMaxOutput);
  }
  std::remove(output_file.c_str());
  if (!waited.ok()) {
    return absl::DeadlineExceededError(
        fmt::format("'{}' did not finish within {}", argv[0], FormatDuration(timeout)));
  }
  return result;
}

}  // namespace faultdrill::injectors
