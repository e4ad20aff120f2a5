// Files and folders for tests: where the built binaries are, a temporary
// folder removed with everything in it, reading a whole file.
#ifndef FAULTDRILL_TESTS_COMMON_FILES_H_
#define FAULTDRILL_TESTS_COMMON_FILES_H_

#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace faultdrill::testing {

// The folder holding the built binaries: $FAULTDRILL_BIN_DIR (set by
// faultdrill_add_test), else "build".
inline std::string BinDir() {
  const char* dir = std::getenv("FAULTDRILL_BIN_DIR");
  return dir != nullptr && *dir != '\0' ? dir : "build";
}

// A fresh folder under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                          "/faultdrill-test-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Empty if the folder could not be made.
  const std::string& path() const { return path_; }
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }

  // The names in the folder, sorted.
  std::vector<std::string> Entries() const {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(path_)) out.push_back(entry.path().filename());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  std::string path_;
};

// The whole file, or "" when it cannot be read.
inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_COMMON_FILES_H_
