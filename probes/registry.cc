#include "probes/registry.h"

#include "probes/command_probe.h"
#include "probes/gpu_probe.h"
#include "probes/health_probe.h"
#include "probes/log_probe.h"
#include "probes/process_probe.h"
#include "probes/prometheus_probe.h"
// Probe kinds: one include per kind (keep sorted).

namespace faultdrill::probes {

const Registry& Registry::Default() {
  static const Registry* registry = [] {
    auto* r = new Registry();
    r->Register("command", "runs a program (argument vector) and judges its exit code and output",
                &CommandProbe::Create);
    r->Register("gpu", "memory, utilization and temperature of an NVIDIA GPU (NVML); 'not available' without one",
                &GpuProbe::Create);
    r->Register("health", "the target is live and ready and its model is ready (Open Inference Protocol, gRPC health)",
                &HealthProbe::Create);
    r->Register("log",
                "counts new lines matching patterns (ERROR, FATAL, OOM by default) in a log or the target's output",
                &LogProbe::Create);
    r->Register("process", "RSS, CPU, threads and open files of a process from /proc, with a leak check on RSS",
                &ProcessProbe::Create);
    r->Register("prometheus",
                "scrapes a Prometheus metrics endpoint: selected series, counter rates, histogram quantiles",
                &PrometheusProbe::Create);
    // Probe kinds: one Register per kind (keep sorted).
    return r;
  }();
  return *registry;
}

}  // namespace faultdrill::probes
