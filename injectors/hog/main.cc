// faultdrill-hog: the helper process of cpu-hog, memory-hog, disk-fill and
// gpu-memory-fill (see hold.h). Its contract with the injectors
// (injectors/hog_process.h):
//   - one line "ready KEY=VALUE ..." on stdout once the resource is held;
//   - on SIGTERM or SIGINT it gives the resource back (frees, removes the
//     file) and exits 0; it gets SIGTERM too when its parent dies
//     (PR_SET_PDEATHSIG), and exits at once when the parent is already gone;
//   - on failure one line "faultdrill-hog: ERROR" on stderr and exit 2 (usage),
//     3 (the machine lacks something: no NVIDIA driver, no CUDA device, a
//     folder that is not there), 4 (the resource is not there to take) or 1.
//   - `--marker TEXT` is only kept in argv, so that an undo step can tell
//     this process from a later one with the same pid.
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "injectors/cuda_driver.h"
#include "injectors/disk_space.h"
#include "injectors/hog/cpu_burner.h"
#include "injectors/hog/disk_filler.h"
#include "injectors/hog/gpu_memory_holder.h"
#include "injectors/hog/memory_holder.h"

namespace {

using faultdrill::hog::Hold;

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "faultdrill-hog: %s\n", std::string(status.message()).c_str());
  std::fflush(stderr);
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument: return 2;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kNotFound: return 3;
    case absl::StatusCode::kResourceExhausted: return 4;
    default: return 1;
  }
}

// SIGTERM and SIGINT, blocked in every thread (threads inherit the mask) and
// taken only by the main thread with sigtimedwait: no async handler runs.
sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

// True once a stop signal arrived; waits up to a second for one.
bool WaitForStop(const sigset_t& signals) {
  timespec second{1, 0};
  return ::sigtimedwait(&signals, nullptr, &second) > 0;
}

// SIGTERM when the parent dies. False when it is already gone: `parent` is
// the pid the injector passed (0: any parent but init will do).
bool WatchParent(pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  const pid_t now = ::getppid();
  return parent > 0 ? now == parent : now != 1;
}

int HoldUntilStopped(absl::StatusOr<std::unique_ptr<Hold>> hold, const sigset_t& signals) {
  if (!hold.ok()) return Fail(hold.status());
  std::printf("ready %s\n", (*hold)->Describe().c_str());
  std::fflush(stdout);
  while (!WaitForStop(signals)) (*hold)->Refresh();
  hold->reset();
  std::printf("released\n");
  std::fflush(stdout);
  return 0;
}

int GpuInfo(int device) {
  auto driver = faultdrill::injectors::LoadCudaDriver();
  if (!driver.ok()) return Fail(driver.status());
  if (absl::Status s = faultdrill::injectors::CheckCudaDevice(**driver, device); !s.ok()) return Fail(s);
  absl::StatusOr<std::string> name = (*driver)->DeviceName(device);
  if (!name.ok()) return Fail(name.status());
  if (absl::Status s = (*driver)->UseDevice(device); !s.ok()) return Fail(s);
  auto memory = (*driver)->MemoryInfo();
  if (!memory.ok()) return Fail(memory.status());
  std::printf("device=%d free=%llu total=%llu name=%s\n", device, static_cast<unsigned long long>(memory->free_bytes),
              static_cast<unsigned long long>(memory->total_bytes), name->c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Taken with sigtimedwait below, even if the parent ignored them.
  const sigset_t signals = StopSignals();
  ::signal(SIGTERM, SIG_DFL);
  ::signal(SIGINT, SIG_DFL);
  ::sigprocmask(SIG_BLOCK, &signals, nullptr);

  CLI::App app{"faultdrill-hog: holds CPU, memory, disk space or GPU memory for a faultdrill fault until SIGTERM",
               "faultdrill-hog"};
  app.require_subcommand(1);
  std::string marker;
  pid_t parent = 0;
  auto common = [&](CLI::App* command) {
    command->add_option("--marker", marker, "Kept in argv so that faultdrill recognises this process");
    command->add_option("--parent", parent, "Exit at once unless this pid is the parent");
  };

  int threads = 0;
  auto* cpu = app.add_subcommand("cpu", "Keep N threads busy");
  cpu->add_option("--threads", threads, "Busy threads")->required();
  common(cpu);

  uint64_t memory_bytes = 0;
  auto* memory = app.add_subcommand("memory", "Hold memory resident, every page touched");
  memory->add_option("--bytes", memory_bytes, "Bytes to hold")->required();
  common(memory);

  std::string file;
  double fill_percent = 0;
  faultdrill::injectors::DiskFillRequest disk_request;
  double max_percent = faultdrill::injectors::kMaxDiskFillFraction * 100;
  auto* disk = app.add_subcommand("disk", "Fill the filesystem of a file (removed on exit)");
  disk->add_option("--file", file, "The file to create (must not exist)")->required();
  auto* by_percent = disk->add_option("--fill-percent", fill_percent, "Fill the filesystem to this percent used");
  auto* by_bytes = disk->add_option("--bytes", disk_request.bytes, "Write this many bytes");
  by_percent->excludes(by_bytes);
  disk->add_option("--max-percent", max_percent, "Never fill beyond this percent used");
  common(disk);

  faultdrill::hog::GpuFillRequest gpu_request;
  auto* gpu = app.add_subcommand("gpu", "Hold a share of a GPU's free memory (cuMemAlloc)");
  gpu->add_option("--device", gpu_request.device, "CUDA device ordinal");
  auto* by_fraction = gpu->add_option("--fraction", gpu_request.fraction, "Fraction of the free memory, (0, 1]");
  auto* gpu_bytes = gpu->add_option("--bytes", gpu_request.bytes, "Bytes");
  by_fraction->excludes(gpu_bytes);
  common(gpu);

  int info_device = 0;
  auto* gpu_info = app.add_subcommand("gpu-info", "Print a GPU's free and total memory");
  gpu_info->add_option("--device", info_device, "CUDA device ordinal");
  common(gpu_info);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  if (!WatchParent(parent)) return Fail(absl::AbortedError("the parent process is gone"));
  if (*gpu_info) return GpuInfo(info_device);
  if (*cpu) return HoldUntilStopped(faultdrill::hog::BurnCpu(threads), signals);
  if (*memory) return HoldUntilStopped(faultdrill::hog::HoldMemory(memory_bytes), signals);
  if (*disk) {
    if (by_percent->count() + by_bytes->count() != 1) {
      return Fail(absl::InvalidArgumentError("disk: give --fill-percent or --bytes"));
    }
    disk_request.fill_fraction = fill_percent / 100;
    disk_request.max_fraction = max_percent / 100;
    faultdrill::injectors::StatvfsFilesystemStats stats;
    return HoldUntilStopped(faultdrill::hog::FillDisk(file, disk_request, stats), signals);
  }
  if (by_fraction->count() + gpu_bytes->count() != 1) {
    return Fail(absl::InvalidArgumentError("gpu: give --fraction or --bytes"));
  }
  auto driver = faultdrill::injectors::LoadCudaDriver();
  if (!driver.ok()) return Fail(driver.status());
  return HoldUntilStopped(faultdrill::hog::HoldGpuMemory(std::move(*driver), gpu_request), signals);
}
