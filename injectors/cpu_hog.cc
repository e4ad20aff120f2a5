#include "injectors/cpu_hog.h"

#include <thread>

#include "fmt/format.h"

namespace faultdrill::injectors {

absl::StatusOr<std::unique_ptr<Injector>> CpuHogInjector::Create(const FaultSpec& spec, InjectorContext& context) {
  ParamReader params(spec.params, fmt::format("fault '{}' (cpu-hog)", spec.name));
  if (absl::Status s = params.CheckKnownKeys({"threads", "ready_timeout"}); !s.ok()) return s;
  CpuHogSettings settings;
  auto threads = params.Int("threads", 1, 4096, 0);
  if (!threads.ok()) return threads.status();
  settings.threads = static_cast<int>(*threads);
  if (absl::Status s = ReadHogFault(spec, params, settings); !s.ok()) return s;
  return std::make_unique<CpuHogInjector>(std::move(settings), context.run);
}

CpuHogInjector::CpuHogInjector(CpuHogSettings settings, RunState& run)
    : HogInjector(HogFaultOf(settings, "cpu-hog"), {{.name = "threads", .ready_key = "threads"}}, run),
      settings_(std::move(settings)) {}

int CpuHogInjector::Threads() const {
  if (settings_.threads > 0) return settings_.threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

std::string CpuHogInjector::Describe() const {
  if (settings_.threads == 0) return fmt::format("keep every core busy ({} threads in a helper process)", Threads());
  return fmt::format("keep {} thread{} busy in a helper process", settings_.threads, settings_.threads == 1 ? "" : "s");
}

std::vector<std::string> CpuHogInjector::Touches() const {
  return {fmt::format("CPU: {} busy thread{} (helper process faultdrill-hog)", Threads(), Threads() == 1 ? "" : "s")};
}

absl::StatusOr<std::vector<std::string>> CpuHogInjector::PrepareHelper() {
  return std::vector<std::string>{"cpu", "--threads", std::to_string(Threads())};
}

}  // namespace faultdrill::injectors
