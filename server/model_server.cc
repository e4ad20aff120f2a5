#include "server/model_server.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "absl/strings/numbers.h"
#include "server/strings.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "server/health_service.h"
#include "server/inference_executor.h"
#include "server/inference_service.h"
#include "server/metrics_endpoint.h"
#include "server/model_repository.h"
#include "server/readiness.h"
#include "server/server_metrics.h"
#include "server/signal_watcher.h"

namespace faultdrill::server {
namespace {

std::string HostPort(const std::string& host, int port) {
  const bool bare_ipv6 = host.find(':') != std::string::npos && host.front() != '[';
  return bare_ipv6 ? Cat("[", host, "]:", port) : Cat(host, ":", port);
}

absl::Status WritePortFile(const std::string& path, int port) {
  const std::string temporary = Cat(path, ".tmp.", ::getpid());
  {
    std::ofstream out(temporary, std::ios::trunc);
    if (!out || !(out << port << "\n") || !out.flush()) {
      return absl::UnavailableError(Cat("cannot write the port file ", temporary));
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::remove(temporary.c_str());
    return absl::UnavailableError(Cat("cannot write the port file ", path, ": ",
                                               error.message()));
  }
  return absl::OkStatus();
}

// Logs a load of every model; returns the number that failed.
int LogLoadResults(const std::vector<ModelRepository::LoadResult>& results, bool reload) {
  int failed = 0;
  for (const ModelRepository::LoadResult& result : results) {
    const std::string prefix = Cat(reload ? "reload: " : "", "model ", result.model);
    if (result.status.ok()) {
      LogEvent(Cat(prefix, ": loaded"));
      continue;
    }
    ++failed;
    LogEvent(Cat(prefix, result.kept_previous
                                      ? ": reload FAILED, still serving the previous weights: "
                                      : ": NOT READY, load failed: ",
                          result.status.message()));
  }
  return failed;
}

// Runs LoadAll on its own thread whenever a reload is requested, so that the
// signal thread never blocks and several SIGHUPs in a row coalesce.
class Reloader {
 public:
  explicit Reloader(ModelRepository& repository)
      : repository_(repository), thread_([this](std::stop_token stop) { Loop(stop); }) {}
  ~Reloader() {
    thread_.request_stop();
    absl::MutexLock lock(&mu_);
    cv_.Signal();
  }

  void Request() {
    absl::MutexLock lock(&mu_);
    pending_ = true;
    cv_.Signal();
  }

 private:
  void Loop(std::stop_token stop) {
    while (true) {
      {
        absl::MutexLock lock(&mu_);
        while (!pending_ && !stop.stop_requested()) cv_.WaitWithTimeout(&mu_, absl::Milliseconds(200));
        if (stop.stop_requested()) return;
        pending_ = false;
      }
      LogEvent("reload: reloading every model (SIGHUP)");
      const auto results = repository_.LoadAll();
      const int failed = LogLoadResults(results, /*reload=*/true);
      LogEvent(Cat("reload finished: ", results.size() - failed, " ok, ", failed,
                            " failed"));
    }
  }

  ModelRepository& repository_;
  absl::Mutex mu_;
  absl::CondVar cv_;
  bool pending_ ABSL_GUARDED_BY(mu_) = false;
  std::jthread thread_;  // last: starts once the members above exist
};

// The metrics read live from the server's parts, which must outlive them.
std::shared_ptr<ServerMetrics> MakeServerMetrics(const ModelRepository& repository,
                                                 const Readiness& readiness,
                                                 const InferenceExecutor& executor) {
  MetricsSources sources;
  sources.models = repository.model_names();
  sources.queue_depth = [&executor] { return executor.queue_depth(); };
  sources.model_ready = [&readiness](const std::string& model) {
    const absl::StatusOr<bool> ready = readiness.ModelReady(model, "");
    return ready.ok() && *ready;
  };
  sources.weights_sha256 = [&repository](const std::string& model) {
    return repository.WeightsSha256(model);
  };
  sources.model_version = std::string(kModelVersion);
  return std::make_shared<ServerMetrics>(std::move(sources));
}

}  // namespace

void LogEvent(std::string_view message) {
  const std::string line = Cat(
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()), " ",
      kServerName, ": ", message, "\n");
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

absl::Status ValidateServerOptions(const ServerOptions& options) {
  if (options.port < 0 || options.port > 65535) {
    return absl::InvalidArgumentError(Cat("--port ", options.port, " is not 0..65535"));
  }
  if (options.host.empty()) return absl::InvalidArgumentError("--host must not be empty");
  if (options.queue_size < 1 || options.queue_size > 1'000'000) {
    return absl::InvalidArgumentError("--queue-size must be 1..1000000");
  }
  if (options.workers < 1 || options.workers > 256) {
    return absl::InvalidArgumentError("--workers must be 1..256");
  }
  if (options.batch_window < absl::ZeroDuration() || options.batch_window > absl::Seconds(1)) {
    return absl::InvalidArgumentError("--batch-window must be 0..1s");
  }
  if (options.metrics_port && (*options.metrics_port < 0 || *options.metrics_port > 65535)) {
    return absl::InvalidArgumentError(
        Cat("--metrics-port ", *options.metrics_port, " is not 0..65535"));
  }
  if (!options.metrics_port_file.empty() && !options.metrics_port) {
    return absl::InvalidArgumentError("--metrics-port-file needs --metrics-port");
  }
  std::error_code error;
  if (options.models_dir.empty() || !std::filesystem::is_directory(options.models_dir, error)) {
    return absl::FailedPreconditionError(
        Cat("--models ", options.models_dir, " is not a folder (generate one with `",
                     kServerName, " generate-weights --out DIR`)"));
  }
  return absl::OkStatus();
}

absl::Status RunModelServer(const ServerOptions& options) {
  if (auto s = ValidateServerOptions(options); !s.ok()) return s;
  SignalWatcher::BlockServerSignals();

  ModelRepository repository({options.models_dir, options.verify_checksums});
  Readiness readiness(repository);
  InferenceExecutor executor({.queue_size = options.queue_size,
                              .workers = options.workers,
                              .batch_window = options.batch_window,
                              .max_batch_rows = 64,
                              .cost = options.cost});
  std::shared_ptr<ServerMetrics> metrics;
  if (options.metrics_port) metrics = MakeServerMetrics(repository, readiness, executor);
  InferenceService inference_service(repository, readiness, executor, metrics.get());
  HealthService health_service(readiness);

  // Before the gRPC port file appears, so that a reader of that file finds the
  // metrics port file already written.
  std::unique_ptr<MetricsEndpoint> metrics_endpoint;
  if (metrics != nullptr) {
    absl::StatusOr<std::unique_ptr<MetricsEndpoint>> started =
        MetricsEndpoint::Start(options.host, *options.metrics_port, metrics);
    if (!started.ok()) return started.status();
    metrics_endpoint = *std::move(started);
    if (!options.metrics_port_file.empty()) {
      const int metrics_port = metrics_endpoint->port();
      if (auto s = WritePortFile(options.metrics_port_file, metrics_port); !s.ok()) return s;
    }
  }

  grpc::EnableDefaultHealthCheckService(false);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(HostPort(options.host, options.port),
                           grpc::InsecureServerCredentials(), &port);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  builder.RegisterService(&inference_service);
  builder.RegisterService(&health_service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(Cat("cannot listen on ",
                                               HostPort(options.host, options.port)));
  }
  if (!options.port_file.empty()) {
    if (auto s = WritePortFile(options.port_file, port); !s.ok()) {
      server->Shutdown();
      return s;
    }
  }
  std::cout << kServerName << " listening on " << HostPort(options.host, port) << std::endl;
  if (metrics_endpoint != nullptr) {
    std::cout << kServerName << " metrics on http://"
              << HostPort(options.host, metrics_endpoint->port()) << "/metrics" << std::endl;
  }

  absl::Notification terminate;
  Reloader reloader(repository);
  SignalWatcher signals({[&reloader] { reloader.Request(); },
                         [&terminate] {
                           if (!terminate.HasBeenNotified()) terminate.Notify();
                         }});

  LogEvent(Cat("loading models from ", options.models_dir,
                        options.verify_checksums ? "" : " (checksums NOT verified)"));
  const auto results = repository.LoadAll();
  const int failed = LogLoadResults(results, /*reload=*/false);
  LogEvent(Cat("ready: ", results.size() - failed, " of ", results.size(),
                        " models loaded"));

  terminate.WaitForNotification();
  LogEvent("draining: no new requests, waiting for in-flight ones to finish");
  readiness.StartDraining();
  if (!executor.WaitUntilIdle(absl::Now() + options.shutdown_grace)) {
    LogEvent("grace period over: cancelling the requests still in flight");
  }
  // Idle now (or out of time): close every connection at once rather than wait
  // for clients to hang up, cancelling whatever is left.
  server->Shutdown(std::chrono::system_clock::now());
  executor.Stop();
  LogEvent("exit");
  return absl::OkStatus();
}

absl::StatusOr<absl::Duration> ParseDurationFlag(std::string_view text) {
  absl::Duration duration;
  if (text == "0") return absl::ZeroDuration();
  // absl::ParseDuration takes "us", "ms", "s", "ns", "m", "h" suffixes.
  if (text.empty() || text.front() == '-' || !absl::ParseDuration(ToAbsl(text), &duration)) {
    return absl::InvalidArgumentError(Cat("'", text,
                                                   "' is not a duration like 500us, 2ms or 1s"));
  }
  return duration;
}

}  // namespace faultdrill::server
