// The reference model server's lifecycle, as a table of contents:
// listen (Live at once) -> load the models -> ready -> serve, reloading on
// SIGHUP -> on SIGTERM/SIGINT drain (stop accepting, let in-flight requests
// finish within the grace period) -> return.
//
// Logs one line per lifecycle event to stderr; nothing per request.
#ifndef FAULTDRILL_SERVER_MODEL_SERVER_H_
#define FAULTDRILL_SERVER_MODEL_SERVER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/cost_model.h"

namespace faultdrill::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;             // 0: an ephemeral port
  std::string port_file;    // when set, the bound port is written here
  std::string models_dir;
  size_t queue_size = 256;
  int workers = 2;
  // Service times set by configuration (--cost); empty: as the CPU takes.
  CostModel cost;
  bool verify_checksums = true;
  absl::Duration batch_window = absl::Microseconds(500);
  absl::Duration shutdown_grace = absl::Seconds(5);
  int max_receive_message_bytes = 16 << 20;
  // When set, the server's own metrics are served in the Prometheus text
  // format at http://host:metrics_port/metrics (0: an ephemeral port); see
  // server_metrics.h. Unset: no metrics endpoint.
  std::optional<int> metrics_port;
  std::string metrics_port_file;  // when set, the bound metrics port is written here
};

// Checks the options: InvalidArgument for values out of range,
// FailedPrecondition when the models folder does not exist.
absl::Status ValidateServerOptions(const ServerOptions& options);

// Runs the server until SIGTERM or SIGINT, then drains and returns OK. Must be
// called before the process starts other threads (see SignalWatcher). Errors:
// InvalidArgument / FailedPrecondition from ValidateServerOptions, Unavailable
// when the address cannot be bound or the port file cannot be written.
absl::Status RunModelServer(const ServerOptions& options);

// Parses "500us", "2ms", "1.5s", "250ns" or "0".
absl::StatusOr<absl::Duration> ParseDurationFlag(std::string_view text);

// Writes one lifecycle line, "faultdrill-model-server: <message>", to stderr.
void LogEvent(std::string_view message);

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_MODEL_SERVER_H_
