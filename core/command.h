// Running a program to completion: tools the injectors call (tc, kubectl,
// docker) and the commands a `command` probe runs. Programs always run from an
// argument vector, never through a shell, so a scenario's strings reach them
// as single arguments.
#ifndef FAULTDRILL_CORE_COMMAND_H_
#define FAULTDRILL_CORE_COMMAND_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/duration.h"

namespace faultdrill {

struct CommandResult {
  int exit_code = -1;  // -1: killed by a signal
  std::string output;  // stdout and stderr together, at most 64 KiB (the end is kept)
};

// Runs argv (argv[0]: a path, or a name looked up on PATH) with stdin from
// /dev/null and waits up to `timeout`; then the program and everything it
// started in its process group are killed (SIGKILL) and DeadlineExceeded is
// returned. NotFound when argv[0] cannot be found or executed. A non-zero
// exit is not an error here: look at exit_code. The program also dies with
// the calling thread (PR_SET_PDEATHSIG), so a dead faultdrill leaves nothing
// behind. Thread-safe; blocks the calling thread.
absl::StatusOr<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                         Duration timeout = std::chrono::seconds(30));

// `name` resolved like a shell would (a path as is, else the first executable
// file of that name on PATH); NotFound otherwise.
absl::StatusOr<std::string> FindProgram(const std::string& name);

}  // namespace faultdrill

#endif  // FAULTDRILL_CORE_COMMAND_H_
