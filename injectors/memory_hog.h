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

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "injectors/hog_injector.h"
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

class MemoryHogInjector final : public HogInjector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  // Counters: bytes_held, what the helper held. Revert gives the memory back.
  MemoryHogInjector(MemoryHogSettings settings, RunState& run);

  std::string Describe() const override;
  std::vector<std::string> Touches() const override;

 private:
  // Turns a fraction into bytes of MemAvailable now.
  absl::StatusOr<std::vector<std::string>> PrepareHelper() override;

  const MemoryHogSettings settings_;
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_MEMORY_HOG_H_
