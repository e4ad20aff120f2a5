// `gpu-memory-fill`: a helper process (faultdrill-hog gpu) takes a fraction
// (or a number of bytes) of one GPU's free memory with plain cuMemAlloc calls
// through the CUDA driver API (libcuda.so.1, loaded with dlopen: no build
// dependency on CUDA), holds it for the fault's window, and frees it on
// revert or when faultdrill dies. No driver or no such GPU: `run` refuses
// with exit 3 (a Need), and Apply fails with the helper's message.
//
//   - {kind: gpu-memory-fill, at: 10s, for: 20s, device: 0, fraction: 0.9}
#ifndef FAULTDRILL_INJECTORS_GPU_MEMORY_FILL_H_
#define FAULTDRILL_INJECTORS_GPU_MEMORY_FILL_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "injectors/cuda_driver.h"
#include "injectors/hog_process.h"
#include "injectors/injector.h"
#include "injectors/registry.h"

namespace faultdrill::injectors {

// Loads the CUDA driver for Needs(): LoadCudaDriver, or a fake in tests.
using CudaDriverLoader = std::function<absl::StatusOr<std::unique_ptr<CudaDriver>>()>;

struct GpuMemoryFillSettings {
  std::string name;
  int device = 0;
  double fraction = 0;  // of the free memory; exactly one of fraction and bytes is set
  uint64_t bytes = 0;
  std::optional<Duration> active_for;
  Duration ready_timeout = std::chrono::seconds(60);
};

class GpuMemoryFillInjector final : public Injector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  GpuMemoryFillInjector(GpuMemoryFillSettings settings, RunState& run, CudaDriverLoader load_driver)
      : settings_(std::move(settings)), run_(run), load_driver_(std::move(load_driver)) {}

  std::string Describe() const override;
  std::optional<Duration> ActiveFor() const override { return settings_.active_for; }
  absl::Status Apply() override;
  // Stops the helper, which frees the memory.
  absl::Status Revert() override;
  // bytes_held, gpu_free_before_bytes, gpu_total_bytes (as the helper saw them).
  std::map<std::string, int64_t> Counters() const override;
  std::vector<std::string> Touches() const override;
  // The NVIDIA driver (libcuda.so.1 loads, cuInit works), the device, faultdrill-hog.
  std::vector<Need> Needs() const override;

 private:
  const GpuMemoryFillSettings settings_;
  RunState& run_;
  const CudaDriverLoader load_driver_;
  std::unique_ptr<HogProcess> hog_;
  std::atomic<int64_t> bytes_held_{0};
  std::atomic<int64_t> free_before_{0};
  std::atomic<int64_t> total_{0};
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_GPU_MEMORY_FILL_H_
