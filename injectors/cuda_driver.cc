#include "injectors/cuda_driver.h"

#include <dlfcn.h>

#include <cstddef>

#include "fmt/format.h"

namespace faultdrill::injectors {
namespace {

// The CUDA driver API's own types and the codes faultdrill tells apart
// (cuda.h, which faultdrill does not need to build).
using CUresult = int;
using CUdevice = int;
using CUcontext = void*;
using CUdeviceptr = unsigned long long;
constexpr CUresult kCudaSuccess = 0;
constexpr CUresult kCudaErrorOutOfMemory = 2;
constexpr CUresult kCudaErrorNoDevice = 100;

// The entry points, resolved once by name. The _v2 names are the ones cuda.h
// maps cuMemAlloc, cuMemFree and cuMemGetInfo to on 64-bit systems.
struct CudaApi {
  CUresult (*init)(unsigned int) = nullptr;
  CUresult (*device_get_count)(int*) = nullptr;
  CUresult (*device_get)(CUdevice*, int) = nullptr;
  CUresult (*device_get_name)(char*, int, CUdevice) = nullptr;
  CUresult (*primary_ctx_retain)(CUcontext*, CUdevice) = nullptr;
  CUresult (*ctx_set_current)(CUcontext) = nullptr;
  CUresult (*mem_get_info)(size_t*, size_t*) = nullptr;
  CUresult (*mem_alloc)(CUdeviceptr*, size_t) = nullptr;
  CUresult (*mem_free)(CUdeviceptr) = nullptr;
  CUresult (*get_error_name)(CUresult, const char**) = nullptr;
};

template <typename F>
bool Resolve(void* library, const char* name, F& function) {
  function = reinterpret_cast<F>(::dlsym(library, name));
  return function != nullptr;
}

class DlopenCudaDriver final : public CudaDriver {
 public:
  explicit DlopenCudaDriver(CudaApi api) : api_(api) {}

  absl::Status Init() override {
    CUresult r = api_.init(0);
    if (r == kCudaErrorNoDevice) return absl::FailedPreconditionError(Error("no CUDA device: cuInit", r));
    if (r != kCudaSuccess) return absl::FailedPreconditionError(Error("cuInit", r));
    return absl::OkStatus();
  }

  absl::StatusOr<int> DeviceCount() override {
    int count = 0;
    if (CUresult r = api_.device_get_count(&count); r != kCudaSuccess) {
      return absl::FailedPreconditionError(Error("cuDeviceGetCount", r));
    }
    return count;
  }

  absl::StatusOr<std::string> DeviceName(int ordinal) override {
    CUdevice device = 0;
    if (CUresult r = api_.device_get(&device, ordinal); r != kCudaSuccess) {
      return absl::FailedPreconditionError(Error(fmt::format("cuDeviceGet({})", ordinal), r));
    }
    char name[256] = {};
    if (CUresult r = api_.device_get_name(name, sizeof(name), device); r != kCudaSuccess) {
      return absl::InternalError(Error("cuDeviceGetName", r));
    }
    return std::string(name);
  }

  absl::Status UseDevice(int ordinal) override {
    CUdevice device = 0;
    if (CUresult r = api_.device_get(&device, ordinal); r != kCudaSuccess) {
      return absl::FailedPreconditionError(Error(fmt::format("cuDeviceGet({})", ordinal), r));
    }
    CUcontext context = nullptr;
    if (CUresult r = api_.primary_ctx_retain(&context, device); r != kCudaSuccess) {
      return absl::FailedPreconditionError(Error("cuDevicePrimaryCtxRetain", r));
    }
    if (CUresult r = api_.ctx_set_current(context); r != kCudaSuccess) {
      return absl::InternalError(Error("cuCtxSetCurrent", r));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<GpuMemoryInfo> MemoryInfo() override {
    size_t free = 0, total = 0;
    if (CUresult r = api_.mem_get_info(&free, &total); r != kCudaSuccess) {
      return absl::InternalError(Error("cuMemGetInfo", r));
    }
    return GpuMemoryInfo{free, total};
  }

  absl::StatusOr<uint64_t> Allocate(uint64_t bytes) override {
    CUdeviceptr address = 0;
    CUresult r = api_.mem_alloc(&address, bytes);
    if (r == kCudaErrorOutOfMemory) {
      return absl::ResourceExhaustedError(Error(fmt::format("cuMemAlloc({})", bytes), r));
    }
    if (r != kCudaSuccess) return absl::InternalError(Error(fmt::format("cuMemAlloc({})", bytes), r));
    return static_cast<uint64_t>(address);
  }

  absl::Status Free(uint64_t address) override {
    if (CUresult r = api_.mem_free(address); r != kCudaSuccess) return absl::InternalError(Error("cuMemFree", r));
    return absl::OkStatus();
  }

 private:
  std::string Error(const std::string& call, CUresult r) const {
    const char* name = nullptr;
    if (api_.get_error_name(r, &name) != kCudaSuccess || name == nullptr) name = "unknown CUDA error";
    return fmt::format("{} failed: {} ({})", call, name, r);
  }

  const CudaApi api_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<CudaDriver>> LoadCudaDriver() {
  // Never closed: the driver keeps threads and state for the process's life.
  void* library = ::dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = ::dlerror();
    return absl::FailedPreconditionError(
        fmt::format("no NVIDIA driver: libcuda.so.1 not found ({}); install the NVIDIA driver",
                    why != nullptr ? why : "dlopen failed"));
  }
  CudaApi api;
  bool complete = Resolve(library, "cuInit", api.init) && Resolve(library, "cuDeviceGetCount", api.device_get_count) &&
                  Resolve(library, "cuDeviceGet", api.device_get) &&
                  Resolve(library, "cuDeviceGetName", api.device_get_name) &&
                  Resolve(library, "cuDevicePrimaryCtxRetain", api.primary_ctx_retain) &&
                  Resolve(library, "cuCtxSetCurrent", api.ctx_set_current) &&
                  Resolve(library, "cuMemGetInfo_v2", api.mem_get_info) &&
                  Resolve(library, "cuMemAlloc_v2", api.mem_alloc) && Resolve(library, "cuMemFree_v2", api.mem_free) &&
                  Resolve(library, "cuGetErrorName", api.get_error_name);
  if (!complete) {
    return absl::FailedPreconditionError(
        "no NVIDIA driver: libcuda.so.1 lacks the CUDA driver API functions faultdrill calls (a driver too old?)");
  }
  return std::make_unique<DlopenCudaDriver>(api);
}

absl::Status CheckCudaDevice(CudaDriver& driver, int device) {
  if (absl::Status s = driver.Init(); !s.ok()) return s;
  absl::StatusOr<int> count = driver.DeviceCount();
  if (!count.ok()) return count.status();
  if (*count == 0) return absl::FailedPreconditionError("no CUDA device: the NVIDIA driver sees no GPU");
  if (device < 0 || device >= *count) {
    return absl::FailedPreconditionError(
        fmt::format("CUDA device {} does not exist (this machine has {})", device, *count));
  }
  return absl::OkStatus();
}

}  // namespace faultdrill::injectors
