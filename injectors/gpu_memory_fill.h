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

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "injectors/cuda_driver.h"
#include "injectors/hog_injector.h"
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

class GpuMemoryFillInjector final : public HogInjector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  // Counters: bytes_held, gpu_free_before_bytes, gpu_total_bytes (as the
  // helper saw them). Revert stops the helper, which frees the memory.
  GpuMemoryFillInjector(GpuMemoryFillSettings settings, RunState& run, CudaDriverLoader load_driver);

  std::string Describe() const override;
  std::vector<std::string> Touches() const override;

 private:
  absl::StatusOr<std::vector<std::string>> PrepareHelper() override;
  // The NVIDIA driver (libcuda.so.1 loads, cuInit works) and the device.
  std::vector<Need> MachineNeeds() const override;

  const GpuMemoryFillSettings settings_;
  const CudaDriverLoader load_driver_;
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_GPU_MEMORY_FILL_H_
