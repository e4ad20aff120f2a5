// Runs the faultdrill binary as a user would, for end-to-end tests: its own
// process, bounded in time, output captured to a file.
#ifndef FAULTDRILL_TESTS_E2E_CLI_RUNNER_H_
#define FAULTDRILL_TESTS_E2E_CLI_RUNNER_H_

#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "injectors/launched_process.h"

namespace faultdrill::testing {

struct CommandResult {
  int exit_code = -1;  // -1: did not exit normally
  std::string output;  // stdout and stderr together
};

inline std::string BinDir() {
  const char* dir = std::getenv("FAULTDRILL_BIN_DIR");
  return dir ? dir : "build";
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A fresh folder under the system temp folder.
inline std::string TempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  char* made = ::mkdtemp(pattern.data());
  return made ? made : "";
}

// Runs build/faultdrill with `args`. `while_running` (optional) is called with
// the process and the path of its output file, and may signal it.
inline CommandResult RunFaultdrill(
    const std::vector<std::string>& args, std::chrono::seconds timeout,
    const std::function<void(injectors::LaunchedProcess&, const std::string&)>& while_running = {}) {
  std::string log = TempDir("faultdrill-e2e-log") + "/output.txt";
  std::vector<std::string> command{BinDir() + "/faultdrill"};
  command.insert(command.end(), args.begin(), args.end());
  auto process = injectors::LaunchedProcess::Start({.command = command, .env = {}, .log_file = log});
  CommandResult result;
  if (!process.ok()) {
    result.output = std::string(process.status().message());
    return result;
  }
  if (while_running) while_running(**process, log);
  if (!(*process)->WaitForExit(timeout).ok()) {
    (*process)->Stop(std::chrono::seconds(5));
    result.output = "TIMED OUT\n" + ReadFile(log);
    return result;
  }
  int status = (*process)->last_exit_status();
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.output = ReadFile(log);
  return result;
}

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_E2E_CLI_RUNNER_H_
