// `memory-hog`: a helper process (faultdrill-hog memory) holds memory
// resident, every page touched, for the fault's window: `bytes`, or a
// `percent` of what the kernel reports as available (MemAvailable) when the
// fault is applied. The helper is the OOM killer's first choice, so taking
// too much ends the helper rather than the target.
//
//   - {kind: memory-hog, at: 10s, for: 20s, bytes: 2GiB}
//   - {kind: memory-hog, at: 10s, for: 20s, percent: 80%}
#ifndef FAULTDRILL_INJECTORS_MEMORY_HOG_H_
#define FAULTDRILL_INJECTORS_MEMORY_HOG_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "injectors/hog_process.h"
#include "injectors/injector.h"
#include "injectors/registry.h"

namespace faultdrill::injectors {

// The most of MemAvailable memory-hog takes: the rest keeps the machine usable.
inline constexpr double kMaxMemoryHogFraction = 0.95;

// MemAvailable from the text of /proc/meminfo, in bytes.
absl::StatusOr<uint64_t> ParseMemAvailable(std::string_view meminfo);
// `fraction` of `available` bytes, rounded down to whole 4 KiB pages.
uint64_t MemoryHogBytes(double fraction, uint64_t available);

struct MemoryHogSettings {
  std::string name;
  uint64_t bytes = 0;     // exactly one of bytes and fraction is set
  double fraction = 0;    // of MemAvailable at apply time
  std::optional<Duration> active_for;
  Duration ready_timeout = std::chrono::seconds(30);
};

class MemoryHogInjector final : public Injector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  MemoryHogInjector(MemoryHogSettings settings, RunState& run) : settings_(std::move(settings)), run_(run) {}

  std::string Describe() const override;
  std::optional<Duration> ActiveFor() const override { return settings_.active_for; }
  absl::Status Apply() override;
  // Stops the helper; its memory goes back to the system.
  absl::Status Revert() override;
  // bytes_held: what the helper held.
  std::map<std::string, int64_t> Counters() const override;
  std::vector<std::string> Touches() const override;
  std::vector<Need> Needs() const override { return {HogBinaryNeed()}; }

 private:
  const MemoryHogSettings settings_;
  RunState& run_;
  std::unique_ptr<HogProcess> hog_;
  std::atomic<int64_t> bytes_held_{0};
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_MEMORY_HOG_H_
