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

#include <fmt/format.h>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>

#include <fstream>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "injectors/command.h"
#include "injectors/signal_names.h"
#include "injectors/undo.h"

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

// 128 random bits in hex: what marks this launch's processes.
std::string NewToken() {
  std::random_device random;
  std::string token;
  for (int i = 0; i < 4; ++i) token += fmt::format("{:08x}", static_cast<uint32_t>(random()));
  return token;
}

// Signals that faults send to a target they mean to keep running.
bool KeepsItRunning(int signal) { return signal == SIGSTOP || signal == SIGCONT || signal == SIGHUP || signal == 0; }

constexpr auto kPollInterval = std::chrono::milliseconds(10);

}  // namespace

std::string DescribeExit(int status) {
  if (WIFSIGNALED(status)) return absl::StrCat("killed by ", SignalName(WTERMSIG(status)));
  if (WIFEXITED(status)) return absl::StrCat("exited with status ", WEXITSTATUS(status));
  return absl::StrCat("ended (wait status ", status, ")");
}

LaunchedProcess::LaunchedProcess(LaunchOptions options) : options_(std::move(options)), token_(NewToken()) {}

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

LaunchedProcess::~LaunchedProcess() {
  SetUnexpectedExitObserver(nullptr);
  Stop(std::chrono::seconds(5));
  if (options_.journal != nullptr && process_group() != 0 && ProcessGroupMembers(process_group()).empty()) {
    (void)options_.journal->RecordDone(options_.journal_name, "revert");  // else `recover` ends the rest
  }
}

pid_t LaunchedProcess::process_group() const {
  absl::MutexLock lock(&mu_);
  return pgid_;
}

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
  std::vector<std::pair<std::string, std::string>> env = options_.env;
  env.emplace_back(kLaunchTokenVariable, token_);
  auto entries = std::make_shared<std::vector<std::string>>(ChildEnvironment(env));
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
  std::thread([this, slot = observer_slot_, handoff, path, args = std::move(args), entries, envp, log]() mutable {
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
    // `this` may be gone once Exited has returned; the observer slot is not.
    if (Exited(pid, status)) slot->Notify(ProcessExit{pid, status, std::chrono::steady_clock::now()});
  }).detach();

  absl::MutexLock lock(&handoff->mu);
  handoff->mu.Await(absl::Condition(&handoff->done));
  if (!handoff->error.empty()) {
    return absl::InternalError(absl::StrCat("cannot start '", absl::StrJoin(options_.command, " "),
                                            "': ", handoff->error));
  }
  pid_ = handoff->pid;
  last_exit_status_ = -1;
  ended_by_us_ = false;
  // The child made itself a group leader before exec (in_child), and the
  // spawn returns only after the exec.
  pgid_ = pid_;
  leader_start_time_ = ProcessStartTime(pid_);
  if (options_.journal != nullptr) {
    auto recorded = options_.journal->RecordUndo(options_.journal_name, "launch",
                                                 MakeStopProcessGroup(pgid_, leader_start_time_, token_));
    if (!recorded.ok()) {
      ended_by_us_ = true;
      ::kill(-pgid_, SIGKILL);  // the leader is not reaped yet: the group is still ours
      return absl::InternalError(absl::StrCat("cannot journal '", absl::StrJoin(options_.command, " "),
                                              "' (stopped it): ", recorded.status().message()));
    }
  }
  return absl::OkStatus();
}

bool LaunchedProcess::Exited(pid_t pid, int status) {
  absl::MutexLock lock(&mu_);
  if (pid_ != pid) return false;
  pid_ = 0;
  last_exit_status_ = status;
  return !ended_by_us_;
}

void LaunchedProcess::ObserverSlot::Notify(const ProcessExit& exit) {
  absl::MutexLock lock(&mu);
  if (observer) observer(exit);
}

void LaunchedProcess::SetUnexpectedExitObserver(std::function<void(const ProcessExit&)> observer) {
  absl::MutexLock lock(&observer_slot_->mu);
  observer_slot_->observer = std::move(observer);
}

bool LaunchedProcess::Running() {
  absl::MutexLock lock(&mu_);
  return pid_ != 0;
}

absl::Status LaunchedProcess::Signal(int signal) {
  absl::MutexLock lock(&mu_);
  if (pid_ == 0) return absl::FailedPreconditionError(absl::StrCat(name(), " is not running"));
  if (!KeepsItRunning(signal)) ended_by_us_ = true;
  // The leader is not reaped yet (pid_ is set), so the group id is still ours.
  if (::kill(-pgid_, signal) != 0) {
    return absl::InternalError(absl::StrCat("kill(-", pgid_, ", ", signal, "): ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

bool LaunchedProcess::SignalGroup(int signal) {
  absl::MutexLock lock(&mu_);
  if (pgid_ == 0) return false;
  // Once the leader is reaped its group id is ours only while a process
  // marked with our token is left in it.
  if (pid_ == 0 && !IsOurProcessGroup(pgid_, leader_start_time_, token_)) return false;
  if (!KeepsItRunning(signal)) ended_by_us_ = true;
  return ::kill(-pgid_, signal) == 0;
}

bool LaunchedProcess::WaitForGroupExit(Duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  if (!WaitForExit(timeout).ok()) return false;
  const pid_t pgid = process_group();
  while (!ProcessGroupMembers(pgid).empty()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
  return true;
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
  {
    absl::MutexLock lock(&mu_);
    if (pid_ != 0) {
      return absl::FailedPreconditionError(absl::StrCat(name(), " (pid ", pid_, ") is still running"));
    }
  }
  // What the previous leader started and left behind would hold its ports.
  if (SignalGroup(SIGKILL)) (void)WaitForGroupExit(std::chrono::seconds(5));
  absl::MutexLock lock(&mu_);
  if (pid_ != 0) return absl::FailedPreconditionError(absl::StrCat(name(), " (pid ", pid_, ") is running again"));
  return Spawn();
}

int LaunchedProcess::Stop(Duration grace) {
  bool was_running;
  {
    absl::MutexLock lock(&mu_);
    was_running = pid_ != 0;
    ended_by_us_ = true;
  }
  // A stopped process cannot act on SIGTERM: continue it first.
  if (SignalGroup(SIGCONT)) {
    SignalGroup(SIGTERM);
    if (!WaitForGroupExit(grace) && SignalGroup(SIGKILL)) (void)WaitForGroupExit(std::chrono::seconds(5));
  }
  return was_running ? last_exit_status() : -1;
}

}  // namespace faultdrill::injectors
