// faultdrill-test-leaker: a stand-in for a service that leaks memory (or does
// not), for the process probe's leak test.
//
//   faultdrill-test-leaker leak SECONDS     touches 4 MiB more every 50 ms (up to 256 MiB)
//   faultdrill-test-leaker steady SECONDS   touches 16 MiB once and keeps it
//
// Exits after SECONDS, or at once when its parent dies.
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr size_t kStep = 4 << 20;
constexpr size_t kCap = 256 << 20;
constexpr size_t kSteady = 16 << 20;

// Writes one byte per page so that every page becomes resident (the stores are
// volatile: they cannot be optimised away).
std::unique_ptr<char[]> Touched(size_t bytes) {
  auto block = std::make_unique<char[]>(bytes);
  volatile char* p = block.get();
  for (size_t i = 0; i < bytes; i += 4096) p[i] = 1;
  return block;
}

}  // namespace

int main(int argc, char** argv) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (argc != 3 || (std::string(argv[1]) != "leak" && std::string(argv[1]) != "steady")) {
    std::fprintf(stderr, "usage: %s leak|steady SECONDS\n", argv[0]);
    return 2;
  }
  const bool leak = std::string(argv[1]) == "leak";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(std::atof(argv[2]));
  std::vector<std::unique_ptr<char[]>> blocks;
  size_t held = 0;
  if (!leak) {
    blocks.push_back(Touched(kSteady));
    held = kSteady;
  }
  while (std::chrono::steady_clock::now() < deadline) {
    if (leak && held + kStep <= kCap) {
      blocks.push_back(Touched(kStep));
      held += kStep;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::printf("held %zu bytes\n", held);
  return 0;
}
