// How much to write so that a filesystem reaches a given fill level: the
// arithmetic of `disk-fill`, apart from the file system (a FilesystemStats
// seam) so that it is tested with numbers.
#ifndef FAULTDRILL_INJECTORS_DISK_SPACE_H_
#define FAULTDRILL_INJECTORS_DISK_SPACE_H_

#include <sys/statvfs.h>

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace faultdrill::injectors {

// A filesystem's space as `df` counts it: `used` by anyone, `available` to
// ordinary writers (root's reserve is in neither). UsedFraction() is df's
// "Use%" as a fraction; writing N bytes moves N from available to used.
struct FilesystemUsage {
  uint64_t used_bytes = 0;
  uint64_t available_bytes = 0;

  uint64_t capacity_bytes() const { return used_bytes + available_bytes; }
  double UsedFraction() const;
};

// The usage statvfs(2) reports.
FilesystemUsage UsageFromStatvfs(const struct statvfs& stats);

class FilesystemStats {
 public:
  virtual ~FilesystemStats() = default;
  // The usage of the filesystem that holds `path`.
  virtual absl::StatusOr<FilesystemUsage> Usage(const std::string& path) = 0;
};

// statvfs(2).
class StatvfsFilesystemStats final : public FilesystemStats {
 public:
  absl::StatusOr<FilesystemUsage> Usage(const std::string& path) override;
};

// What to fill: exactly one of `fill_fraction` (fill until this fraction of
// the filesystem is used) and `bytes` is set (non-zero). The filesystem is
// never filled beyond `max_fraction`.
struct DiskFillRequest {
  double fill_fraction = 0;
  uint64_t bytes = 0;
  double max_fraction = 0.99;
};

// The most disk-fill ever fills a filesystem: a full filesystem breaks far more
// than the drill's target (logs, journals, the drill's own reports).
inline constexpr double kMaxDiskFillFraction = 0.99;

// How many bytes to write for `request`: 0 when the filesystem is already at
// least as full as asked. InvalidArgument for a bad request or a filesystem
// without capacity (a pseudo filesystem); ResourceExhausted when `bytes` does
// not fit below `max_fraction`.
absl::StatusOr<uint64_t> BytesToFill(const FilesystemUsage& usage, const DiskFillRequest& request);

// BytesToFill for the filesystem of `path`.
absl::StatusOr<uint64_t> PlanDiskFill(FilesystemStats& stats, const std::string& path,
                                      const DiskFillRequest& request);

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_DISK_SPACE_H_
