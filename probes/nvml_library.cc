#include "probes/nvml_library.h"

#include <dlfcn.h>
#include <fmt/format.h>

namespace faultdrill::probes {
namespace {

// NVML's own types and the codes faultdrill tells apart (nvml.h, which
// faultdrill does not need to build).
using nvmlReturn_t = int;
using nvmlDevice_t = void*;
struct nvmlMemory_t {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
};
struct nvmlUtilization_t {
  unsigned int gpu;
  unsigned int memory;
};
constexpr nvmlReturn_t kNvmlSuccess = 0;
constexpr nvmlReturn_t kNvmlErrorNotSupported = 3;
constexpr int kNvmlTemperatureGpu = 0;

// The entry points, resolved once by name (the _v2 names are the ones nvml.h
// maps nvmlInit, nvmlDeviceGetCount and nvmlDeviceGetHandleByIndex to).
struct NvmlApi {
  nvmlReturn_t (*init)() = nullptr;
  nvmlReturn_t (*shutdown)() = nullptr;
  nvmlReturn_t (*device_get_count)(unsigned int*) = nullptr;
  nvmlReturn_t (*device_get_handle_by_index)(unsigned int, nvmlDevice_t*) = nullptr;
  nvmlReturn_t (*device_get_name)(nvmlDevice_t, char*, unsigned int) = nullptr;
  nvmlReturn_t (*device_get_memory_info)(nvmlDevice_t, nvmlMemory_t*) = nullptr;
  nvmlReturn_t (*device_get_utilization_rates)(nvmlDevice_t, nvmlUtilization_t*) = nullptr;
  nvmlReturn_t (*device_get_temperature)(nvmlDevice_t, int, unsigned int*) = nullptr;
  const char* (*error_string)(nvmlReturn_t) = nullptr;
};

template <typename F>
bool Resolve(void* library, const char* name, F& function) {
  function = reinterpret_cast<F>(::dlsym(library, name));
  return function != nullptr;
}

class DlopenNvml final : public NvmlLibrary {
 public:
  explicit DlopenNvml(NvmlApi api) : api_(api) {}
  ~DlopenNvml() override {
    if (initialised_) api_.shutdown();
  }
  DlopenNvml(const DlopenNvml&) = delete;
  DlopenNvml& operator=(const DlopenNvml&) = delete;

  absl::Status Init() override {
    if (initialised_) return absl::OkStatus();
    if (nvmlReturn_t r = api_.init(); r != kNvmlSuccess) return absl::FailedPreconditionError(Error("nvmlInit", r));
    initialised_ = true;
    return absl::OkStatus();
  }

  absl::StatusOr<int> DeviceCount() override {
    unsigned int count = 0;
    if (nvmlReturn_t r = api_.device_get_count(&count); r != kNvmlSuccess) {
      return absl::FailedPreconditionError(Error("nvmlDeviceGetCount", r));
    }
    return static_cast<int>(count);
  }

  absl::StatusOr<std::string> DeviceName(int device) override {
    absl::StatusOr<nvmlDevice_t> handle = Handle(device);
    if (!handle.ok()) return handle.status();
    char name[96] = {};
    if (nvmlReturn_t r = api_.device_get_name(*handle, name, sizeof name); r != kNvmlSuccess) {
      return Failed("nvmlDeviceGetName", r);
    }
    return std::string(name);
  }

  absl::StatusOr<NvmlMemory> MemoryInfo(int device) override {
    absl::StatusOr<nvmlDevice_t> handle = Handle(device);
    if (!handle.ok()) return handle.status();
    nvmlMemory_t memory{};
    if (nvmlReturn_t r = api_.device_get_memory_info(*handle, &memory); r != kNvmlSuccess) {
      return Failed("nvmlDeviceGetMemoryInfo", r);
    }
    return NvmlMemory{memory.used, memory.total};
  }

  absl::StatusOr<NvmlUtilization> Utilization(int device) override {
    absl::StatusOr<nvmlDevice_t> handle = Handle(device);
    if (!handle.ok()) return handle.status();
    nvmlUtilization_t rates{};
    if (nvmlReturn_t r = api_.device_get_utilization_rates(*handle, &rates); r != kNvmlSuccess) {
      return Failed("nvmlDeviceGetUtilizationRates", r);
    }
    return NvmlUtilization{rates.gpu, rates.memory};
  }

  absl::StatusOr<int> TemperatureC(int device) override {
    absl::StatusOr<nvmlDevice_t> handle = Handle(device);
    if (!handle.ok()) return handle.status();
    unsigned int celsius = 0;
    if (nvmlReturn_t r = api_.device_get_temperature(*handle, kNvmlTemperatureGpu, &celsius); r != kNvmlSuccess) {
      return Failed("nvmlDeviceGetTemperature", r);
    }
    return static_cast<int>(celsius);
  }

 private:
  absl::StatusOr<nvmlDevice_t> Handle(int device) {
    nvmlDevice_t handle = nullptr;
    if (nvmlReturn_t r = api_.device_get_handle_by_index(static_cast<unsigned int>(device), &handle);
        r != kNvmlSuccess) {
      return Failed(fmt::format("nvmlDeviceGetHandleByIndex({})", device), r);
    }
    return handle;
  }

  absl::Status Failed(const std::string& call, nvmlReturn_t r) const {
    if (r == kNvmlErrorNotSupported) return absl::UnimplementedError(Error(call, r));
    return absl::UnavailableError(Error(call, r));
  }

  std::string Error(const std::string& call, nvmlReturn_t r) const {
    const char* text = api_.error_string(r);
    return fmt::format("{} failed: {} ({})", call, text != nullptr ? text : "unknown NVML error", r);
  }

  const NvmlApi api_;
  bool initialised_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<NvmlLibrary>> LoadNvml() {
  // Never closed: NVML may keep state for the process's life.
  void* library = ::dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = ::dlerror();
    return absl::FailedPreconditionError(
        fmt::format("libnvidia-ml.so.1 not found ({})", why != nullptr ? why : "dlopen failed"));
  }
  NvmlApi api;
  bool complete = Resolve(library, "nvmlInit_v2", api.init) && Resolve(library, "nvmlShutdown", api.shutdown) &&
                  Resolve(library, "nvmlDeviceGetCount_v2", api.device_get_count) &&
                  Resolve(library, "nvmlDeviceGetHandleByIndex_v2", api.device_get_handle_by_index) &&
                  Resolve(library, "nvmlDeviceGetName", api.device_get_name) &&
                  Resolve(library, "nvmlDeviceGetMemoryInfo", api.device_get_memory_info) &&
                  Resolve(library, "nvmlDeviceGetUtilizationRates", api.device_get_utilization_rates) &&
                  Resolve(library, "nvmlDeviceGetTemperature", api.device_get_temperature) &&
                  Resolve(library, "nvmlErrorString", api.error_string);
  if (!complete) {
    return absl::FailedPreconditionError(
        "libnvidia-ml.so.1 lacks the NVML functions faultdrill calls (a driver too old?)");
  }
  return std::make_unique<DlopenNvml>(api);
}

}  // namespace faultdrill::probes
