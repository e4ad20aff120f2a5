#include "cli/target_launcher.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "injectors/command.h"
#include "probes/health_probe.h"
#include "proto/channel.h"

namespace faultdrill::cli {
namespace fs = std::filesystem;

absl::StatusOr<int> PickFreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    ::close(fd);
    return absl::InternalError(absl::StrCat("cannot find a free port: ", std::strerror(err)));
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

namespace {

absl::Status GenerateWeights(const std::string& server, const std::string& models_dir,
                             const std::string& log_file) {
  auto generator = injectors::LaunchedProcess::Start(
      {.command = {server, "generate-weights", "--out", models_dir}, .env = {}, .log_file = log_file});
  if (!generator.ok()) return generator.status();
  if (absl::Status s = (*generator)->WaitForExit(std::chrono::seconds(60)); !s.ok()) return s;
  int status = (*generator)->last_exit_status();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("generating reference weights into ", models_dir, " failed; see ", log_file));
  }
  return absl::OkStatus();
}

std::string CostFlag(const ModelCostSpec& cost) {
  return absl::StrCat(cost.model, ":per_batch=", cost.per_batch.count(), "ns,per_input_token=",
                      cost.per_input_token.count(), "ns,per_output_token=", cost.per_output_token.count(), "ns");
}

// The reference server's command line for an embedded target.
std::vector<std::string> EmbeddedServerCommand(const std::string& server, int port, int metrics_port,
                                               const std::string& models_dir, const EmbeddedServerSpec& spec) {
  std::vector<std::string> command{server,         "--host",    "127.0.0.1", "--port", std::to_string(port),
                                   "--models",     models_dir,  "--metrics-port",      std::to_string(metrics_port),
                                   "--workers",    std::to_string(spec.workers)};
  for (const ModelCostSpec& cost : spec.cost) {
    command.push_back("--cost");
    command.push_back(CostFlag(cost));
  }
  return command;
}

absl::Status WaitHealthy(const TargetSpec& spec, const RunningTarget& target, Duration timeout,
                         std::stop_token stop) {
  probes::HealthProbeSettings settings;
  settings.model = spec.model;
  settings.model_version = spec.model_version;
  settings.timeout = std::chrono::milliseconds(500);
  probes::HealthProbe probe(OpenChannel(target.endpoint),
                            target.endpoint, settings);
  absl::Status status = probes::WaitUntilHealthy(probe, timeout, std::chrono::milliseconds(50), stop);
  if (!status.ok() && target.process != nullptr && !target.process->Running()) {
    return absl::FailedPreconditionError(
        absl::StrCat(target.description, " exited before it became healthy: ", status.message()));
  }
  return status;
}

// `role` names the files ("target" or "candidate") and the description.
absl::StatusOr<RunningTarget> Start(const TargetSpec& spec, const std::string& role, const std::string& work_dir,
                                    const injectors::LaunchEnv& env, std::stop_token stop, Journal* journal) {
  const std::string journal_name = absl::StrCat("launched-", role);
  RunningTarget target;
  const std::string log_file = (fs::path(work_dir) / absl::StrCat(role, ".log")).string();
  Duration ready_timeout = std::chrono::seconds(10);
  if (spec.embedded) {
    auto server = injectors::FindFaultdrillBinary("faultdrill-model-server");
    if (!server.ok()) {
      return absl::NotFoundError(
          absl::StrCat(server.status().message(), ", or point ", role, ".endpoint at a running server"));
    }
    std::string models_dir =
        (fs::path(work_dir) / (role == "target" ? std::string("models") : absl::StrCat(role, "-models"))).string();
    if (absl::Status s = GenerateWeights(*server, models_dir, log_file); !s.ok()) return s;
    auto port = PickFreePort();
    if (!port.ok()) return port.status();
    auto metrics_port = PickFreePort();
    if (!metrics_port.ok()) return metrics_port.status();
    target.endpoint = absl::StrCat("127.0.0.1:", *port);
    target.metrics_url = absl::StrCat("http://127.0.0.1:", *metrics_port, "/metrics");
    auto process = injectors::LaunchedProcess::Start(
        {.command = EmbeddedServerCommand(*server, *port, *metrics_port, models_dir, spec.server),
         .env = env,
         .log_file = log_file,
         .journal = journal,
         .journal_name = journal_name});
    if (!process.ok()) return process.status();
    target.process = *std::move(process);
    target.description = absl::StrCat(role == "target" ? "" : "candidate: ", "embedded faultdrill-model-server on ",
                                      target.endpoint);
  } else if (spec.launch.has_value()) {
    const LaunchSpec& launch = *spec.launch;
    injectors::LaunchEnv launch_env = launch.env;
    launch_env.insert(launch_env.end(), env.begin(), env.end());
    auto process = injectors::LaunchedProcess::Start(
        {.command = launch.command, .env = launch_env, .log_file = log_file, .journal = journal,
         .journal_name = journal_name});
    if (!process.ok()) return LocatedError(launch.where, std::string(process.status().message()));
    target.process = *std::move(process);
    target.endpoint = spec.endpoint;
    target.description = absl::StrCat(role == "target" ? "" : "candidate: ", "launched ", target.process->name(),
                                      " (pid ", target.process->pid(), ") on ", target.endpoint);
    ready_timeout = launch.ready_timeout;
  } else {
    target.endpoint = spec.endpoint;
    target.description = absl::StrCat(role == "target" ? "" : "candidate: ", "external endpoint ", target.endpoint);
  }
  if (target.process) target.log_file = log_file;
  if (absl::Status s = WaitHealthy(spec, target, ready_timeout, stop); !s.ok()) {
    if (absl::IsCancelled(s)) return s;
    return absl::UnavailableError(absl::StrCat(role, " is not healthy: ", s.message(),
                                               target.process ? absl::StrCat(" (log: ", log_file, ")") : ""));
  }
  return target;
}

}  // namespace

absl::StatusOr<RunningTarget> StartTarget(const Scenario& scenario, const std::string& work_dir,
                                          const injectors::LaunchEnv& env, std::stop_token stop,
                                          Journal* journal) {
  return Start(scenario.target, "target", work_dir, env, stop, journal);
}

absl::StatusOr<RunningTarget> StartCandidate(const Scenario& scenario, const std::string& work_dir,
                                             std::stop_token stop, Journal* journal) {
  const CandidateSpec& candidate = *scenario.candidate;
  TargetSpec spec = scenario.target;
  spec.endpoint = candidate.endpoint;
  spec.embedded = candidate.embedded;
  spec.launch = candidate.launch;
  spec.where = candidate.where;
  return Start(spec, "candidate", work_dir, {}, stop, journal);
}

}  // namespace faultdrill::cli
