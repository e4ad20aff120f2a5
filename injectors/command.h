// Running tools (tc, kubectl, docker) and finding faultdrill's own helper
// binaries. The generic part (RunCommand, FindProgram) lives in core/command.h
// so that probes can run programs too; it is re-exported here so injector code
// keeps calling it unqualified.
#ifndef FAULTDRILL_INJECTORS_COMMAND_H_
#define FAULTDRILL_INJECTORS_COMMAND_H_

#include <string>

#include "absl/status/statusor.h"
#include "core/command.h"

namespace faultdrill::injectors {

using ::faultdrill::CommandResult;
using ::faultdrill::FindProgram;
using ::faultdrill::RunCommand;

// One of faultdrill's own binaries (faultdrill-model-server, faultdrill-hog,
// faultdrill-proxy): next to the running executable, then in
// $FAULTDRILL_BIN_DIR (tests), then on PATH. NotFound names where it looked.
absl::StatusOr<std::string> FindFaultdrillBinary(const std::string& name);

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_COMMAND_H_
