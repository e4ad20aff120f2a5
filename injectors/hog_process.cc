#include "injectors/hog_process.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "fmt/format.h"
#include "injectors/command.h"
#include "injectors/undo.h"

namespace faultdrill::injectors {
namespace {

constexpr std::string_view kErrorPrefix = "faultdrill-hog: ";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<std::string> TemporaryLogFile() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      fmt::format("{}/faultdrill-hog-XXXXXX.log", base != nullptr && *base != '\0' ? base : "/tmp");
  int fd = ::mkstemps(pattern.data(), 4);
  if (fd < 0) return absl::InternalError(fmt::format("cannot create {}: {}", pattern, std::strerror(errno)));
  ::close(fd);
  return pattern;
}

// What a helper's exit status means, as a status with its own message.
absl::Status ExitError(int status, const std::string& fault, std::string_view output) {
  std::string message = LastLine(output);
  if (message.rfind(kErrorPrefix, 0) == 0) message = message.substr(kErrorPrefix.size());
  if (message.empty()) message = "no output";
  if (WIFSIGNALED(status)) {
    return absl::InternalError(
        fmt::format("fault '{}': faultdrill-hog was killed by signal {} ({})", fault, WTERMSIG(status), message));
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::string text = fmt::format("fault '{}': faultdrill-hog exited with status {}: {}", fault, code, message);
  if (code == 3) return absl::FailedPreconditionError(text);
  if (code == 4) return absl::ResourceExhaustedError(text);
  return absl::InternalError(text);
}

}  // namespace

std::optional<std::map<std::string, std::string>> ParseReadyLine(std::string_view output) {
  for (size_t start = 0; start < output.size();) {
    size_t end = output.find('\n', start);
    if (end == std::string_view::npos) return std::nullopt;  // an incomplete line
    std::string_view line = output.substr(start, end - start);
    start = end + 1;
    if (line != "ready" && line.rfind("ready ", 0) != 0) continue;
    std::map<std::string, std::string> values;
    std::istringstream words{std::string(line.substr(5))};
    for (std::string word; words >> word;) {
      size_t eq = word.find('=');
      if (eq != std::string::npos) values[word.substr(0, eq)] = word.substr(eq + 1);
    }
    return values;
  }
  return std::nullopt;
}

std::string LastLine(std::string_view output) {
  while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.remove_suffix(1);
  size_t newline = output.rfind('\n');
  return std::string(newline == std::string_view::npos ? output : output.substr(newline + 1));
}

std::string FileSafeName(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  }
  return out;
}

Need HogBinaryNeed() {
  absl::StatusOr<std::string> binary = FindFaultdrillBinary("faultdrill-hog");
  return Need{"faultdrill-hog (faultdrill's helper process)",
              binary.ok() ? absl::OkStatus() : absl::FailedPreconditionError(std::string(binary.status().message()))};
}

absl::StatusOr<std::unique_ptr<HogProcess>> HogProcess::Start(const HogLaunch& launch, RunState& run) {
  absl::StatusOr<std::string> binary = FindFaultdrillBinary("faultdrill-hog");
  if (!binary.ok()) return binary.status();
  std::unique_ptr<HogProcess> hog(new HogProcess());
  hog->marker_ = fmt::format("faultdrill-hog/{}/{}", ::getpid(), FileSafeName(launch.fault));
  if (run.work_dir().empty()) {
    absl::StatusOr<std::string> log = TemporaryLogFile();
    if (!log.ok()) return log.status();
    hog->log_file_ = *log;
    hog->remove_log_ = true;
  } else {
    hog->log_file_ = fmt::format("{}/{}.hog.log", run.work_dir(), FileSafeName(launch.fault));
    std::remove(hog->log_file_.c_str());  // an earlier run's ready line must not count
  }

  std::vector<std::string> command = {*binary};
  command.insert(command.end(), launch.args.begin(), launch.args.end());
  command.insert(command.end(), {"--marker", hog->marker_, "--parent", std::to_string(::getpid())});
  auto process = LaunchedProcess::Start({.command = command, .log_file = hog->log_file_});
  if (!process.ok()) return process.status();
  hog->process_ = std::move(*process);
  hog->pid_ = hog->process_->pid();

  // The helper dies with faultdrill (PDEATHSIG) until this record is on disk.
  auto recorded = run.journal().RecordUndo(
      launch.fault, launch.kind, MakeStopProcess(hog->pid_, ProcessStartTime(hog->pid_), hog->marker_));
  if (!recorded.ok()) {
    hog->Stop(std::chrono::seconds(1));
    return absl::Status(recorded.status().code(),
                        fmt::format("fault '{}': journal: {} (helper stopped)", launch.fault,
                                    std::string(recorded.status().message())));
  }
  if (absl::Status s = hog->WaitUntilReady(launch.ready_timeout); !s.ok()) {
    hog->Stop(std::chrono::seconds(2));
    if (s.code() == absl::StatusCode::kDeadlineExceeded) return s;
    return ExitError(hog->process_->last_exit_status(), launch.fault, ReadFile(hog->log_file_));
  }
  return hog;
}

absl::Status HogProcess::WaitUntilReady(Duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    // Running() first: output written before the exit is in the file when it is read.
    const bool running = process_->Running();
    if (auto ready = ParseReadyLine(ReadFile(log_file_)); ready && running) {
      ready_ = std::move(*ready);
      return absl::OkStatus();
    }
    if (!running) return absl::AbortedError("the helper exited");
    if (std::chrono::steady_clock::now() >= deadline) {
      return absl::DeadlineExceededError(fmt::format("faultdrill-hog (pid {}) did not get ready within {}; see {}",
                                                     pid_, FormatDuration(timeout), log_file_));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

HogProcess::~HogProcess() {
  Stop();
  if (remove_log_) std::remove(log_file_.c_str());
}

int64_t HogProcess::ReadyInt(const std::string& key) const {
  auto it = ready_.find(key);
  if (it == ready_.end()) return 0;
  int64_t value = 0;
  std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
  return value;
}

std::string HogProcess::ReadyText(const std::string& key) const {
  auto it = ready_.find(key);
  return it == ready_.end() ? "" : it->second;
}

void HogProcess::Stop(Duration grace) {
  if (process_ != nullptr) process_->Stop(grace);
}

}  // namespace faultdrill::injectors
