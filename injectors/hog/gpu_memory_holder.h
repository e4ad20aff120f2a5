// `faultdrill-hog gpu`: a share of one GPU's free memory, taken with plain
// cuMemAlloc calls in chunks and freed when released.
#ifndef FAULTDRILL_INJECTORS_HOG_GPU_MEMORY_HOLDER_H_
#define FAULTDRILL_INJECTORS_HOG_GPU_MEMORY_HOLDER_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "injectors/cuda_driver.h"
#include "injectors/hog/hold.h"

namespace faultdrill::hog {

// Exactly one of `fraction` (of the device's free memory, in (0, 1]) and
// `bytes` is set. Memory is taken in chunks of `chunk_bytes`; when the device
// refuses one (fragmentation, another process), the chunk is halved down to
// `min_chunk_bytes`.
struct GpuFillRequest {
  int device = 0;
  double fraction = 0;
  uint64_t bytes = 0;
  uint64_t chunk_bytes = uint64_t{256} << 20;
  uint64_t min_chunk_bytes = uint64_t{2} << 20;
};

// How many bytes `request` asks for, given the device's memory now: a
// fraction of the free memory (rounded down to min_chunk_bytes), or bytes.
// ResourceExhausted when `bytes` is more than is free.
absl::StatusOr<uint64_t> GpuFillTarget(const GpuFillRequest& request, const injectors::GpuMemoryInfo& now);

// Device memory held; the destructor frees every block. `driver` must
// outlive it and stay on the thread that took it.
class GpuMemoryHold {
 public:
  // Checks the device, makes it current, and allocates. With `bytes`, all of
  // it or ResourceExhausted; with `fraction`, as much of it as the device
  // gives (ResourceExhausted only when it gives nothing). Whatever was taken
  // is freed again on error.
  static absl::StatusOr<std::unique_ptr<GpuMemoryHold>> Take(injectors::CudaDriver& driver,
                                                             const GpuFillRequest& request);
  ~GpuMemoryHold();
  GpuMemoryHold(const GpuMemoryHold&) = delete;
  GpuMemoryHold& operator=(const GpuMemoryHold&) = delete;

  uint64_t held_bytes() const { return held_bytes_; }
  uint64_t target_bytes() const { return target_bytes_; }
  size_t blocks() const { return blocks_.size(); }
  // The device's memory before anything was taken.
  const injectors::GpuMemoryInfo& before() const { return before_; }

 private:
  explicit GpuMemoryHold(injectors::CudaDriver& driver) : driver_(driver) {}

  injectors::CudaDriver& driver_;
  std::vector<uint64_t> blocks_;
  uint64_t held_bytes_ = 0;
  uint64_t target_bytes_ = 0;
  injectors::GpuMemoryInfo before_;
};

// GpuMemoryHold::Take as the helper's Hold, owning the driver. Describe():
// "device=0 bytes=N blocks=K free_before=N total=N".
absl::StatusOr<std::unique_ptr<Hold>> HoldGpuMemory(std::unique_ptr<injectors::CudaDriver> driver,
                                                    const GpuFillRequest& request);

}  // namespace faultdrill::hog

#endif  // FAULTDRILL_INJECTORS_HOG_GPU_MEMORY_HOLDER_H_
