#include "core/command.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/str_split.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

namespace faultdrill {

namespace {

constexpr size_t kMaxOutput = 64 * 1024;

// A file descriptor closed on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  int get() const { return fd_; }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

absl::StatusOr<Pipe> MakePipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return absl::InternalError(fmt::format("pipe: {}", std::strerror(errno)));
  Pipe pipe;
  pipe.read = UniqueFd(fds[0]);
  pipe.write = UniqueFd(fds[1]);
  return pipe;
}

// Appends, keeping only the last kMaxOutput bytes.
void AppendCapped(std::string& output, const char* data, size_t size) {
  output.append(data, size);
  if (output.size() > 2 * kMaxOutput) output.erase(0, output.size() - kMaxOutput);
}

// Reads what the pipe holds now; false at end of file or on an error.
bool ReadAvailable(int fd, std::string& output) {
  char buffer[16384];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      AppendCapped(output, buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && errno == EAGAIN;
  }
}

// Runs in the forked child: only async-signal-safe calls until execve.
[[noreturn]] void ExecChild(const char* path, char* const argv[], pid_t parent, int stdin_fd, int output_fd,
                            int error_fd) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  ::sigaction(SIGPIPE, &default_action, nullptr);
  if (::dup2(stdin_fd, 0) < 0 || ::dup2(output_fd, 1) < 0 || ::dup2(output_fd, 2) < 0) {
    int err = errno;
    (void)!::write(error_fd, &err, sizeof err);
    ::_exit(127);
  }
  // Descriptors the caller opened without O_CLOEXEC do not leak into the program.
  ::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
  ::execve(path, argv, environ);
  int err = errno;
  (void)!::write(error_fd, &err, sizeof err);
  ::_exit(127);
}

// A descriptor that becomes readable when `pid` exits, or -1 on kernels
// without pidfd_open (then the wait polls).
UniqueFd ExitNotifier(pid_t pid) { return UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))); }

int WaitFor(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

absl::StatusOr<std::string> FindProgram(const std::string& name) {
  if (name.empty()) return absl::InvalidArgumentError("empty program name");
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) != 0) {
      return absl::NotFoundError(fmt::format("cannot execute '{}': {}", name, std::strerror(errno)));
    }
    return name;
  }
  const char* path = std::getenv("PATH");
  const std::string dirs = (path != nullptr && *path != '\0') ? path : "/usr/local/bin:/usr/bin:/bin";
  for (absl::string_view dir : absl::StrSplit(dirs, ':')) {
    std::string candidate = fmt::format("{}/{}", dir.empty() ? "." : std::string(dir), name);
    struct stat info {};
    if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return absl::NotFoundError(fmt::format("'{}' was not found on PATH", name));
}

absl::StatusOr<CommandResult> RunCommand(const std::vector<std::string>& argv, Duration timeout) {
  if (argv.empty()) return absl::InvalidArgumentError("empty command");
  absl::StatusOr<std::string> path = FindProgram(argv[0]);
  if (!path.ok()) return path.status();

  // Everything the child needs is prepared before fork.
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  UniqueFd null_input(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (null_input.get() < 0) return absl::InternalError(fmt::format("/dev/null: {}", std::strerror(errno)));
  absl::StatusOr<Pipe> output = MakePipe();
  if (!output.ok()) return output.status();
  absl::StatusOr<Pipe> exec_error = MakePipe();
  if (!exec_error.ok()) return exec_error.status();

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return absl::InternalError(fmt::format("cannot start '{}': fork: {}", argv[0], std::strerror(errno)));
  if (pid == 0) {
    ExecChild(path->c_str(), args.data(), parent, null_input.get(), output->write.get(), exec_error->write.get());
  }
  ::setpgid(pid, pid);  // also in the child: whichever runs first
  output->write.Reset();
  exec_error->write.Reset();

  // The error pipe closes at a successful exec; an errno arrives otherwise.
  int exec_errno = 0;
  ssize_t got;
  while ((got = ::read(exec_error->read.get(), &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
  }
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    WaitFor(pid);
    return absl::NotFoundError(fmt::format("cannot execute '{}': {}", *path, std::strerror(exec_errno)));
  }

  ::fcntl(output->read.get(), F_SETFL, O_NONBLOCK);
  UniqueFd exited = ExitNotifier(pid);
  CommandResult result;
  bool output_open = true;
  bool timed_out = false;
  int status = 0;
  while (true) {
    int reaped = ::waitpid(pid, &status, WNOHANG);
    if (reaped == pid) break;
    if (reaped < 0 && errno == ECHILD) {  // reaped elsewhere (SIGCHLD ignored): the exit code is lost
      status = -1;
      break;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
      status = WaitFor(pid);
      timed_out = true;
      break;
    }
    pollfd watched[2] = {{.fd = output_open ? output->read.get() : -1, .events = POLLIN, .revents = 0},
                         {.fd = exited.get(), .events = POLLIN, .revents = 0}};
    // Without a pidfd, exit is noticed by polling every 10 ms.
    const int wait_ms = exited.get() >= 0 ? static_cast<int>(std::min<int64_t>(left.count() + 1, 1000)) : 10;
    if (::poll(watched, 2, wait_ms) < 0 && errno != EINTR) ::usleep(10'000);
    if (output_open && (watched[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      output_open = ReadAvailable(output->read.get(), result.output);
    }
  }
  // What the program wrote before it ended; children it left behind holding
  // the pipe open do not keep us waiting (the pipe is non-blocking).
  if (output_open) ReadAvailable(output->read.get(), result.output);
  if (result.output.size() > kMaxOutput) result.output.erase(0, result.output.size() - kMaxOutput);

  if (timed_out) {
    return absl::DeadlineExceededError(fmt::format("'{}' did not finish within {}", argv[0], FormatDuration(timeout)));
  }
  result.exit_code = (status >= 0 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace faultdrill
