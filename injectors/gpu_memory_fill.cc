#include "injectors/gpu_memory_fill.h"

#include "fmt/format.h"

namespace faultdrill::injectors {
namespace {

std::string Amount(const GpuMemoryFillSettings& settings) {
  return DescribeHogAmount({.bytes = settings.bytes, .fraction = settings.fraction}, "the free memory");
}

}  // namespace

absl::StatusOr<std::unique_ptr<Injector>> GpuMemoryFillInjector::Create(const FaultSpec& spec,
                                                                        InjectorContext& context) {
  ParamReader params(spec.params, fmt::format("fault '{}' (gpu-memory-fill)", spec.name));
  if (absl::Status s = params.CheckKnownKeys({"device", "fraction", "bytes", "ready_timeout"}); !s.ok()) return s;
  GpuMemoryFillSettings settings;
  auto device = params.Int("device", 0, 1023, 0);
  if (!device.ok()) return device.status();
  settings.device = static_cast<int>(*device);
  auto amount = ReadHogAmount(
      params,
      {.fraction_key = "fraction",
       .give_either = "give either `fraction` (of the GPU's free memory, e.g. 0.9 or 90%) or `bytes` (e.g. 8GiB)",
       .out_of_range = "must be greater than zero"});
  if (!amount.ok()) return amount.status();
  settings.bytes = amount->bytes;
  settings.fraction = amount->fraction;
  if (absl::Status s = ReadHogFault(spec, params, settings); !s.ok()) return s;
  return std::make_unique<GpuMemoryFillInjector>(std::move(settings), context.run, &LoadCudaDriver);
}

GpuMemoryFillInjector::GpuMemoryFillInjector(GpuMemoryFillSettings settings, RunState& run,
                                             CudaDriverLoader load_driver)
    : HogInjector(HogFaultOf(settings, "gpu-memory-fill"),
                  {{.name = "bytes_held", .ready_key = "bytes"},
                   {.name = "gpu_free_before_bytes", .ready_key = "free_before"},
                   {.name = "gpu_total_bytes", .ready_key = "total"}},
                  run),
      settings_(std::move(settings)),
      load_driver_(std::move(load_driver)) {}

std::string GpuMemoryFillInjector::Describe() const {
  return fmt::format("take {} of GPU {} (cuMemAlloc in a helper process), free it on revert", Amount(settings_),
                     settings_.device);
}

std::vector<std::string> GpuMemoryFillInjector::Touches() const {
  return {fmt::format("GPU {} (CUDA driver API): {}", settings_.device, Amount(settings_))};
}

std::vector<Need> GpuMemoryFillInjector::MachineNeeds() const {
  std::vector<Need> needs;
  absl::StatusOr<std::unique_ptr<CudaDriver>> driver = load_driver_();
  needs.push_back({"NVIDIA driver (libcuda.so.1)", driver.status()});
  const std::string device = fmt::format("CUDA device {}", settings_.device);
  if (driver.ok()) {
    needs.push_back({device, CheckCudaDevice(**driver, settings_.device)});
  } else {
    needs.push_back({device, absl::FailedPreconditionError("cannot be checked without the NVIDIA driver")});
  }
  return needs;
}

absl::StatusOr<std::vector<std::string>> GpuMemoryFillInjector::PrepareHelper() {
  std::vector<std::string> args = {"gpu", "--device", std::to_string(settings_.device)};
  if (settings_.bytes > 0) {
    args.insert(args.end(), {"--bytes", std::to_string(settings_.bytes)});
  } else {
    args.insert(args.end(), {"--fraction", fmt::format("{:.6f}", settings_.fraction)});
  }
  return args;
}

}  // namespace faultdrill::injectors
