#include "injectors/registry.h"

#include "injectors/clock_skew.h"
#include "injectors/container_kill.h"
#include "injectors/corrupt_weights.h"
#include "injectors/cpu_hog.h"
#include "injectors/disk_fill.h"
#include "injectors/gpu_memory_fill.h"
#include "injectors/grpc_fault.h"
#include "injectors/memory_hog.h"
#include "injectors/network_bandwidth.h"
#include "injectors/network_latency.h"
#include "injectors/network_loss.h"
#include "injectors/network_partition.h"
#include "injectors/poison_inputs.h"
#include "injectors/pod_kill.h"
#include "injectors/process_kill.h"
#include "injectors/process_pause.h"

namespace faultdrill::injectors {

const Registry& Registry::Default() {
  static const Registry* registry = [] {
    auto* r = new Registry();
    r->Register("corrupt-weights", "flip bits in, zero, truncate or scale a weights file (backed up), optionally reload",
                &CorruptWeightsInjector::Create);
    r->Register("poison-inputs", "replace a fraction of the load's requests with malformed ones, check the answers",
                &PoisonInputsInjector::Create);
    r->Register("cpu-hog", "keep N threads busy (default: one per core) in a helper process", &CpuHogInjector::Create);
    r->Register("memory-hog", "hold bytes (or a percent of available memory) resident in a helper process",
                &MemoryHogInjector::Create);
    r->Register("disk-fill", "fill a folder's filesystem to a percent used (or by bytes) with one file, removed on revert",
                &DiskFillInjector::Create);
    r->Register("gpu-memory-fill", "take a fraction (or bytes) of a GPU's free memory (CUDA driver API, dlopen)",
                &GpuMemoryFillInjector::Create);
    r->Register("network-latency", "add delay (± jitter) to an interface (tc netem) or to calls through the fault proxy",
                &CreateNetworkLatency);
    r->Register("network-loss", "drop a fraction of an interface's packets (netem) or reset/blackhole calls (proxy)",
                &CreateNetworkLoss);
    r->Register("network-bandwidth", "limit an interface's throughput (tc tbf) or the calls' bytes per second (proxy)",
                &CreateNetworkBandwidth);
    r->Register("network-partition", "drop every packet of an interface (netem) or blackhole every call (proxy)",
                &CreateNetworkPartition);
    r->Register("grpc-fault", "delay, abort, deadline, reset, blackhole, throttle or corrupt gRPC calls (fault proxy)",
                &GrpcFaultInjector::Create);
    r->Register("process-kill",
                "send a signal (default SIGKILL) to the launched target (or a pid, pid file or process name "
                "the scenario names), optionally restart it",
                &ProcessKillInjector::Create);
    r->Register("process-pause",
                "SIGSTOP the launched target (or a pid, pid file or process name the scenario names) for a while, "
                "then SIGCONT",
                &ProcessPauseInjector::Create);
    r->Register("clock-skew", "skew the launched target's wall clock by an offset or a rate (libfaketime)",
                &ClockSkewInjector::Create);
    r->Register("pod-kill", "delete Kubernetes pods matching a label selector (kubectl)", &PodKillInjector::Create);
    r->Register("container-kill", "signal Docker containers chosen by label or name (docker kill)",
                &ContainerKillInjector::Create);
    return r;
  }();
  return *registry;
}

}  // namespace faultdrill::injectors
