// The few CUDA driver API calls the GPU faults make, behind a narrow interface:
// the real one loads libcuda.so.1 with dlopen at run time (faultdrill has no
// build dependency on CUDA and runs where there is no GPU), the tests use a
// fake. One CudaDriver is used from one thread.
#ifndef FAULTDRILL_INJECTORS_CUDA_DRIVER_H_
#define FAULTDRILL_INJECTORS_CUDA_DRIVER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace faultdrill::injectors {

struct GpuMemoryInfo {
  uint64_t free_bytes = 0;
  uint64_t total_bytes = 0;
};

class CudaDriver {
 public:
  virtual ~CudaDriver() = default;

  // cuInit(0). FailedPrecondition naming the CUDA error (e.g. no device, a
  // driver/kernel module mismatch).
  virtual absl::Status Init() = 0;
  virtual absl::StatusOr<int> DeviceCount() = 0;
  virtual absl::StatusOr<std::string> DeviceName(int device) = 0;
  // Makes `device`'s primary context current on the calling thread; the
  // memory calls below act on that device.
  virtual absl::Status UseDevice(int device) = 0;
  // cuMemGetInfo of the current device.
  virtual absl::StatusOr<GpuMemoryInfo> MemoryInfo() = 0;
  // cuMemAlloc: the device address. ResourceExhausted when the device is out
  // of memory, Internal for any other CUDA error.
  virtual absl::StatusOr<uint64_t> Allocate(uint64_t bytes) = 0;
  // cuMemFree of an address Allocate returned.
  virtual absl::Status Free(uint64_t address) = 0;
};

// The real driver: dlopen("libcuda.so.1"). FailedPrecondition "no NVIDIA
// driver: libcuda.so.1 not found (...)" when it cannot be loaded or lacks a
// function faultdrill calls. Init() is not called here.
absl::StatusOr<std::unique_ptr<CudaDriver>> LoadCudaDriver();

// Initialises `driver` and checks that `device` exists: FailedPrecondition
// "no CUDA device (...)" when the machine has none, "CUDA device 3 does not
// exist (this machine has 1)" when the ordinal is too high.
absl::Status CheckCudaDevice(CudaDriver& driver, int device);

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_CUDA_DRIVER_H_
