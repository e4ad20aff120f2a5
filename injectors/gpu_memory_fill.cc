#include "injectors/gpu_memory_fill.h"

#include "fmt/format.h"

namespace faultdrill::injectors {
namespace {

std::string Amount(const GpuMemoryFillSettings& settings) {
  if (settings.bytes > 0) return fmt::format("{} bytes", settings.bytes);
  return fmt::format("{:g}% of the free memory", settings.fraction * 100);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Injector>> GpuMemoryFillInjector::Create(const FaultSpec& spec,
                                                                        InjectorContext& context) {
  ParamReader params(spec.params, fmt::format("fault '{}' (gpu-memory-fill)", spec.name));
  if (absl::Status s = params.CheckKnownKeys({"device", "fraction", "bytes", "ready_timeout"}); !s.ok()) return s;
  GpuMemoryFillSettings settings;
  settings.name = spec.name;
  settings.active_for = spec.duration;
  auto device = params.Int("device", 0, 1023, 0);
  if (!device.ok()) return device.status();
  settings.device = static_cast<int>(*device);
  if (params.Has("fraction") == params.Has("bytes")) {
    return params.MapError("give either `fraction` (of the GPU's free memory, e.g. 0.9 or 90%) or `bytes` (e.g. 8GiB)");
  }
  if (params.Has("bytes")) {
    auto bytes = params.Bytes("bytes");
    if (!bytes.ok()) return bytes.status();
    if (*bytes == 0) return params.Error("bytes", "must be greater than zero");
    settings.bytes = *bytes;
  } else {
    auto fraction = params.Percent("fraction");
    if (!fraction.ok()) return fraction.status();
    if (*fraction <= 0) return params.Error("fraction", "must be greater than zero");
    settings.fraction = *fraction;
  }
  auto ready_timeout = params.Dur("ready_timeout", settings.ready_timeout);
  if (!ready_timeout.ok()) return ready_timeout.status();
  settings.ready_timeout = *ready_timeout;
  return std::make_unique<GpuMemoryFillInjector>(std::move(settings), context.run, &LoadCudaDriver);
}

std::string GpuMemoryFillInjector::Describe() const {
  return fmt::format("take {} of GPU {} (cuMemAlloc in a helper process), free it on revert", Amount(settings_),
                     settings_.device);
}

std::vector<std::string> GpuMemoryFillInjector::Touches() const {
  return {fmt::format("GPU {} (CUDA driver API): {}", settings_.device, Amount(settings_))};
}

std::vector<Need> GpuMemoryFillInjector::Needs() const {
  std::vector<Need> needs;
  absl::StatusOr<std::unique_ptr<CudaDriver>> driver = load_driver_();
  needs.push_back({"NVIDIA driver (libcuda.so.1)", driver.status()});
  const std::string device = fmt::format("CUDA device {}", settings_.device);
  if (driver.ok()) {
    needs.push_back({device, CheckCudaDevice(**driver, settings_.device)});
  } else {
    needs.push_back({device, absl::FailedPreconditionError("cannot be checked without the NVIDIA driver")});
  }
  needs.push_back(HogBinaryNeed());
  return needs;
}

absl::Status GpuMemoryFillInjector::Apply() {
  if (hog_ != nullptr) return absl::FailedPreconditionError(fmt::format("fault '{}' is already applied", settings_.name));
  std::vector<std::string> args = {"gpu", "--device", std::to_string(settings_.device)};
  if (settings_.bytes > 0) {
    args.insert(args.end(), {"--bytes", std::to_string(settings_.bytes)});
  } else {
    args.insert(args.end(), {"--fraction", fmt::format("{:.6f}", settings_.fraction)});
  }
  auto hog = HogProcess::Start(
      {.fault = settings_.name, .kind = "gpu-memory-fill", .args = args, .ready_timeout = settings_.ready_timeout},
      run_);
  if (!hog.ok()) return hog.status();
  hog_ = std::move(*hog);
  bytes_held_ = hog_->ReadyInt("bytes");
  free_before_ = hog_->ReadyInt("free_before");
  total_ = hog_->ReadyInt("total");
  return absl::OkStatus();
}

absl::Status GpuMemoryFillInjector::Revert() {
  if (hog_ == nullptr) return absl::OkStatus();
  hog_->Stop();
  hog_.reset();
  return absl::OkStatus();
}

std::map<std::string, int64_t> GpuMemoryFillInjector::Counters() const {
  return {{"bytes_held", bytes_held_}, {"gpu_free_before_bytes", free_before_}, {"gpu_total_bytes", total_}};
}

}  // namespace faultdrill::injectors
