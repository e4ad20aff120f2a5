#include "injectors/launched_process.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "injectors/command.h"

namespace faultdrill::injectors {
namespace bp = boost::process;

namespace {

// This process's environment with `extra` set on top ("KEY=VALUE" each).
std::vector<std::string> ChildEnvironment(const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::string> entries;
  for (char** e = ::environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    std::string_view key = entry.substr(0, entry.find('='));
    bool replaced = std::any_of(extra.begin(), extra.end(), [&](const auto& kv) { return kv.first == key; });
    if (!replaced) entries.emplace_back(entry);
  }
  for (const auto& [key, value] : extra) entries.push_back(key + "=" + value);
  return entries;
}

}  // namespace

absl::StatusOr<std::unique_ptr<LaunchedProcess>> LaunchedProcess::Start(LaunchOptions options) {
  if (options.command.empty()) return absl::InvalidArgumentError("launch: empty command");
  auto path = FindProgram(options.command[0]);
  if (!path.ok()) return path.status();
  std::unique_ptr<LaunchedProcess> process(new LaunchedProcess(std::move(options)));
  process->resolved_path_ = *path;
  absl::MutexLock lock(&process->mu_);
  if (absl::Status s = process->Spawn(); !s.ok()) return s;
  return process;
}

LaunchedProcess::~LaunchedProcess() { Stop(std::chrono::seconds(5)); }

std::string LaunchedProcess::name() const {
  std::string base = options_.command[0];
  if (auto slash = base.rfind('/'); slash != std::string::npos) base = base.substr(slash + 1);
  return base;
}

pid_t LaunchedProcess::pid() const {
  absl::MutexLock lock(&mu_);
  return pid_;
}

int LaunchedProcess::last_exit_status() const {
  absl::MutexLock lock(&mu_);
  return last_exit_status_;
}

// Spawning runs on a short-lived thread that waits for the child: PR_SET_PDEATHSIG
// fires when the *thread* that forked exits, so the fork must happen on a thread
// that lives exactly as long as the child. The thread reaps the child and
// records its exit status.
absl::Status LaunchedProcess::Spawn() {
  std::vector<std::string> args(options_.command.begin() + 1, options_.command.end());
  FILE* log = nullptr;
  if (!options_.log_file.empty()) {
    log = std::fopen(options_.log_file.c_str(), "a");
    if (log == nullptr) {
      return absl::InternalError(
          absl::StrCat("cannot open log file '", options_.log_file, "': ", std::strerror(errno)));
    }
  }
  // The child's environment, built here rather than with bp::environment,
  // whose lookup (Boost 1.74) reads past the end of entries shorter than the
  // key. `envp` points into `entries` and both outlive the spawn below.
  auto entries = std::make_shared<std::vector<std::string>>(ChildEnvironment(options_.env));
  auto envp = std::make_shared<std::vector<char*>>();
  for (std::string& entry : *entries) envp->push_back(entry.data());
  envp->push_back(nullptr);

  struct Handoff {
    absl::Mutex mu;
    bool done = false;
    pid_t pid = 0;
    std::string error;
  };
  auto handoff = std::make_shared<Handoff>();
  std::string path = resolved_path_;
  std::thread([this, handoff, path, args = std::move(args), entries, envp, log]() mutable {
    std::error_code ec;
    bp::child child;
    const pid_t parent = ::getpid();
    // In the child, before exec: die with faultdrill, take no terminal signals
    // meant for faultdrill (own process group), and do not inherit the signal
    // mask faultdrill uses for its signal thread.
    auto in_child = bp::extend::on_exec_setup = [parent](auto&) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
      ::setpgid(0, 0);
      sigset_t all;
      sigfillset(&all);
      ::sigprocmask(SIG_UNBLOCK, &all, nullptr);
    };
    auto with_env = bp::extend::on_setup = [envp](auto& exec) { exec.env = envp->data(); };
    if (log != nullptr) {
      child = bp::child(bp::exe = path, bp::args = args, bp::std_in < bp::null,
                        (bp::std_out & bp::std_err) > log, with_env, in_child, ec);
      std::fclose(log);
    } else {
      child = bp::child(bp::exe = path, bp::args = args, bp::std_in < bp::null, with_env, in_child, ec);
    }
    pid_t pid = ec ? 0 : child.id();
    if (!ec) child.detach();  // reaped below with waitpid, not by boost
    {
      absl::MutexLock lock(&handoff->mu);
      handoff->done = true;
      handoff->pid = pid;
      if (ec) handoff->error = ec.message();
    }
    if (pid == 0) return;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    absl::MutexLock lock(&mu_);
    if (pid_ == pid) {
      pid_ = 0;
      last_exit_status_ = status;
    }
  }).detach();

  absl::MutexLock lock(&handoff->mu);
  handoff->mu.Await(absl::Condition(&handoff->done));
  if (!handoff->error.empty()) {
    return absl::InternalError(absl::StrCat("cannot start '", absl::StrJoin(options_.command, " "),
                                            "': ", handoff->error));
  }
  pid_ = handoff->pid;
  last_exit_status_ = -1;
  return absl::OkStatus();
}

bool LaunchedProcess::Running() {
  absl::MutexLock lock(&mu_);
  return pid_ != 0;
}

absl::Status LaunchedProcess::Signal(int signal) {
  absl::MutexLock lock(&mu_);
  if (pid_ == 0) return absl::FailedPreconditionError(absl::StrCat(name(), " is not running"));
  if (::kill(pid_, signal) != 0) {
    return absl::InternalError(absl::StrCat("kill(", pid_, ", ", signal, "): ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status LaunchedProcess::WaitForExit(Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto exited = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return pid_ == 0; };
  if (!mu_.AwaitWithTimeout(absl::Condition(&exited), absl::FromChrono(timeout))) {
    return absl::DeadlineExceededError(
        absl::StrCat(name(), " (pid ", pid_, ") did not exit within ", FormatDuration(timeout)));
  }
  return absl::OkStatus();
}

absl::Status LaunchedProcess::Restart() {
  absl::MutexLock lock(&mu_);
  if (pid_ != 0) {
    return absl::FailedPreconditionError(absl::StrCat(name(), " (pid ", pid_, ") is still running"));
  }
  return Spawn();
}

int LaunchedProcess::Stop(Duration grace) {
  pid_t pid = this->pid();
  if (pid == 0) return -1;
  // A stopped process cannot act on SIGTERM: continue it first.
  ::kill(pid, SIGCONT);
  ::kill(pid, SIGTERM);
  if (!WaitForExit(grace).ok()) {
    ::kill(pid, SIGKILL);
    (void)WaitForExit(std::chrono::seconds(5));
  }
  return last_exit_status();
}

}  // namespace faultdrill::injectors
