// `cpu-hog`: a helper process (faultdrill-hog cpu) keeps N threads busy for
// the fault's window; it ends on revert, or with faultdrill.
//
//   - {kind: cpu-hog, at: 10s, for: 20s, threads: 4}
#ifndef FAULTDRILL_INJECTORS_CPU_HOG_H_
#define FAULTDRILL_INJECTORS_CPU_HOG_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "injectors/hog_injector.h"
#include "injectors/registry.h"

namespace faultdrill::injectors {

struct CpuHogSettings {
  std::string name;
  int threads = 0;  // 0: one per core of this machine, counted at apply time
  std::optional<Duration> active_for;
  Duration ready_timeout = std::chrono::seconds(30);
};

class CpuHogInjector final : public HogInjector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  // Counters: threads, the busy threads while applied.
  CpuHogInjector(CpuHogSettings settings, RunState& run);

  std::string Describe() const override;
  std::vector<std::string> Touches() const override;

 private:
  absl::StatusOr<std::vector<std::string>> PrepareHelper() override;
  int Threads() const;

  const CpuHogSettings settings_;
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_CPU_HOG_H_
