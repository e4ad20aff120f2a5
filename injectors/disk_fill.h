// `disk-fill`: a helper process (faultdrill-hog disk) creates one file in a
// folder and sizes it so that the folder's filesystem is `fill_percent` used
// (or grows by `bytes`); the file is removed on revert, by the helper when
// faultdrill dies, and by `faultdrill recover` after a crash. Never beyond
// 99% used, never under /proc, /sys or /dev.
//
//   - {kind: disk-fill, at: 10s, for: 20s, path: /var/tmp, fill_percent: 95%}
#ifndef FAULTDRILL_INJECTORS_DISK_FILL_H_
#define FAULTDRILL_INJECTORS_DISK_FILL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "injectors/hog_injector.h"
#include "injectors/registry.h"

namespace faultdrill::injectors {

struct DiskFillSettings {
  std::string name;
  std::string path;           // the folder, absolute (a relative one is taken from the scenario's folder)
  std::string file;           // path/faultdrill-disk-fill-<name>
  double fill_fraction = 0;   // exactly one of fill_fraction and bytes is set
  uint64_t bytes = 0;
  std::optional<Duration> active_for;
  Duration ready_timeout = std::chrono::seconds(30);
};

class DiskFillInjector final : public HogInjector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  // Counters: bytes_held, the file's size; used_percent, the filesystem's use
  // once filled. Apply journals the file's removal, then starts the helper;
  // FailedPrecondition when the folder is not there or the file already
  // exists. Revert stops the helper (which removes the file) and removes the
  // file if it is still there.
  DiskFillInjector(DiskFillSettings settings, RunState& run);

  std::string Describe() const override;
  std::vector<std::string> Touches() const override;

 private:
  absl::StatusOr<std::vector<std::string>> PrepareHelper() override;
  absl::Status AfterHelperStopped() override;
  // A writable folder at `path`.
  std::vector<Need> MachineNeeds() const override;

  const DiskFillSettings settings_;
  bool file_journaled_ = false;  // the file is ours to remove
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_DISK_FILL_H_
