#include "injectors/existing_process.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string_view>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "injectors/undo.h"

namespace faultdrill::injectors {
namespace {

namespace fs = std::filesystem;

std::string ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string CommandName(pid_t pid) {
  std::string comm = ReadSmallFile(absl::StrCat("/proc/", pid, "/comm"));
  while (!comm.empty() && comm.back() == '\n') comm.pop_back();
  return comm;
}

// argv[0] of `pid`; empty for kernel threads (and processes gone meanwhile).
std::string FirstArgument(pid_t pid) {
  const std::string cmdline = ReadSmallFile(absl::StrCat("/proc/", pid, "/cmdline"));
  return cmdline.substr(0, cmdline.find('\0'));
}

std::optional<pid_t> ParsePid(std::string_view text) {
  pid_t pid = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (error != std::errc() || end != text.data() + text.size() || pid <= 0) return std::nullopt;
  return pid;
}

}  // namespace

bool IsSameLiveProcess(pid_t pid, uint64_t start_time) {
  if (pid <= 0 || start_time == 0) return false;
  const char state = ProcessState(pid);
  if (state == 0 || state == 'Z' || state == 'X') return false;
  return ProcessStartTime(pid) == start_time;
}

absl::StatusOr<std::unique_ptr<ExistingProcess>> ExistingProcess::Attach(pid_t pid) {
  if (pid == 1) return absl::FailedPreconditionError("refusing to act on pid 1 (init)");
  if (pid == ::getpid()) {
    return absl::FailedPreconditionError(absl::StrCat("pid ", pid, " is faultdrill itself"));
  }
  const uint64_t start_time = ProcessStartTime(pid);
  if (pid <= 0 || start_time == 0 || !IsSameLiveProcess(pid, start_time)) {
    return absl::NotFoundError(absl::StrCat("there is no running process with pid ", pid));
  }
  return std::unique_ptr<ExistingProcess>(new ExistingProcess(pid, start_time, CommandName(pid)));
}

pid_t ExistingProcess::pid() const { return IsSameLiveProcess(pid_, start_time_) ? pid_ : 0; }

bool ExistingProcess::Running() { return IsSameLiveProcess(pid_, start_time_); }

absl::Status ExistingProcess::Signal(int signal) {
  if (!Running()) {
    return absl::FailedPreconditionError(absl::StrCat(name_, " (pid ", pid_, ") is not running"));
  }
  if (::kill(pid_, signal) != 0) {
    const int error = errno;
    if (error == EPERM) {
      return absl::PermissionDeniedError(absl::StrCat("not allowed to signal ", name_, " (pid ", pid_,
                                                      "): it belongs to another user; run faultdrill as that user"));
    }
    if (error == ESRCH) return absl::FailedPreconditionError(absl::StrCat(name_, " (pid ", pid_, ") has exited"));
    return absl::InternalError(absl::StrCat("kill(", pid_, ", ", signal, "): ", std::strerror(error)));
  }
  return absl::OkStatus();
}

absl::Status ExistingProcess::WaitForExit(Duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Running()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat(name_, " (pid ", pid_, ") did not exit within ",
                                                      FormatDuration(timeout)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return absl::OkStatus();
}

absl::Status ExistingProcess::Restart() {
  return absl::FailedPreconditionError(
      absl::StrCat(name_, " (pid ", pid_, "): faultdrill did not start it; cannot restart"));
}

std::vector<pid_t> FindProcessesByName(const std::string& name) {
  std::vector<pid_t> found;
  if (name.empty()) return found;
  const pid_t self = ::getpid();
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc", error)) {
    const std::optional<pid_t> pid = ParsePid(entry.path().filename().string());
    if (!pid || *pid == self) continue;
    const std::string argv0 = FirstArgument(*pid);
    if (argv0.empty()) continue;  // a kernel thread, or gone
    const char state = ProcessState(*pid);
    if (state == 0 || state == 'Z' || state == 'X') continue;
    // The kernel keeps at most 15 characters of the command name.
    const bool comm_matches = CommandName(*pid) == name.substr(0, 15);
    const bool argv0_matches = fs::path(argv0).filename().string() == name;
    if (comm_matches || argv0_matches) found.push_back(*pid);
  }
  std::sort(found.begin(), found.end());
  return found;
}

absl::StatusOr<pid_t> ReadPidFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read pid file ", path));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string trimmed(absl::StripAsciiWhitespace(text));
  const std::optional<pid_t> pid = ParsePid(trimmed);
  if (!pid) return absl::InvalidArgumentError(absl::StrCat("pid file ", path, " holds no pid"));
  return *pid;
}

}  // namespace faultdrill::injectors
