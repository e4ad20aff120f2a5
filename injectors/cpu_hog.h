// `cpu-hog`: a helper process (faultdrill-hog cpu) keeps N threads busy for
// the fault's window; it ends on revert, or with faultdrill.
//
//   - {kind: cpu-hog, at: 10s, for: 20s, threads: 4}
#ifndef FAULTDRILL_INJECTORS_CPU_HOG_H_
#define FAULTDRILL_INJECTORS_CPU_HOG_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "injectors/hog_process.h"
#include "injectors/injector.h"
#include "injectors/registry.h"

namespace faultdrill::injectors {

struct CpuHogSettings {
  std::string name;
  int threads = 0;  // 0: one per core of this machine, counted at apply time
  std::optional<Duration> active_for;
  Duration ready_timeout = std::chrono::seconds(30);
};

class CpuHogInjector final : public Injector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  CpuHogInjector(CpuHogSettings settings, RunState& run) : settings_(std::move(settings)), run_(run) {}

  std::string Describe() const override;
  std::optional<Duration> ActiveFor() const override { return settings_.active_for; }
  absl::Status Apply() override;
  // Stops the helper.
  absl::Status Revert() override;
  // threads: busy threads while applied.
  std::map<std::string, int64_t> Counters() const override;
  std::vector<std::string> Touches() const override;
  std::vector<Need> Needs() const override { return {HogBinaryNeed()}; }

 private:
  int Threads() const;

  const CpuHogSettings settings_;
  RunState& run_;
  std::unique_ptr<HogProcess> hog_;
  std::atomic<int64_t> threads_{0};
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_CPU_HOG_H_
