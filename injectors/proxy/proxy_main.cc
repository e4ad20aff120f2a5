// faultdrill-proxy: the gRPC-aware fault proxy faultdrill starts between its
// load and the target (injectors/fault_proxy.h). Exit codes: 0 after a clean
// drain, 2 bad arguments, 3 the environment does not allow it (cannot bind,
// cannot write the port file).
//
//   faultdrill-proxy --upstream HOST:PORT [--listen 127.0.0.1:0]
//                    [--control 127.0.0.1:0] [--port-file FILE] [--drain 2s]
//
// --port-file receives "LISTEN_PORT CONTROL_PORT\n", written atomically once
// both accept connections. SIGTERM or SIGINT drains: no new connections, calls
// in flight get up to --drain to finish, then the rest are cancelled.
#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/duration.h"
#include "injectors/proxy/proxy_server.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitEnvironment = 3;

namespace proxy = faultdrill::injectors::proxy;

// "host:port" with a numeric port.
absl::Status SplitHostPort(const std::string& text, std::string& host, int& port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return absl::InvalidArgumentError(absl::StrCat("'", text, "' is not HOST:PORT"));
  }
  host = text.substr(0, colon);
  try {
    size_t used = 0;
    port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1 || port < 0 || port > 65535) throw std::out_of_range("port");
  } catch (const std::exception&) {
    return absl::InvalidArgumentError(absl::StrCat("'", text, "': the port must be a number in 0..65535"));
  }
  return absl::OkStatus();
}

absl::Status WritePortFile(const std::string& path, int listen_port, int control_port) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << listen_port << " " << control_port << "\n";
    if (!out.flush()) return absl::UnavailableError(absl::StrCat("cannot write ", temporary));
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) return absl::UnavailableError(absl::StrCat("cannot write ", path, ": ", error.message()));
  return absl::OkStatus();
}

int Fail(const absl::Status& status) {
  std::cerr << "faultdrill-proxy: " << status.message() << std::endl;
  return status.code() == absl::StatusCode::kInvalidArgument ? kExitUsage : kExitEnvironment;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"faultdrill-proxy: a gRPC-aware fault proxy (delay, abort, deadline, reset, blackhole, "
               "bandwidth, corrupt), controlled at run time by faultdrill"};
  std::string upstream, listen = "127.0.0.1:0", control = "127.0.0.1:0", port_file, drain = "2s";
  proxy::ProxyOptions options;
  app.add_option("--upstream", upstream, "the gRPC server to forward to, HOST:PORT")->required();
  app.add_option("--listen", listen, "where clients connect, HOST:PORT (port 0: any)")->capture_default_str();
  app.add_option("--control", control, "the control channel, HOST:PORT (port 0: any)")->capture_default_str();
  app.add_option("--port-file", port_file, "write \"LISTEN_PORT CONTROL_PORT\" here once listening");
  app.add_option("--drain", drain, "how long calls in flight may take after SIGTERM")->capture_default_str();
  app.add_option("--upstream-channels", options.upstream_channels, "connections to the upstream")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  options.upstream = upstream;
  if (absl::Status s = SplitHostPort(listen, options.listen_host, options.listen_port); !s.ok()) return Fail(s);
  if (absl::Status s = SplitHostPort(control, options.control_host, options.control_port); !s.ok()) return Fail(s);
  absl::StatusOr<faultdrill::Duration> grace = faultdrill::ParseDuration(drain);
  if (!grace.ok()) return Fail(absl::InvalidArgumentError(absl::StrCat("--drain: ", grace.status().message())));

  // Taken by sigwait below; blocked before any thread starts so every thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  auto server = proxy::ProxyServer::Start(options);
  if (!server.ok()) return Fail(server.status());
  if (!port_file.empty()) {
    if (absl::Status s = WritePortFile(port_file, (*server)->listen_port(), (*server)->control_port()); !s.ok()) {
      return Fail(s);
    }
  }
  std::cerr << "faultdrill-proxy listening on " << options.listen_host << ":" << (*server)->listen_port()
            << " (control " << options.control_host << ":" << (*server)->control_port() << "), forwarding to "
            << upstream << std::endl;

  int signal = 0;
  while (sigwait(&stop_signals, &signal) != 0) {
  }
  std::cerr << "draining (signal " << signal << ")" << std::endl;
  (*server)->Drain(*grace);
  server->reset();
  std::cerr << "exit" << std::endl;
  return kExitOk;
}
