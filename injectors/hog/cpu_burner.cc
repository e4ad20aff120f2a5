#include "injectors/hog/cpu_burner.h"

#include <atomic>
#include <stop_token>
#include <thread>
#include <vector>

#include "fmt/format.h"

namespace faultdrill::hog {
namespace {

class CpuBurner final : public Hold {
 public:
  explicit CpuBurner(int threads) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back(&CpuBurner::Spin);
  }
  // jthread's destructor asks each thread to stop and joins it.
  ~CpuBurner() override = default;

  std::string Describe() const override { return fmt::format("threads={}", threads_.size()); }

 private:
  static void Spin(std::stop_token stop) {
    // Arithmetic the compiler cannot drop, with a stop check every ~100 µs.
    std::atomic<uint64_t> sink{1};
    uint64_t x = 1;
    while (!stop.stop_requested()) {
      for (int i = 0; i < 100000; ++i) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      sink.store(x, std::memory_order_relaxed);
    }
  }

  std::vector<std::jthread> threads_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Hold>> BurnCpu(int threads) {
  if (threads < 1 || threads > 4096) {
    return absl::InvalidArgumentError(fmt::format("--threads must be between 1 and 4096, got {}", threads));
  }
  return std::make_unique<CpuBurner>(threads);
}

}  // namespace faultdrill::hog
