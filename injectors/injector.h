// One fault kind: validated settings in, apply and revert out. The runner
// applies and reverts on the timeline; revert is always called for a fault
// that was applied (even when the run is interrupted), so nothing stays broken.
#ifndef FAULTDRILL_INJECTORS_INJECTOR_H_
#define FAULTDRILL_INJECTORS_INJECTOR_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "core/duration.h"
#include "core/run_result.h"

namespace faultdrill::injectors {

// Something a fault needs from the machine (a privilege, a kernel module, a
// tool, a device), checked when asked: `plan` lists them, `run` refuses to
// start (exit 3) while one is missing.
struct Need {
  std::string what;     // "CAP_NET_ADMIN", "kernel module sch_netem", "tc (iproute2)", "NVIDIA driver"
  absl::Status status;  // OK when present; else FailedPrecondition saying what is missing and how to get it
};

// Environment variables for the target process faultdrill launches, collected
// from the injectors before launch (clock-skew preloads libfaketime).
using LaunchEnv = std::vector<std::pair<std::string, std::string>>;

class Injector {
 public:
  virtual ~Injector() = default;

  // One line that says what the fault does and what it touches, for `plan`
  // and the reports, e.g. "SIGKILL the launched target, restart after 2s".
  virtual std::string Describe() const = 0;

  // How long the fault is in force once applied; nullopt: until the end of the run.
  virtual std::optional<Duration> ActiveFor() const = 0;

  // Applies the fault. Called once, from the timeline thread. Writes each undo
  // step to the run's journal (RunState::journal().RecordUndo) BEFORE making
  // the change it takes back; a failed journal write means no change.
  virtual absl::Status Apply() = 0;

  // Takes the fault back. Idempotent: safe when Apply failed, was never called,
  // or Revert already ran. May be called from another thread than Apply (on
  // interruption), never concurrently with Apply.
  virtual absl::Status Revert() = 0;

  // What the injector did, for the RunResult (e.g. signals_sent, restarts,
  // requests_affected).
  virtual std::map<std::string, int64_t> Counters() const = 0;

  // Everything the fault will touch, one item per line, for `plan` and the
  // reports: "file /srv/models/tinylm.fdw", "interface eth0 (root qdisc)",
  // "process: the launched target", "GPU 0 (CUDA driver API)".
  virtual std::vector<std::string> Touches() const { return {}; }

  // What it needs from this machine, checked now (no side effects).
  virtual std::vector<Need> Needs() const { return {}; }

  // Called once before the target is launched (only when faultdrill launches
  // it), after the run's journal and work folder exist: adds what the target's
  // environment must carry for this fault.
  virtual absl::Status PrepareLaunch(LaunchEnv& env) { return absl::OkStatus(); }

  // Verdicts of the fault's own (e.g. poison-inputs: every poisoned request
  // got the expected answer), judged after the run.
  virtual std::vector<Verdict> Verdicts() const { return {}; }

  // poison-inputs: how each variant's poisoned requests were answered, for
  // the reports. Other kinds have none.
  virtual std::vector<PoisonOutcome> PoisonOutcomes() const { return {}; }
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_INJECTOR_H_
