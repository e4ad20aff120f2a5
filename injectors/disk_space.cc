#include "injectors/disk_space.h"

#include <cerrno>
#include <cmath>
#include <cstring>

#include "fmt/format.h"

namespace faultdrill::injectors {

double FilesystemUsage::UsedFraction() const {
  if (capacity_bytes() == 0) return 0;
  return static_cast<double>(used_bytes) / static_cast<double>(capacity_bytes());
}

FilesystemUsage UsageFromStatvfs(const struct statvfs& stats) {
  const uint64_t block = stats.f_frsize != 0 ? stats.f_frsize : stats.f_bsize;
  const uint64_t used_blocks = stats.f_blocks >= stats.f_bfree ? stats.f_blocks - stats.f_bfree : 0;
  return FilesystemUsage{used_blocks * block, static_cast<uint64_t>(stats.f_bavail) * block};
}

absl::StatusOr<FilesystemUsage> StatvfsFilesystemStats::Usage(const std::string& path) {
  struct statvfs stats {};
  if (::statvfs(path.c_str(), &stats) != 0) {
    return absl::FailedPreconditionError(fmt::format("statvfs {}: {}", path, std::strerror(errno)));
  }
  return UsageFromStatvfs(stats);
}

absl::StatusOr<uint64_t> BytesToFill(const FilesystemUsage& usage, const DiskFillRequest& request) {
  if ((request.fill_fraction > 0) == (request.bytes > 0)) {
    return absl::InvalidArgumentError("give either a fill fraction or a number of bytes");
  }
  if (request.max_fraction <= 0 || request.max_fraction > kMaxDiskFillFraction) {
    return absl::InvalidArgumentError(
        fmt::format("the most a filesystem may be filled is {:g}%", kMaxDiskFillFraction * 100));
  }
  if (request.fill_fraction > request.max_fraction) {
    return absl::InvalidArgumentError(fmt::format("fill {:g}% is beyond the limit of {:g}%",
                                                  request.fill_fraction * 100, request.max_fraction * 100));
  }
  if (usage.capacity_bytes() == 0) {
    return absl::InvalidArgumentError("the filesystem has no capacity to fill (a pseudo filesystem?)");
  }
  const long double capacity = usage.capacity_bytes();
  const long double limit = std::floor(capacity * request.max_fraction);
  if (request.bytes > 0) {
    if (usage.used_bytes + static_cast<long double>(request.bytes) > limit) {
      return absl::ResourceExhaustedError(fmt::format(
          "{} bytes would fill the filesystem beyond {:g}% (it is {:.1f}% used, {} bytes available)", request.bytes,
          request.max_fraction * 100, usage.UsedFraction() * 100, usage.available_bytes));
    }
    return request.bytes;
  }
  const long double target = std::ceil(capacity * request.fill_fraction);
  if (target <= usage.used_bytes) return 0;
  return static_cast<uint64_t>(target - usage.used_bytes);
}

absl::StatusOr<uint64_t> PlanDiskFill(FilesystemStats& stats, const std::string& path,
                                      const DiskFillRequest& request) {
  absl::StatusOr<FilesystemUsage> usage = stats.Usage(path);
  if (!usage.ok()) return usage.status();
  return BytesToFill(*usage, request);
}

}  // namespace faultdrill::injectors
