#include "injectors/hog/memory_holder.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "fmt/format.h"

namespace faultdrill::hog {
namespace {

class MemoryHolder final : public Hold {
 public:
  MemoryHolder(unsigned char* memory, uint64_t bytes)
      : memory_(memory), bytes_(bytes), page_(static_cast<uint64_t>(::sysconf(_SC_PAGESIZE))) {
    // Each page gets its own value, so that no page can be shared (KSM, the
    // zero page) and every one counts as resident.
    for (uint64_t offset = 0, page = 0; offset < bytes_; offset += page_, ++page) {
      memory_[offset] = static_cast<unsigned char>(page | 1);
    }
  }
  ~MemoryHolder() override { ::munmap(memory_, bytes_); }

  std::string Describe() const override { return fmt::format("bytes={}", bytes_); }

  void Refresh() override {
    for (uint64_t offset = 0; offset < bytes_; offset += page_) {
      volatile unsigned char* byte = memory_ + offset;
      *byte = static_cast<unsigned char>(*byte + 2);
    }
  }

 private:
  unsigned char* const memory_;
  const uint64_t bytes_;
  const uint64_t page_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Hold>> HoldMemory(uint64_t bytes) {
  if (bytes == 0) return absl::InvalidArgumentError("--bytes must be greater than zero");
  std::ofstream("/proc/self/oom_score_adj") << "1000";  // best effort
  void* memory = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) {
    return absl::ResourceExhaustedError(fmt::format("cannot map {} bytes: {}", bytes, std::strerror(errno)));
  }
  return std::make_unique<MemoryHolder>(static_cast<unsigned char*>(memory), bytes);
}

}  // namespace faultdrill::hog
