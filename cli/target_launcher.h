// Brings up what a drill runs against: the embedded reference server (fresh
// weights, a free loopback port), a process the scenario launches, or nothing
// for an external endpoint; then waits until the target is healthy.
#ifndef FAULTDRILL_CLI_TARGET_LAUNCHER_H_
#define FAULTDRILL_CLI_TARGET_LAUNCHER_H_

#include <memory>
#include <stop_token>
#include <string>

#include "absl/status/statusor.h"
#include "core/journal.h"
#include "core/scenario.h"
#include "injectors/injector.h"
#include "injectors/launched_process.h"

namespace faultdrill::cli {

struct RunningTarget {
  std::string endpoint;                                  // "host:port" the load goes to
  std::unique_ptr<injectors::LaunchedProcess> process;   // null for an external endpoint
  std::string description;                               // for the console and the report
  std::string metrics_url;  // the embedded server's Prometheus endpoint; empty for others
  std::string log_file;     // where a launched target's output goes; empty for an external endpoint
};

// `work_dir` holds generated weights and the target's log (target.log).
// FailedPrecondition/NotFound/DeadlineExceeded when the environment cannot run
// the drill (server binary missing, target never became healthy): exit 3.
// `env` is added to a launched target's environment (faults such as
// clock-skew put what they need there). With `journal`, a launched target's
// process group is journaled at every start ("launched-target"), so that
// `faultdrill recover` ends it and every process it started after
// faultdrill was killed (injectors/launched_process.h).
absl::StatusOr<RunningTarget> StartTarget(const Scenario& scenario, const std::string& work_dir,
                                          const injectors::LaunchEnv& env, std::stop_token stop,
                                          Journal* journal = nullptr);

// The shadow candidate (scenario.candidate, which must be set): the same as
// StartTarget, with its files named candidate* (weights in
// work_dir/candidate-models, log candidate.log), and no fault environment.
absl::StatusOr<RunningTarget> StartCandidate(const Scenario& scenario, const std::string& work_dir,
                                             std::stop_token stop, Journal* journal = nullptr);

// A TCP port on 127.0.0.1 that was free a moment ago.
absl::StatusOr<int> PickFreePort();

}  // namespace faultdrill::cli

#endif  // FAULTDRILL_CLI_TARGET_LAUNCHER_H_
