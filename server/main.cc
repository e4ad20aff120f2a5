// faultdrill-model-server: the command line. The only place that chooses an
// exit code: 0 success, 2 usage error, 3 the environment does not allow it
// (cannot bind, missing models folder, cannot write files).
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "server/model_repository.h"
#include "server/model_server.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitEnvironment = 3;

int ExitCodeFor(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  std::cerr << "faultdrill-model-server: " << status.message() << "\n";
  return status.code() == absl::StatusCode::kInvalidArgument ? kExitUsage : kExitEnvironment;
}

}  // namespace

int main(int argc, char** argv) {
  namespace server = faultdrill::server;
  CLI::App app{"faultdrill-model-server: the reference model server (tinylm, classifier) "
               "speaking the Open Inference Protocol over gRPC"};
  app.require_subcommand(0, 1);

  server::ServerOptions options;
  std::string batch_window = "500us";
  std::string shutdown_grace = "5s";
  bool no_verify = false;
  CLI::Option* port = app.add_option("--port", options.port, "port to listen on; 0 picks a free one");
  CLI::Option* models = app.add_option("--models", options.models_dir,
                                       "folder holding tinylm.fdw and classifier.fdw");
  app.add_option("--host", options.host, "address to listen on")->capture_default_str();
  app.add_option("--port-file", options.port_file, "write the bound port here (atomically)");
  int metrics_port_value = 0;
  CLI::Option* metrics_port = app.add_option(
      "--metrics-port", metrics_port_value,
      "serve Prometheus metrics at http://HOST:N/metrics; 0 picks a free port "
      "(absent: no metrics)");
  app.add_option("--metrics-port-file", options.metrics_port_file,
                 "write the bound metrics port here (atomically)");
  app.add_option("--queue-size", options.queue_size, "requests that may wait for a worker")
      ->capture_default_str();
  app.add_option("--workers", options.workers, "inference worker threads")->capture_default_str();
  std::vector<std::string> cost_flags;
  app.add_option("--cost", cost_flags,
                 "service time of a model, set instead of measured: MODEL:KEY=DURATION[,...] with keys "
                 "per_batch, per_input_token, per_output_token (repeatable; e.g. "
                 "tinylm:per_output_token=2ms). Capacity is then workers / service time");
  app.add_flag("--no-verify-checksums", no_verify, "load weights even when their SHA-256 is wrong");
  app.add_option("--batch-window", batch_window,
                 "how long the classifier waits to gather a batch")->capture_default_str();
  app.add_option("--shutdown-grace", shutdown_grace,
                 "how long in-flight requests may take after SIGTERM")->capture_default_str();

  CLI::App* generate = app.add_subcommand(
      "generate-weights", "write tinylm.fdw and classifier.fdw generated from a seed");
  std::string out_dir;
  uint64_t seed = 42;
  generate->add_option("--out", out_dir, "folder to write the weights files to")->required();
  generate->add_option("--seed", seed, "generation seed; same seed, same bytes")
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  if (generate->parsed()) {
    const absl::Status written = server::WriteReferenceModels(out_dir, seed);
    if (written.ok()) std::cout << "wrote tinylm.fdw and classifier.fdw to " << out_dir << "\n";
    return ExitCodeFor(written);
  }
  if (port->count() == 0 || models->count() == 0) {
    std::cerr << "faultdrill-model-server: --port and --models are required\n"
              << app.help();
    return kExitUsage;
  }
  options.verify_checksums = !no_verify;
  for (const std::string& flag : cost_flags) {
    if (absl::Status s = options.cost.AddFlag(flag); !s.ok()) return ExitCodeFor(s);
  }
  if (metrics_port->count() > 0) options.metrics_port = metrics_port_value;
  absl::StatusOr<absl::Duration> window = server::ParseDurationFlag(batch_window);
  if (!window.ok()) return ExitCodeFor(absl::InvalidArgumentError(
                        std::string("--batch-window: ") + std::string(window.status().message())));
  options.batch_window = *window;
  absl::StatusOr<absl::Duration> grace = server::ParseDurationFlag(shutdown_grace);
  if (!grace.ok()) return ExitCodeFor(absl::InvalidArgumentError(
                       std::string("--shutdown-grace: ") + std::string(grace.status().message())));
  options.shutdown_grace = *grace;
  return ExitCodeFor(server::RunModelServer(options));
}
