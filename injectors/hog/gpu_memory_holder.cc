#include "injectors/hog/gpu_memory_holder.h"

#include <algorithm>
#include <cmath>

#include "fmt/format.h"

namespace faultdrill::hog {

absl::StatusOr<uint64_t> GpuFillTarget(const GpuFillRequest& request, const injectors::GpuMemoryInfo& now) {
  if ((request.fraction > 0) == (request.bytes > 0)) {
    return absl::InvalidArgumentError("give either a fraction of the free memory or a number of bytes");
  }
  if (request.fraction > 1) return absl::InvalidArgumentError("the fraction must be at most 1");
  if (request.bytes > 0) {
    if (request.bytes > now.free_bytes) {
      return absl::ResourceExhaustedError(fmt::format("GPU {} has {} bytes free, fewer than the {} asked for",
                                                      request.device, now.free_bytes, request.bytes));
    }
    return request.bytes;
  }
  const uint64_t unit = std::max<uint64_t>(request.min_chunk_bytes, 1);
  // Rounded to the nearest byte first, so that 0.6 of 1000 MiB is 600 MiB, not a hair less.
  const auto share = static_cast<uint64_t>(std::llround(static_cast<long double>(now.free_bytes) * request.fraction));
  return share / unit * unit;
}

absl::StatusOr<std::unique_ptr<GpuMemoryHold>> GpuMemoryHold::Take(injectors::CudaDriver& driver,
                                                                   const GpuFillRequest& request) {
  if (request.chunk_bytes == 0 || request.min_chunk_bytes == 0 || request.min_chunk_bytes > request.chunk_bytes) {
    return absl::InvalidArgumentError("chunk sizes must be positive, the smallest no larger than the first");
  }
  if (absl::Status s = injectors::CheckCudaDevice(driver, request.device); !s.ok()) return s;
  if (absl::Status s = driver.UseDevice(request.device); !s.ok()) return s;
  std::unique_ptr<GpuMemoryHold> hold(new GpuMemoryHold(driver));
  absl::StatusOr<injectors::GpuMemoryInfo> before = driver.MemoryInfo();
  if (!before.ok()) return before.status();
  hold->before_ = *before;
  absl::StatusOr<uint64_t> target = GpuFillTarget(request, *before);
  if (!target.ok()) return target.status();
  hold->target_bytes_ = *target;

  uint64_t chunk = request.chunk_bytes;
  while (hold->held_bytes_ < *target) {
    const uint64_t size = std::min(chunk, *target - hold->held_bytes_);
    absl::StatusOr<uint64_t> block = driver.Allocate(size);
    if (block.ok()) {
      hold->blocks_.push_back(*block);
      hold->held_bytes_ += size;
      continue;
    }
    if (block.status().code() != absl::StatusCode::kResourceExhausted) return block.status();
    if (chunk / 2 < request.min_chunk_bytes) break;  // the device gives no more
    chunk /= 2;
  }
  if (hold->held_bytes_ < *target && (request.bytes > 0 || hold->held_bytes_ == 0)) {
    return absl::ResourceExhaustedError(fmt::format("GPU {} gave {} of the {} bytes asked for", request.device,
                                                    hold->held_bytes_, *target));
  }
  return hold;
}

GpuMemoryHold::~GpuMemoryHold() {
  for (auto it = blocks_.rbegin(); it != blocks_.rend(); ++it) (void)driver_.Free(*it);
}

namespace {

class GpuHold final : public Hold {
 public:
  GpuHold(std::unique_ptr<injectors::CudaDriver> driver, std::unique_ptr<GpuMemoryHold> memory, int device)
      : driver_(std::move(driver)), memory_(std::move(memory)), device_(device) {}
  ~GpuHold() override { memory_.reset(); }  // before the driver goes

  std::string Describe() const override {
    return fmt::format("device={} bytes={} blocks={} free_before={} total={}", device_, memory_->held_bytes(),
                       memory_->blocks(), memory_->before().free_bytes, memory_->before().total_bytes);
  }

 private:
  std::unique_ptr<injectors::CudaDriver> driver_;
  std::unique_ptr<GpuMemoryHold> memory_;
  const int device_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Hold>> HoldGpuMemory(std::unique_ptr<injectors::CudaDriver> driver,
                                                    const GpuFillRequest& request) {
  absl::StatusOr<std::unique_ptr<GpuMemoryHold>> memory = GpuMemoryHold::Take(*driver, request);
  if (!memory.ok()) return memory.status();
  return std::make_unique<GpuHold>(std::move(driver), std::move(*memory), request.device);
}

}  // namespace faultdrill::hog
