#include "probes/log_follower.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace faultdrill::probes {

namespace {

absl::Status FileError(const std::string& path, int err) {
  if (err == EACCES || err == EPERM) {
    return absl::PermissionDeniedError(fmt::format("cannot read {}: {}", path, std::strerror(err)));
  }
  return absl::UnavailableError(fmt::format("cannot read {}: {}", path, std::strerror(err)));
}

}  // namespace

LogFollower::LogFollower(std::string path) : LogFollower(std::move(path), Options{}) {}

LogFollower::LogFollower(std::string path, Options options, StartAt start)
    : path_(std::move(path)),
      options_{.max_read_bytes = std::max<uint64_t>(options.max_read_bytes, 1),
               .max_line_bytes = std::max<size_t>(options.max_line_bytes, 1)},
      start_(start) {}

LogFollower::~LogFollower() { CloseFile(); }

void LogFollower::CloseFile() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  offset_ = 0;
  partial_.clear();
  skipping_ = false;
}

absl::StatusOr<LogFollower::Progress> LogFollower::Poll(const LineSink& on_line) {
  const bool first_poll = !std::exchange(polled_, true);
  Progress progress;
  uint64_t budget = options_.max_read_bytes;

  struct stat by_name {};
  progress.exists = ::stat(path_.c_str(), &by_name) == 0;
  if (!progress.exists && errno != ENOENT && errno != ENOTDIR) return FileError(path_, errno);

  if (fd_ >= 0) {
    struct stat open_file {};
    const bool replaced = progress.exists && ::fstat(fd_, &open_file) == 0 &&
                          (open_file.st_ino != by_name.st_ino || open_file.st_dev != by_name.st_dev);
    if (replaced) {
      // Rotation: what was written to the old file before it moved away
      // counts too; then the new file is read from its start.
      absl::Status s = ReadOpenFile(budget, progress, on_line);
      FlushPartialLine(on_line);
      CloseFile();
      progress.replaced = true;
      if (!s.ok()) return s;
    }
  }
  if (fd_ < 0) {
    if (!progress.exists) return progress;
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      const int err = errno;
      if (err == ENOENT) {
        progress.exists = false;
        return progress;
      }
      return FileError(path_, err);
    }
    struct stat opened {};
    ::fstat(fd_, &opened);
    // Only lines written after the first poll count.
    offset_ = first_poll && start_ == StartAt::kEnd ? static_cast<uint64_t>(opened.st_size) : 0;
  }

  struct stat now {};
  if (::fstat(fd_, &now) != 0) return FileError(path_, errno);
  if (static_cast<uint64_t>(now.st_size) < offset_) {
    offset_ = 0;
    partial_.clear();
    skipping_ = false;
    progress.truncated = true;
  }
  if (absl::Status s = ReadOpenFile(budget, progress, on_line); !s.ok()) return s;
  if (::fstat(fd_, &now) == 0 && static_cast<uint64_t>(now.st_size) > offset_) {
    progress.bytes_behind = static_cast<uint64_t>(now.st_size) - offset_;
  }
  progress.long_lines = long_lines_;
  return progress;
}

absl::Status LogFollower::ReadOpenFile(uint64_t& budget, Progress& progress, const LineSink& on_line) {
  char buffer[64 << 10];
  while (budget > 0) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(budget, sizeof buffer));
    const ssize_t n = ::pread(fd_, buffer, want, static_cast<off_t>(offset_));
    if (n < 0) {
      if (errno == EINTR) continue;
      return FileError(path_, errno);
    }
    if (n == 0) break;
    offset_ += static_cast<uint64_t>(n);
    budget -= static_cast<uint64_t>(n);
    progress.bytes_read += static_cast<uint64_t>(n);
    Feed(std::string_view(buffer, static_cast<size_t>(n)), on_line);
  }
  return absl::OkStatus();
}

void LogFollower::Feed(std::string_view data, const LineSink& on_line) {
  while (!data.empty()) {
    const size_t newline = data.find('\n');
    const std::string_view piece = data.substr(0, newline);
    if (!skipping_) {
      const size_t room = options_.max_line_bytes - partial_.size();
      partial_.append(piece.data(), std::min(piece.size(), room));
      if (partial_.size() >= options_.max_line_bytes) {
        // A line this long is judged once, on its first max_line_bytes.
        on_line(partial_);
        partial_.clear();
        skipping_ = true;
        ++long_lines_;
      }
    }
    if (newline == std::string_view::npos) return;
    if (!skipping_) on_line(partial_);
    partial_.clear();
    skipping_ = false;
    data.remove_prefix(newline + 1);
  }
}

void LogFollower::FlushPartialLine(const LineSink& on_line) {
  if (!skipping_ && !partial_.empty()) on_line(partial_);
  partial_.clear();
  skipping_ = false;
}

}  // namespace faultdrill::probes
