// `corrupt-weights`: damages a model's weights file on disk, optionally makes
// the launched target reload it, and puts it back byte-identical on revert.
//
//   - {kind: corrupt-weights, at: 10s, for: 10s, file: models/tinylm.fdw, flips: 16, reload: sighup}
//   - {kind: corrupt-weights, at: 10s, scale: {tensor: fc1.weight, factor: 10}, reload: restart}
//
// `file` is absolute or relative to the scenario's folder; with an embedded
// target it may be left out and means the embedded server's weights of
// target.model (<run folder>/models/<model>.fdw). One operation: `flips: N`
// (distinct random bits, seeded from the scenario seed and the fault's name,
// in the tensor data unless `region: file`), `zero: {offset, length}`,
// `truncate: BYTES | PERCENT` (what to keep), `scale: {tensor, factor}` (the
// .fdw checksum is NOT updated, so a server checking it refuses the file).
//
// Apply: back the file up into the journal's files folder (durably), journal
// the restore (path, backup, SHA-256), THEN replace the file atomically with
// the damaged copy, then reload. Both writes go through core/durable_file.h,
// so a kill inside either leaves no partial file beside the weights or the
// backups (and `faultdrill recover` puts the original back). Revert: restore
// byte-identical (SHA-256 checked, the same undo step `faultdrill recover`
// runs), then reload the same way so the target serves the good weights again.
#ifndef FAULTDRILL_INJECTORS_CORRUPT_WEIGHTS_H_
#define FAULTDRILL_INJECTORS_CORRUPT_WEIGHTS_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "injectors/injector.h"
#include "injectors/registry.h"
#include "injectors/weights_corruption.h"

namespace faultdrill::injectors {

enum class WeightsReload { kNone, kSighup, kRestart };

struct CorruptWeightsSettings {
  std::string name;
  // Resolved at load time; empty: the embedded server's weights of `model`,
  // found in RunState::work_dir() at apply time.
  std::string file;
  std::string model;
  Corruption corruption;
  WeightsReload reload = WeightsReload::kNone;
  uint64_t seed = 0;  // for flips: scenario seed mixed with the fault's name
  std::optional<Duration> active_for;
  Duration exit_timeout = std::chrono::seconds(10);  // restart: how long SIGTERM may take before SIGKILL
};

class CorruptWeightsInjector final : public Injector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  CorruptWeightsInjector(CorruptWeightsSettings settings, Targets& targets, RunState& run)
      : settings_(std::move(settings)), targets_(targets), run_(run) {}

  std::string Describe() const override;
  std::optional<Duration> ActiveFor() const override { return settings_.active_for; }
  absl::Status Apply() override;
  absl::Status Revert() override;
  std::map<std::string, int64_t> Counters() const override;
  std::vector<std::string> Touches() const override;
  std::vector<Need> Needs() const override;

 private:
  // The weights file this run acts on (the embedded default needs work_dir).
  absl::StatusOr<std::string> WeightsPath() const;
  absl::Status Reload();

  const CorruptWeightsSettings settings_;
  Targets& targets_;
  RunState& run_;

  mutable absl::Mutex mu_;  // Apply and Revert may run on different threads
  std::optional<UndoAction> restore_ ABSL_GUARDED_BY(mu_);  // set once the undo is journaled
  bool reverted_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<int64_t> bits_flipped_{0};
  std::atomic<int64_t> bytes_changed_{0};
  std::atomic<int64_t> reloads_{0};
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_CORRUPT_WEIGHTS_H_
