// `gpu`: memory, utilisation and temperature of one NVIDIA GPU through NVML
// (libnvidia-ml.so.1, loaded with dlopen at the first check). A machine
// without the library or without a device is "GPU not available": no values,
// and healthy unless `required: true`, so a CPU scenario can keep the probe.
//
//   probes:
//     - {name: gpu0, kind: gpu, device: 0, required: false}
#ifndef FAULTDRILL_PROBES_GPU_PROBE_H_
#define FAULTDRILL_PROBES_GPU_PROBE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/scenario.h"
#include "probes/nvml_library.h"
#include "probes/probe.h"
#include "probes/registry.h"

namespace faultdrill::probes {

struct GpuProbeSettings {
  int device = 0;         // NVML index
  bool required = false;  // unhealthy when no GPU is available
};

// Validates a `kind: gpu` probe's keys (device, required; located errors).
absl::StatusOr<GpuProbeSettings> ParseGpuProbe(const ProbeSpec& spec);

using NvmlLoader = std::function<absl::StatusOr<std::unique_ptr<NvmlLibrary>>()>;

class GpuProbe final : public Probe {
 public:
  // `load` is called once, at the first check (LoadNvml for the real library).
  GpuProbe(GpuProbeSettings settings, NvmlLoader load);

  // kind `gpu`, on the real NVML.
  static absl::StatusOr<std::unique_ptr<Probe>> Create(const ProbeSpec& spec, const ProbeContext& context);

  std::string Describe() const override;
  // memory_used_bytes, memory_total_bytes (bytes), utilization_percent,
  // memory_utilization_percent (%), temperature_c (C). A reading the device
  // does not support is left out.
  std::vector<ValueInfo> Values() const override;
  // healthy: the device answered (or, when no GPU is available, !required).
  ProbeResult Check() override;

 private:
  // Loads and initialises NVML and finds the device, once: a driver or a
  // device does not appear in the middle of a run. The error says why the
  // GPU is not available.
  absl::Status Prepare();

  const GpuProbeSettings settings_;
  const NvmlLoader load_;
  std::unique_ptr<NvmlLibrary> nvml_;
  std::optional<absl::Status> prepared_;  // set by the first Prepare()
  std::string device_name_;
};

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_GPU_PROBE_H_
