#include "injectors/command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace faultdrill::injectors {
namespace fs = std::filesystem;

absl::StatusOr<std::string> FindFaultdrillBinary(const std::string& name) {
  std::vector<fs::path> places;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) places.push_back(self.parent_path());
  if (const char* dir = std::getenv("FAULTDRILL_BIN_DIR"); dir != nullptr && *dir != '\0') places.emplace_back(dir);
  for (const fs::path& dir : places) {
    fs::path candidate = dir / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  if (auto on_path = FindProgram(name); on_path.ok()) return on_path;
  return absl::NotFoundError(fmt::format(
      "{} was found neither next to faultdrill, nor in $FAULTDRILL_BIN_DIR, nor on PATH; build it (ci/build.sh)",
      name));
}

}  // namespace faultdrill::injectors
