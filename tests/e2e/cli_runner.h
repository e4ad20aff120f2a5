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
#include "tests/common/files.h"

namespace faultdrill::testing {

struct CommandResult {
  int exit_code = -1;  // -1: did not exit normally
  std::string output;  // stdout and stderr together
};

// Runs build/faultdrill with `args`. `while_running` (optional) is called with
// the process and the path of its output file, and may signal it.
inline CommandResult RunFaultdrill(
    const std::vector<std::string>& args, std::chrono::seconds timeout,
    const std::function<void(injectors::LaunchedProcess&, const std::string&)>& while_running = {}) {
  TempDir dir;
  std::string log = dir.File("output.txt");
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
    result.output = "TIMED OUT\n" + ReadWholeFile(log);
    return result;
  }
  int status = (*process)->last_exit_status();
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.output = ReadWholeFile(log);
  return result;
}

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_E2E_CLI_RUNNER_H_
