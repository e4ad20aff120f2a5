#include "injectors/hog/disk_filler.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "fmt/format.h"

namespace faultdrill::hog {
namespace {

class DiskFiller final : public Hold {
 public:
  DiskFiller(std::string file, int fd, uint64_t bytes, double used_fraction)
      : file_(std::move(file)), fd_(fd), bytes_(bytes), used_fraction_(used_fraction) {}
  ~DiskFiller() override {
    ::unlink(file_.c_str());
    ::close(fd_);
  }

  std::string Describe() const override {
    return fmt::format("file={} bytes={} used_percent={:.2f}", file_, bytes_, used_fraction_ * 100);
  }

 private:
  const std::string file_;
  const int fd_;
  const uint64_t bytes_;
  const double used_fraction_;
};

// Gives `fd` `bytes` of real blocks: fallocate, else zeros written.
absl::Status Allocate(int fd, uint64_t bytes) {
  if (bytes == 0) return absl::OkStatus();
  if (::fallocate(fd, 0, 0, static_cast<off_t>(bytes)) == 0) return absl::OkStatus();
  if (errno != EOPNOTSUPP && errno != ENOSYS) {
    return errno == ENOSPC ? absl::ResourceExhaustedError(fmt::format("fallocate {} bytes: no space left", bytes))
                           : absl::InternalError(fmt::format("fallocate {} bytes: {}", bytes, std::strerror(errno)));
  }
  const std::vector<char> zeros(1 << 20, 0);
  for (uint64_t written = 0; written < bytes;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(zeros.size(), bytes - written));
    ssize_t w = ::write(fd, zeros.data(), n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      return errno == ENOSPC ? absl::ResourceExhaustedError(fmt::format("writing {} bytes: no space left", bytes))
                             : absl::InternalError(fmt::format("writing {} bytes: {}", bytes, std::strerror(errno)));
    }
    written += static_cast<uint64_t>(w);
  }
  if (::fdatasync(fd) != 0) return absl::InternalError(fmt::format("fdatasync: {}", std::strerror(errno)));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Hold>> FillDisk(const std::string& file, const injectors::DiskFillRequest& request,
                                               injectors::FilesystemStats& stats) {
  std::string folder = std::filesystem::path(file).parent_path().string();
  if (folder.empty()) folder = ".";
  absl::StatusOr<uint64_t> bytes = injectors::PlanDiskFill(stats, folder, request);
  if (!bytes.ok()) return bytes.status();
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::FailedPreconditionError(fmt::format("cannot create {}: {}", file, std::strerror(errno)));
  }
  if (absl::Status s = Allocate(fd, *bytes); !s.ok()) {
    ::unlink(file.c_str());
    ::close(fd);
    return s;
  }
  absl::StatusOr<injectors::FilesystemUsage> after = stats.Usage(folder);
  return std::make_unique<DiskFiller>(file, fd, *bytes, after.ok() ? after->UsedFraction() : 0.0);
}

}  // namespace faultdrill::hog
