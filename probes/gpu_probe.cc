#include "probes/gpu_probe.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <utility>

namespace faultdrill::probes {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

}  // namespace

absl::StatusOr<GpuProbeSettings> ParseGpuProbe(const ProbeSpec& spec) {
  ParamReader params(spec.params, fmt::format("probe '{}' (gpu)", spec.name));
  if (absl::Status s = params.CheckKnownKeys({"device", "required"}); !s.ok()) return s;
  GpuProbeSettings settings;
  absl::StatusOr<int64_t> device = params.Int("device", 0, 1023, 0);
  if (!device.ok()) return device.status();
  settings.device = static_cast<int>(*device);
  absl::StatusOr<bool> required = params.Bool("required", false);
  if (!required.ok()) return required.status();
  settings.required = *required;
  return settings;
}

GpuProbe::GpuProbe(GpuProbeSettings settings, NvmlLoader load) : settings_(settings), load_(std::move(load)) {}

absl::StatusOr<std::unique_ptr<Probe>> GpuProbe::Create(const ProbeSpec& spec, const ProbeContext& /*context*/) {
  absl::StatusOr<GpuProbeSettings> settings = ParseGpuProbe(spec);
  if (!settings.ok()) return settings.status();
  return std::unique_ptr<Probe>(std::make_unique<GpuProbe>(*settings, &LoadNvml));
}

std::string GpuProbe::Describe() const {
  return fmt::format("GPU {}{} (NVML{})", settings_.device, device_name_.empty() ? "" : " " + device_name_,
                     settings_.required ? ", required" : "");
}

std::vector<ValueInfo> GpuProbe::Values() const {
  return {{"memory_used_bytes", "bytes"},
          {"memory_total_bytes", "bytes"},
          {"utilization_percent", "%"},
          {"memory_utilization_percent", "%"},
          {"temperature_c", "C"}};
}

absl::Status GpuProbe::Prepare() {
  if (prepared_) return *prepared_;
  prepared_ = [&]() -> absl::Status {
    absl::StatusOr<std::unique_ptr<NvmlLibrary>> nvml = load_();
    if (!nvml.ok()) return nvml.status();
    nvml_ = *std::move(nvml);
    if (absl::Status s = nvml_->Init(); !s.ok()) return s;
    absl::StatusOr<int> count = nvml_->DeviceCount();
    if (!count.ok()) return count.status();
    if (*count == 0) return absl::FailedPreconditionError("no NVIDIA device");
    if (settings_.device >= *count) {
      return absl::FailedPreconditionError(
          fmt::format("device {} does not exist (this machine has {})", settings_.device, *count));
    }
    if (absl::StatusOr<std::string> name = nvml_->DeviceName(settings_.device); name.ok()) device_name_ = *name;
    return absl::OkStatus();
  }();
  return *prepared_;
}

ProbeResult GpuProbe::Check() {
  const auto start = std::chrono::steady_clock::now();
  ProbeResult result;
  auto finish = [&](bool healthy, std::string detail) {
    result.healthy = healthy;
    result.detail = std::move(detail);
    result.took = std::chrono::steady_clock::now() - start;
    return result;
  };
  if (absl::Status s = Prepare(); !s.ok()) {
    std::string detail = fmt::format("GPU not available: {}", std::string(s.message()));
    if (settings_.required) detail += " (the probe says required: true)";
    return finish(!settings_.required, std::move(detail));
  }

  const int device = settings_.device;
  std::vector<std::string> failures;     // the device did not answer
  std::vector<std::string> unsupported;  // the device cannot tell
  auto note = [&](const absl::Status& s, const char* what) {
    if (absl::IsUnimplemented(s)) {
      unsupported.push_back(what);
    } else {
      failures.push_back(std::string(s.message()));
    }
  };
  std::string detail = fmt::format("GPU {}{}", device, device_name_.empty() ? "" : " (" + device_name_ + ")");
  if (absl::StatusOr<NvmlMemory> memory = nvml_->MemoryInfo(device); memory.ok()) {
    result.values.push_back({"memory_used_bytes", static_cast<double>(memory->used_bytes)});
    result.values.push_back({"memory_total_bytes", static_cast<double>(memory->total_bytes)});
    detail += fmt::format(": {:.1f} of {:.1f} GiB used", static_cast<double>(memory->used_bytes) / kGiB,
                          static_cast<double>(memory->total_bytes) / kGiB);
  } else {
    note(memory.status(), "memory");
  }
  if (absl::StatusOr<NvmlUtilization> busy = nvml_->Utilization(device); busy.ok()) {
    result.values.push_back({"utilization_percent", static_cast<double>(busy->gpu_percent)});
    result.values.push_back({"memory_utilization_percent", static_cast<double>(busy->memory_percent)});
    detail += fmt::format(", {}% busy, memory {}% busy", busy->gpu_percent, busy->memory_percent);
  } else {
    note(busy.status(), "utilization");
  }
  if (absl::StatusOr<int> celsius = nvml_->TemperatureC(device); celsius.ok()) {
    result.values.push_back({"temperature_c", static_cast<double>(*celsius)});
    detail += fmt::format(", {} C", *celsius);
  } else {
    note(celsius.status(), "temperature");
  }
  if (!unsupported.empty()) detail += fmt::format(" (not supported here: {})", fmt::join(unsupported, ", "));
  if (!failures.empty()) return finish(false, fmt::format("{}; {}", detail, fmt::join(failures, "; ")));
  return finish(true, std::move(detail));
}

}  // namespace faultdrill::probes
