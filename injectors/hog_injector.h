// What cpu-hog, memory-hog, disk-fill and gpu-memory-fill share: one
// faultdrill-hog helper per applied fault (started, its stop journaled, ready,
// stopped on revert: HogProcess), counters read from its ready line, and the
// faultdrill-hog Need. Each kind supplies only what differs: the helper's
// arguments and the checks before it starts, what it takes back after the
// helper stops, its other Needs, and its words (Describe, Touches).
#ifndef FAULTDRILL_INJECTORS_HOG_INJECTOR_H_
#define FAULTDRILL_INJECTORS_HOG_INJECTOR_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "core/param_node.h"
#include "injectors/hog_process.h"
#include "injectors/injector.h"
#include "injectors/registry.h"

namespace faultdrill::injectors {

// What the shared lifecycle knows of one resource fault.
struct HogFault {
  std::string name;  // the fault's name
  std::string kind;  // "cpu-hog", ... (journal)
  std::optional<Duration> active_for;
  Duration ready_timeout = std::chrono::seconds(30);
};

// Fills what every resource fault's settings share: name and active_for from
// `spec`, and the `ready_timeout` key (its default: the settings' own).
// Called last in Create, so the kind's own keys report their errors first.
template <typename Settings>
absl::Status ReadHogFault(const FaultSpec& spec, const ParamReader& params, Settings& settings) {
  settings.name = spec.name;
  settings.active_for = spec.duration;
  auto ready_timeout = params.Dur("ready_timeout", settings.ready_timeout);
  if (!ready_timeout.ok()) return ready_timeout.status();
  settings.ready_timeout = *ready_timeout;
  return absl::OkStatus();
}

// The HogFault of a kind's settings (each has name, active_for and ready_timeout).
template <typename Settings>
HogFault HogFaultOf(const Settings& settings, std::string kind) {
  return {.name = settings.name,
          .kind = std::move(kind),
          .active_for = settings.active_for,
          .ready_timeout = settings.ready_timeout};
}

// One counter of a resource fault: the whole-number part of `ready_key`'s
// value in the helper's ready line; 0 until the helper is ready.
struct HogCounter {
  std::string name;       // "bytes_held"
  std::string ready_key;  // "bytes"
};

// A resource fault's amount: `bytes` or a fraction, exactly one of them set.
struct HogAmount {
  uint64_t bytes = 0;
  double fraction = 0;
};

// How a resource fault spells its amount in the scenario.
struct HogAmountKeys {
  std::string fraction_key;  // "percent", "fill_percent", "fraction"
  std::string give_either;   // the fault's error when not exactly one of the two keys is given
  double max_fraction = 1;
  std::string out_of_range;  // `fraction_key`'s error for a fraction <= 0 or > max_fraction
};

// Reads `bytes` (greater than zero) or `keys.fraction_key`; errors carry the
// key's file:line:col.
absl::StatusOr<HogAmount> ReadHogAmount(const ParamReader& params, const HogAmountKeys& keys);

// "1024 bytes", or "50% of `whole`" for a fraction.
std::string DescribeHogAmount(const HogAmount& amount, std::string_view whole);

class HogInjector : public Injector {
 public:
  std::optional<Duration> ActiveFor() const final { return fault_.active_for; }
  // PrepareHelper, then starts the helper (HogProcess::Start journals its
  // stop first) and reads the counters from its ready line.
  // FailedPrecondition when the fault is already applied.
  absl::Status Apply() final;
  // Stops the helper (it gives its resource back), then AfterHelperStopped.
  absl::Status Revert() final;
  std::map<std::string, int64_t> Counters() const final;
  // MachineNeeds, then faultdrill-hog.
  std::vector<Need> Needs() const final;

 protected:
  HogInjector(HogFault fault, std::vector<HogCounter> counters, RunState& run);

  // Called by Apply before the helper starts: checks what the kind must,
  // journals the kind's own undo steps, and returns the helper's subcommand
  // and options, e.g. {"cpu", "--threads", "2"}. An error starts nothing.
  virtual absl::StatusOr<std::vector<std::string>> PrepareHelper() = 0;
  // Called by every Revert once no helper runs: takes back what
  // PrepareHelper journaled. Idempotent. Default: nothing.
  virtual absl::Status AfterHelperStopped() { return absl::OkStatus(); }
  // What the kind needs from the machine besides faultdrill-hog.
  virtual std::vector<Need> MachineNeeds() const { return {}; }

  RunState& run() const { return run_; }

 private:
  const HogFault fault_;
  const std::vector<HogCounter> counters_;
  RunState& run_;
  std::unique_ptr<HogProcess> hog_;  // Apply and Revert never run concurrently
  mutable absl::Mutex mu_;           // Counters may be read from another thread
  std::map<std::string, int64_t> values_ ABSL_GUARDED_BY(mu_);
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_HOG_INJECTOR_H_
