// One fault kind: validated settings in, apply and revert out. The runner
// applies and reverts on the timeline; revert is always called for a fault
// that was applied (even when the run is interrupted), so nothing stays broken.
#ifndef FAULTDRILL_INJECTORS_INJECTOR_H_
#define FAULTDRILL_INJECTORS_INJECTOR_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "core/duration.h"

namespace faultdrill::injectors {

class Injector {
 public:
  virtual ~Injector() = default;

  // One line that says what the fault does and what it touches, for `plan`
  // and the reports, e.g. "SIGKILL the launched target, restart after 2s".
  virtual std::string Describe() const = 0;

  // How long the fault is in force once applied; nullopt: until the end of the run.
  virtual std::optional<Duration> ActiveFor() const = 0;

  // Applies the fault. Called once, from the timeline thread.
  virtual absl::Status Apply() = 0;

  // Takes the fault back. Idempotent: safe when Apply failed, was never called,
  // or Revert already ran. May be called from another thread than Apply (on
  // interruption), never concurrently with Apply.
  virtual absl::Status Revert() = 0;

  // What the injector did, for the RunResult (e.g. signals_sent, restarts).
  virtual std::map<std::string, int64_t> Counters() const = 0;
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_INJECTOR_H_
