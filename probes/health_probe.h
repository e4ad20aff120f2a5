// `health`: the target is live, ready, and its model is ready, asked over the
// Open Inference Protocol (ServerLive, ServerReady, ModelReady); optionally also
// the standard grpc.health.v1 service.
//
//   steady_state:
//     - probe: {kind: health, timeout: 1s, grpc_health_service: ""}
#ifndef FAULTDRILL_PROBES_HEALTH_PROBE_H_
#define FAULTDRILL_PROBES_HEALTH_PROBE_H_

#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "absl/status/statusor.h"
#include "core/scenario.h"
#include "probes/probe.h"
#include "probes/registry.h"

namespace grpc {
class Channel;
}

namespace faultdrill::probes {

struct HealthProbeSettings {
  std::string model;  // empty: only the server is checked
  std::string model_version;
  Duration timeout = std::chrono::seconds(1);  // for the whole check
  // When set, grpc.health.v1.Health/Check is asked for this service name too
  // ("" is the whole server).
  std::optional<std::string> grpc_health_service;
};

// Validates a `probe: {kind: health, ...}` entry (located errors). The model
// defaults to the scenario's target model.
absl::StatusOr<HealthProbeSettings> ParseHealthProbe(const ProbeSpec& spec, const Scenario& scenario);

class HealthProbe final : public Probe {
 public:
  // Asks `endpoint` over `channel`.
  HealthProbe(std::shared_ptr<grpc::Channel> channel, std::string endpoint, HealthProbeSettings settings);
  // Asks whatever `endpoint()` names at each check (the run's target, which
  // is only known once it is up); unhealthy while it is empty.
  HealthProbe(std::function<std::string()> endpoint, HealthProbeSettings settings);
  ~HealthProbe() override;

  // kind `health`: probes the run's target (ProbeContext::target_endpoint).
  static absl::StatusOr<std::unique_ptr<Probe>> Create(const ProbeSpec& spec, const ProbeContext& context);

  std::string Describe() const override;
  ProbeResult Check() override;

 private:
  struct Stubs;
  // Connects to `endpoint` unless already connected to it.
  void ConnectTo(const std::string& endpoint);

  const std::function<std::string()> endpoint_source_;  // null: fixed endpoint
  const HealthProbeSettings settings_;
  std::string endpoint_;
  std::unique_ptr<Stubs> stubs_;
};

// Polls `probe` every `interval` until it reports healthy or `timeout` passes.
// DeadlineExceeded names the last thing the probe saw; Cancelled on stop.
absl::Status WaitUntilHealthy(Probe& probe, Duration timeout, Duration interval, std::stop_token stop);

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_HEALTH_PROBE_H_
