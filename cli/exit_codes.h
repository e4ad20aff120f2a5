// faultdrill's exit codes (the design's CLI contract).
#ifndef FAULTDRILL_CLI_EXIT_CODES_H_
#define FAULTDRILL_CLI_EXIT_CODES_H_

namespace faultdrill::cli {

enum ExitCode : int {
  kExitPassed = 0,       // every verdict passed
  kExitFailed = 1,       // a verdict failed
  kExitInvalid = 2,      // invalid input or usage
  kExitEnvironment = 3,  // this environment cannot run the drill
  kExitAborted = 4,      // aborted (signal or abort condition), every fault reverted
};

}  // namespace faultdrill::cli

#endif  // FAULTDRILL_CLI_EXIT_CODES_H_
