// Running tools (tc, kubectl, docker) and finding faultdrill's own helper
// binaries. Programs always run from an argument vector, never a shell, so a
// scenario's strings reach them as single arguments.
#ifndef FAULTDRILL_INJECTORS_COMMAND_H_
#define FAULTDRILL_INJECTORS_COMMAND_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/duration.h"

namespace faultdrill::injectors {

struct CommandResult {
  int exit_code = -1;  // -1: killed by a signal (or by the timeout)
  std::string output;  // stdout and stderr together, at most 64 KiB (the end is kept)
};

// Runs argv (argv[0]: a path, or a name looked up on PATH) and waits up to
// `timeout`; then the program is killed and DeadlineExceeded returned.
// NotFound when argv[0] cannot be found. A non-zero exit is not an error here:
// look at exit_code.
absl::StatusOr<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                         Duration timeout = std::chrono::seconds(30));

// `name` resolved like a shell would (a path as is, else PATH); NotFound otherwise.
absl::StatusOr<std::string> FindProgram(const std::string& name);

// One of faultdrill's own binaries (faultdrill-model-server, faultdrill-hog,
// faultdrill-proxy): next to the running executable, then in
// $FAULTDRILL_BIN_DIR (tests), then on PATH. NotFound names where it looked.
absl::StatusOr<std::string> FindFaultdrillBinary(const std::string& name);

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_COMMAND_H_
