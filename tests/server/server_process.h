// ServerProcess: starts the real faultdrill-model-server binary as a child
// process for integration tests, waits until it is ready, and kills it when it
// goes out of scope. Header-only so any test target can use it (link
// faultdrill_proto, or faultdrill_server which brings it).
//
//   faultdrill::testing::TempDir models;
//   ASSERT_TRUE(faultdrill::testing::GenerateModels(models.path()).ok());
//   auto server = faultdrill::testing::ServerProcess::Start({.models_dir = models.path()});
//   ASSERT_TRUE(server.ok()) << server.status();
//   auto stub = (*server)->InferenceStub();   // talks to 127.0.0.1:<ephemeral port>
//
// The binary is $FAULTDRILL_BIN_DIR/faultdrill-model-server (FAULTDRILL_BIN_DIR
// is set by faultdrill_add_test). The server listens on 127.0.0.1 with --port 0
// and reports its port through --port-file; its stdout and stderr go to files in
// a private temporary folder (see Stdout(), Stderr()). The child gets SIGKILL if
// the thread that started it dies, so a crashed test leaves no server behind.
// Not thread-safe: use one ServerProcess from one thread.
#ifndef FAULTDRILL_TESTS_SERVER_SERVER_PROCESS_H_
#define FAULTDRILL_TESTS_SERVER_SERVER_PROCESS_H_

#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proto/grpc_service.grpc.pb.h"
#include "proto/health.grpc.pb.h"
#include "tests/common/files.h"

namespace faultdrill::testing {

using std::chrono::milliseconds;

inline std::string ModelServerBinary() { return BinDir() + "/faultdrill-model-server"; }

namespace internal {

// fork + exec of argv with stdout/stderr sent to the given files (appending).
// Only async-signal-safe calls happen between fork and exec.
inline absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& argv,
                                   const std::string& stdout_path,
                                   const std::string& stderr_path) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const int out = ::open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (out < 0 || err < 0) {
    if (out >= 0) ::close(out);
    if (err >= 0) ::close(err);
    return absl::UnavailableError("cannot open the child's output files");
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(out);
  ::close(err);
  if (pid < 0) return absl::UnavailableError("fork failed");
  return pid;
}

// Exit code of a wait status: the code, or 128 + signal number.
inline int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Polls waitpid until `pid` exits or `timeout` passes.
inline std::optional<int> WaitForExit(pid_t pid, milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return ExitCode(status);
    if (done < 0) return std::nullopt;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(milliseconds(5));
  }
}

}  // namespace internal

// Runs `argv` to completion (killing it after `timeout`); returns its exit code
// and, if `output` is non-null, what it wrote to stdout and stderr.
inline absl::StatusOr<int> RunProcess(const std::vector<std::string>& argv, milliseconds timeout,
                                      std::string* output = nullptr) {
  TempDir dir;
  if (dir.path().empty()) return absl::UnavailableError("cannot make a temporary folder");
  const std::string log = dir.File("output.txt");
  absl::StatusOr<pid_t> pid = internal::Spawn(argv, log, log);
  if (!pid.ok()) return pid.status();
  std::optional<int> code = internal::WaitForExit(*pid, timeout);
  if (!code) {
    ::kill(*pid, SIGKILL);
    ::waitpid(*pid, nullptr, 0);
    return absl::DeadlineExceededError(argv[0] + " did not finish in time");
  }
  if (output != nullptr) *output = ReadWholeFile(log);
  return *code;
}

// Writes tinylm.fdw and classifier.fdw into `out_dir` with the server's own
// `generate-weights` subcommand.
inline absl::Status GenerateModels(const std::string& out_dir, uint64_t seed = 42) {
  std::string output;
  absl::StatusOr<int> code =
      RunProcess({ModelServerBinary(), "generate-weights", "--out", out_dir, "--seed",
                  std::to_string(seed)},
                 milliseconds(30000), &output);
  if (!code.ok()) return code.status();
  if (*code != 0) return absl::InternalError("generate-weights failed: " + output);
  return absl::OkStatus();
}

struct ServerProcessOptions {
  std::string models_dir;               // required
  std::vector<std::string> extra_args;  // e.g. {"--queue-size", "1"}
  int port = 0;                         // 0: an ephemeral one
  milliseconds ready_timeout{20000};
  // When false, Start returns as soon as the port is known (Live, maybe not Ready).
  bool wait_until_ready = true;
  std::string binary = ModelServerBinary();
  // Also serve Prometheus metrics on an ephemeral port (--metrics-port 0),
  // reported through --metrics-port-file; see metrics_port(), metrics_url().
  bool metrics = false;
};

class ServerProcess {
 public:
  // Starts the server and waits (bounded by ready_timeout) until it has written
  // its port and, unless told otherwise, answers ServerReady with true.
  // Errors carry the server's stderr.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(const ServerProcessOptions& options) {
    auto server = std::unique_ptr<ServerProcess>(new ServerProcess());
    if (server->dir_.path().empty()) return absl::UnavailableError("cannot make a temporary folder");
    const std::string port_file = server->dir_.File("port");
    std::vector<std::string> argv = {options.binary, "--host", "127.0.0.1", "--port", std::to_string(options.port),
                                     "--port-file", port_file, "--models", options.models_dir};
    const std::string metrics_port_file = server->dir_.File("metrics_port");
    if (options.metrics) {
      argv.insert(argv.end(), {"--metrics-port", "0", "--metrics-port-file", metrics_port_file});
    }
    argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
    absl::StatusOr<pid_t> pid =
        internal::Spawn(argv, server->dir_.File("stdout.txt"), server->dir_.File("stderr.txt"));
    if (!pid.ok()) return pid.status();
    server->pid_ = *pid;

    const auto deadline = std::chrono::steady_clock::now() + options.ready_timeout;
    while (server->port_ == 0) {
      const std::string text = ReadWholeFile(port_file);
      if (!text.empty()) server->port_ = std::atoi(text.c_str());
      if (server->port_ != 0) break;
      if (!server->running()) return server->Failure("exited before it listened");
      if (std::chrono::steady_clock::now() >= deadline) return server->Failure("never listened");
      std::this_thread::sleep_for(milliseconds(10));
    }
    server->endpoint_ = "127.0.0.1:" + std::to_string(server->port_);
    // The server writes the metrics port file before the port file.
    if (options.metrics) {
      server->metrics_port_ = std::atoi(ReadWholeFile(metrics_port_file).c_str());
      if (server->metrics_port_ == 0) return server->Failure("wrote no metrics port");
    }
    grpc::ChannelArguments arguments;
    arguments.SetMaxReceiveMessageSize(64 << 20);
    server->channel_ = grpc::CreateCustomChannel(server->endpoint_,
                                                 grpc::InsecureChannelCredentials(), arguments);
    if (options.wait_until_ready) {
      if (absl::Status ready = server->WaitUntilReady(deadline); !ready.ok()) return ready;
    }
    return server;
  }

  // SIGKILL (if still running), reap, remove the temporary folder.
  ~ServerProcess() {
    if (pid_ > 0 && !exit_code_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  const std::string& endpoint() const { return endpoint_; }  // "127.0.0.1:PORT"
  int metrics_port() const { return metrics_port_; }  // 0 unless options.metrics
  std::string metrics_url() const {
    return "http://127.0.0.1:" + std::to_string(metrics_port_) + "/metrics";
  }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }

  std::unique_ptr<inference::GRPCInferenceService::Stub> InferenceStub() const {
    return inference::GRPCInferenceService::NewStub(channel_);
  }
  std::unique_ptr<grpc::health::v1::Health::Stub> HealthStub() const {
    return grpc::health::v1::Health::NewStub(channel_);
  }

  // Sends `signal` to the server; false if it has already exited.
  bool Signal(int signal) { return running() && ::kill(pid_, signal) == 0; }

  // Waits for the server to exit; its exit code (128 + N when killed by signal
  // N), or nullopt if it is still running after `timeout`.
  std::optional<int> WaitForExit(milliseconds timeout) {
    if (!exit_code_) exit_code_ = internal::WaitForExit(pid_, timeout);
    return exit_code_;
  }

  bool running() { return !WaitForExit(milliseconds(0)).has_value(); }

  std::string Stdout() const { return ReadWholeFile(dir_.File("stdout.txt")); }
  std::string Stderr() const { return ReadWholeFile(dir_.File("stderr.txt")); }

  // Polls stderr until `text` occurs at least `occurrences` times.
  bool WaitForStderr(std::string_view text, int occurrences, milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      const std::string log = Stderr();
      int found = 0;
      for (size_t at = log.find(text); at != std::string::npos; at = log.find(text, at + 1)) {
        ++found;
      }
      if (found >= occurrences) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(milliseconds(10));
    }
  }

  // Polls ServerReady until it says true or `deadline` passes.
  absl::Status WaitUntilReady(std::chrono::steady_clock::time_point deadline) {
    auto stub = InferenceStub();
    while (true) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + milliseconds(500));
      inference::ServerReadyResponse response;
      const grpc::Status status =
          stub->ServerReady(&context, inference::ServerReadyRequest(), &response);
      if (status.ok() && response.ready()) return absl::OkStatus();
      if (!running()) return Failure("exited before it was ready");
      if (std::chrono::steady_clock::now() >= deadline) return Failure("never became ready");
      std::this_thread::sleep_for(milliseconds(10));
    }
  }

 private:
  ServerProcess() = default;

  absl::Status Failure(std::string_view what) {
    return absl::UnavailableError("faultdrill-model-server " + std::string(what) +
                                  "; its stderr:\n" + Stderr());
  }

  TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  int metrics_port_ = 0;
  std::string endpoint_;
  std::shared_ptr<grpc::Channel> channel_;
  std::optional<int> exit_code_;
};

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_SERVER_SERVER_PROCESS_H_
