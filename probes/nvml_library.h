// The few NVML calls the gpu probe makes, behind a narrow interface: the real
// one loads libnvidia-ml.so.1 with dlopen at run time (faultdrill has no build
// dependency on the NVIDIA driver and runs where there is no GPU), tests use a
// fake. One NvmlLibrary is used from one thread at a time.
#ifndef FAULTDRILL_PROBES_NVML_LIBRARY_H_
#define FAULTDRILL_PROBES_NVML_LIBRARY_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace faultdrill::probes {

struct NvmlMemory {
  uint64_t used_bytes = 0;
  uint64_t total_bytes = 0;
};

struct NvmlUtilization {
  unsigned gpu_percent = 0;     // share of the last sample period a kernel ran
  unsigned memory_percent = 0;  // share of it device memory was read or written
};

class NvmlLibrary {
 public:
  virtual ~NvmlLibrary() = default;
  // nvmlInit. FailedPrecondition naming the NVML error (no driver loaded, no
  // permission, ...).
  virtual absl::Status Init() = 0;
  virtual absl::StatusOr<int> DeviceCount() = 0;
  // The per-device calls take the device's index. A reading the device does
  // not support is Unimplemented; other failures are Unavailable.
  virtual absl::StatusOr<std::string> DeviceName(int device) = 0;
  virtual absl::StatusOr<NvmlMemory> MemoryInfo(int device) = 0;
  virtual absl::StatusOr<NvmlUtilization> Utilization(int device) = 0;
  virtual absl::StatusOr<int> TemperatureC(int device) = 0;
};

// The real library: dlopen("libnvidia-ml.so.1"). FailedPrecondition
// "libnvidia-ml.so.1 not found (...)" when it cannot be loaded or lacks a
// function faultdrill calls. Init() is not called here.
absl::StatusOr<std::unique_ptr<NvmlLibrary>> LoadNvml();

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_NVML_LIBRARY_H_
