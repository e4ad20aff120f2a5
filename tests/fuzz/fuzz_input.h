// Helpers shared by the libFuzzer harnesses in tests/fuzz/.
#ifndef FAULTDRILL_TESTS_FUZZ_FUZZ_INPUT_H_
#define FAULTDRILL_TESTS_FUZZ_FUZZ_INPUT_H_

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"

namespace faultdrill::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// The input split at its first NUL byte: (before, after); after is empty
// when there is none. Lets one input carry two parts (a file and its
// sidecar, a scenario and a --set override) while staying plain text.
inline std::pair<std::string_view, std::string_view> SplitAtNul(std::string_view text) {
  const size_t nul = text.find('\0');
  if (nul == std::string_view::npos) return {text, {}};
  return {text.substr(0, nul), text.substr(nul + 1)};
}

// A folder of this process's own, in memory when /dev/shm exists (the
// harnesses that need files write one per input), removed at exit.
inline const std::string& ScratchDir() {
  // Never destroyed: the exit handler that removes the folder runs after
  // static destructors would have.
  static const std::string* const dir = [] {
    const std::string base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
    auto* path = new std::string(base + "/faultdrill-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(*path);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(ScratchDir(), ec);
    });
    return path;
  }();
  return *dir;
}

// Whether an error's message starts with `prefix` (where it is located).
inline bool MessageStartsWith(const absl::Status& status, std::string_view prefix) {
  return std::string_view(status.message().data(), status.message().size()).starts_with(prefix);
}

// Stops the fuzzer with a crash it reports: a broken property, not bad input.
[[noreturn]] inline void PropertyBroken(const char* what) {
  std::fprintf(stderr, "property broken: %s\n", what);
  std::abort();
}

}  // namespace faultdrill::fuzz

#endif  // FAULTDRILL_TESTS_FUZZ_FUZZ_INPUT_H_
