// A CUDA driver in memory for the GPU fault's tests: one or more devices with
// a free-memory count, allocations that fail like a real device's when there
// is no room (or a block is larger than the device will give at once).
#ifndef FAULTDRILL_TESTS_INJECTORS_FAKE_CUDA_DRIVER_H_
#define FAULTDRILL_TESTS_INJECTORS_FAKE_CUDA_DRIVER_H_

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "injectors/cuda_driver.h"

namespace faultdrill::testing {

inline constexpr uint64_t kMiB = uint64_t{1} << 20;

class FakeCudaDriver final : public injectors::CudaDriver {
 public:
  // Set by the test.
  absl::Status init_status = absl::OkStatus();
  int device_count = 1;
  uint64_t free_bytes = 1000 * kMiB;
  uint64_t total_bytes = 1024 * kMiB;
  uint64_t largest_block = std::numeric_limits<uint64_t>::max();  // larger requests fail
  uint64_t others_take_after = std::numeric_limits<uint64_t>::max();  // no more than this is given in all

  // Seen by the test.
  int current_device = -1;
  std::vector<uint64_t> requests;        // every Allocate, in order
  std::map<uint64_t, uint64_t> live;     // address -> bytes
  uint64_t given = 0;

  absl::Status Init() override { return init_status; }
  absl::StatusOr<int> DeviceCount() override { return device_count; }
  absl::StatusOr<std::string> DeviceName(int device) override { return std::string("Fake GPU"); }
  absl::Status UseDevice(int device) override {
    current_device = device;
    return absl::OkStatus();
  }
  absl::StatusOr<injectors::GpuMemoryInfo> MemoryInfo() override {
    return injectors::GpuMemoryInfo{free_bytes, total_bytes};
  }
  absl::StatusOr<uint64_t> Allocate(uint64_t bytes) override {
    requests.push_back(bytes);
    if (bytes > free_bytes || bytes > largest_block || given + bytes > others_take_after) {
      return absl::ResourceExhaustedError("cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY (2)");
    }
    free_bytes -= bytes;
    given += bytes;
    uint64_t address = next_address_;
    next_address_ += bytes + 4096;
    live[address] = bytes;
    return address;
  }
  absl::Status Free(uint64_t address) override {
    auto it = live.find(address);
    if (it == live.end()) return absl::InternalError("cuMemFree failed: CUDA_ERROR_INVALID_VALUE (1)");
    free_bytes += it->second;
    given -= it->second;
    live.erase(it);
    return absl::OkStatus();
  }

 private:
  uint64_t next_address_ = 0x7f0000000000;
};

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_INJECTORS_FAKE_CUDA_DRIVER_H_
