#include "injectors/cpu_hog.h"

#include <thread>

#include "fmt/format.h"

namespace faultdrill::injectors {

absl::StatusOr<std::unique_ptr<Injector>> CpuHogInjector::Create(const FaultSpec& spec, InjectorContext& context) {
  ParamReader params(spec.params, fmt::format("fault '{}' (cpu-hog)", spec.name));
  if (absl::Status s = params.CheckKnownKeys({"threads", "ready_timeout"}); !s.ok()) return s;
  CpuHogSettings settings;
  settings.name = spec.name;
  settings.active_for = spec.duration;
  auto threads = params.Int("threads", 1, 4096, 0);
  if (!threads.ok()) return threads.status();
  settings.threads = static_cast<int>(*threads);
  auto ready_timeout = params.Dur("ready_timeout", settings.ready_timeout);
  if (!ready_timeout.ok()) return ready_timeout.status();
  settings.ready_timeout = *ready_timeout;
  return std::make_unique<CpuHogInjector>(std::move(settings), context.run);
}

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

absl::Status CpuHogInjector::Apply() {
  if (hog_ != nullptr) return absl::FailedPreconditionError(fmt::format("fault '{}' is already applied", settings_.name));
  auto hog = HogProcess::Start({.fault = settings_.name,
                                .kind = "cpu-hog",
                                .args = {"cpu", "--threads", std::to_string(Threads())},
                                .ready_timeout = settings_.ready_timeout},
                               run_);
  if (!hog.ok()) return hog.status();
  hog_ = std::move(*hog);
  threads_ = hog_->ReadyInt("threads");
  return absl::OkStatus();
}

absl::Status CpuHogInjector::Revert() {
  if (hog_ == nullptr) return absl::OkStatus();
  hog_->Stop();
  hog_.reset();
  return absl::OkStatus();
}

std::map<std::string, int64_t> CpuHogInjector::Counters() const { return {{"threads", threads_}}; }

}  // namespace faultdrill::injectors
