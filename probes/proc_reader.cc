#include "probes/proc_reader.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace faultdrill::probes {

namespace {

// Small files of /proc in one read; errno-based status on failure.
absl::StatusOr<std::string> ReadSmallFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT || err == ESRCH) return absl::NotFoundError(fmt::format("{}: no such file", path));
    return absl::PermissionDeniedError(fmt::format("{}: {}", path, std::strerror(err)));
  }
  std::string text;
  char buffer[4096];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      text.append(buffer, static_cast<size_t>(n));
      if (text.size() > (1 << 20)) break;  // a pid file is not this large
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    const int err = errno;
    ::close(fd);
    if (n < 0) {
      if (err == ESRCH) return absl::NotFoundError(fmt::format("{}: the process exited", path));
      return absl::InternalError(fmt::format("{}: {}", path, std::strerror(err)));
    }
    return text;
  }
  ::close(fd);
  return text;
}

template <typename T>
bool ParseNumber(absl::string_view text, T& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

class ProcFsReader final : public ProcReader {
 public:
  ProcFsReader()
      : page_size_(static_cast<uint64_t>(::sysconf(_SC_PAGESIZE))),
        ticks_per_second_(static_cast<double>(::sysconf(_SC_CLK_TCK))) {}

  absl::StatusOr<ProcessSample> Read(int pid) override {
    if (pid <= 0) return absl::NotFoundError(fmt::format("no process {}", pid));
    const std::string dir = fmt::format("/proc/{}", pid);
    absl::StatusOr<std::string> stat = ReadSmallFile(dir + "/stat");
    if (!stat.ok()) {
      if (absl::IsNotFound(stat.status())) return absl::NotFoundError(fmt::format("no process {}", pid));
      return stat.status();
    }
    absl::StatusOr<ProcessSample> sample = ParseProcStat(*stat, page_size_, ticks_per_second_);
    if (!sample.ok()) return sample.status();
    std::error_code ec;
    int64_t files = 0;
    for (std::filesystem::directory_iterator it(dir + "/fd", ec), end; !ec && it != end; it.increment(ec)) ++files;
    if (!ec) sample->open_files = files;
    return sample;
  }

  absl::StatusOr<int> ReadPidFile(const std::string& path) override {
    absl::StatusOr<std::string> text = ReadSmallFile(path);
    if (!text.ok()) {
      if (absl::IsNotFound(text.status())) return absl::NotFoundError(fmt::format("pid file {} does not exist", path));
      return text.status();
    }
    int pid = 0;
    if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(*text), &pid) || pid <= 0) {
      return absl::InvalidArgumentError(fmt::format("pid file {} holds no pid", path));
    }
    return pid;
  }

 private:
  const uint64_t page_size_;
  const double ticks_per_second_;
};

}  // namespace

std::unique_ptr<ProcReader> MakeProcFsReader() { return std::make_unique<ProcFsReader>(); }

absl::StatusOr<ProcessSample> ParseProcStat(std::string_view text, uint64_t page_size, double ticks_per_second) {
  // "PID (COMM) STATE PPID ...": COMM may hold spaces and ')', so the fields
  // start after the last ')'.
  const size_t close = text.rfind(')');
  if (close == std::string_view::npos) return absl::InternalError("unreadable /proc/PID/stat: no ')'");
  std::vector<absl::string_view> fields =
      absl::StrSplit(absl::string_view(text.data() + close + 1, text.size() - close - 1), ' ', absl::SkipEmpty());
  // Counted from the state (field 3 in proc(5)): utime 14, stime 15,
  // num_threads 20, vsize 23, rss 24.
  constexpr size_t kState = 0, kUtime = 11, kStime = 12, kThreads = 17, kVsize = 20, kRss = 21;
  if (fields.size() <= kRss) return absl::InternalError("unreadable /proc/PID/stat: too few fields");
  ProcessSample sample;
  sample.state = fields[kState].empty() ? '?' : fields[kState][0];
  uint64_t utime = 0, stime = 0, vsize = 0;
  int64_t rss_pages = 0;
  absl::string_view rss_text = absl::StripAsciiWhitespace(fields[kRss]);
  if (!ParseNumber(fields[kUtime], utime) || !ParseNumber(fields[kStime], stime) ||
      !ParseNumber(fields[kThreads], sample.threads) || !ParseNumber(fields[kVsize], vsize) ||
      !ParseNumber(rss_text, rss_pages)) {
    return absl::InternalError("unreadable /proc/PID/stat: a field is not a number");
  }
  sample.cpu_seconds = static_cast<double>(utime + stime) / ticks_per_second;
  sample.vm_bytes = vsize;
  sample.rss_bytes = rss_pages > 0 ? static_cast<uint64_t>(rss_pages) * page_size : 0;
  return sample;
}

}  // namespace faultdrill::probes
