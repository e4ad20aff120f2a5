#include "probes/health_probe.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>

#include "absl/strings/str_cat.h"
#include "proto/channel.h"
#include "proto/grpc_service.grpc.pb.h"
#include "proto/health.grpc.pb.h"

namespace faultdrill::probes {

struct HealthProbe::Stubs {
  std::unique_ptr<inference::GRPCInferenceService::Stub> inference;
  std::unique_ptr<grpc::health::v1::Health::Stub> health;
};

absl::StatusOr<HealthProbeSettings> ParseHealthProbe(const ProbeSpec& spec, const Scenario& scenario) {
  ParamReader params(spec.params, "probe (health)");
  if (absl::Status s = params.CheckKnownKeys({"kind", "timeout", "model", "model_version", "grpc_health_service"});
      !s.ok()) {
    return s;
  }
  HealthProbeSettings settings;
  auto model = params.String("model", scenario.target.model);
  if (!model.ok()) return model.status();
  settings.model = *model;
  auto version = params.String("model_version", scenario.target.model_version);
  if (!version.ok()) return version.status();
  settings.model_version = *version;
  auto timeout = params.Dur("timeout", std::chrono::seconds(1));
  if (!timeout.ok()) return timeout.status();
  if (timeout->count() <= 0) return params.Error("timeout", "must be greater than zero");
  settings.timeout = *timeout;
  if (params.Has("grpc_health_service")) {
    auto service = params.String("grpc_health_service");
    if (!service.ok()) return service.status();
    settings.grpc_health_service = *service;
  }
  return settings;
}

HealthProbe::HealthProbe(std::shared_ptr<grpc::Channel> channel, std::string endpoint,
                         HealthProbeSettings settings)
    : settings_(std::move(settings)), endpoint_(std::move(endpoint)), stubs_(std::make_unique<Stubs>()) {
  stubs_->inference = inference::GRPCInferenceService::NewStub(channel);
  stubs_->health = grpc::health::v1::Health::NewStub(channel);
}

HealthProbe::HealthProbe(std::function<std::string()> endpoint, HealthProbeSettings settings)
    : endpoint_source_(std::move(endpoint)), settings_(std::move(settings)) {}

absl::StatusOr<std::unique_ptr<Probe>> HealthProbe::Create(const ProbeSpec& spec, const ProbeContext& context) {
  absl::StatusOr<HealthProbeSettings> settings = ParseHealthProbe(spec, context.scenario);
  if (!settings.ok()) return settings.status();
  return std::unique_ptr<Probe>(std::make_unique<HealthProbe>(context.target_endpoint, *std::move(settings)));
}

void HealthProbe::ConnectTo(const std::string& endpoint) {
  if (stubs_ != nullptr && endpoint == endpoint_) return;
  auto channel = OpenChannel(endpoint);
  stubs_ = std::make_unique<Stubs>();
  stubs_->inference = inference::GRPCInferenceService::NewStub(channel);
  stubs_->health = grpc::health::v1::Health::NewStub(channel);
  endpoint_ = endpoint;
}

HealthProbe::~HealthProbe() = default;

std::string HealthProbe::Describe() const {
  std::string text = absl::StrCat("health of ", endpoint_.empty() ? "the target" : endpoint_);
  if (!settings_.model.empty()) absl::StrAppend(&text, " (model ", settings_.model, ")");
  return text;
}

ProbeResult HealthProbe::Check() {
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = std::chrono::system_clock::now() + settings_.timeout;
  ProbeResult result;
  auto finish = [&](bool healthy, std::string detail) {
    result.healthy = healthy;
    result.detail = std::move(detail);
    result.took = std::chrono::steady_clock::now() - start;
    return result;
  };
  if (endpoint_source_) {
    std::string endpoint = endpoint_source_();
    if (endpoint.empty()) return finish(false, "the target is not up yet");
    ConnectTo(endpoint);
  }
  auto failed = [](const char* what, const grpc::Status& status) {
    return absl::StrCat(what, " failed: ", status.error_message().empty() ? "" : status.error_message(),
                        " (code ", static_cast<int>(status.error_code()), ")");
  };

  {
    grpc::ClientContext context;
    context.set_deadline(deadline);
    inference::ServerLiveRequest request;
    inference::ServerLiveResponse response;
    grpc::Status status = stubs_->inference->ServerLive(&context, request, &response);
    if (!status.ok()) return finish(false, failed("ServerLive", status));
    if (!response.live()) return finish(false, "server is not live");
  }
  {
    grpc::ClientContext context;
    context.set_deadline(deadline);
    inference::ServerReadyRequest request;
    inference::ServerReadyResponse response;
    grpc::Status status = stubs_->inference->ServerReady(&context, request, &response);
    if (!status.ok()) return finish(false, failed("ServerReady", status));
    if (!response.ready()) return finish(false, "server is live but not ready");
  }
  if (!settings_.model.empty()) {
    grpc::ClientContext context;
    context.set_deadline(deadline);
    inference::ModelReadyRequest request;
    request.set_name(settings_.model);
    request.set_version(settings_.model_version);
    inference::ModelReadyResponse response;
    grpc::Status status = stubs_->inference->ModelReady(&context, request, &response);
    if (!status.ok()) return finish(false, failed("ModelReady", status));
    if (!response.ready()) return finish(false, absl::StrCat("model ", settings_.model, " is not ready"));
  }
  if (settings_.grpc_health_service.has_value()) {
    grpc::ClientContext context;
    context.set_deadline(deadline);
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(*settings_.grpc_health_service);
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = stubs_->health->Check(&context, request, &response);
    if (!status.ok()) return finish(false, failed("grpc.health.v1 Check", status));
    if (response.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
      return finish(false, absl::StrCat("grpc.health.v1 reports ",
                                        grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                                            response.status())));
    }
  }
  std::string detail = "live, ready";
  if (!settings_.model.empty()) absl::StrAppend(&detail, ", model ", settings_.model, " ready");
  if (settings_.grpc_health_service.has_value()) absl::StrAppend(&detail, ", grpc.health SERVING");
  return finish(true, std::move(detail));
}

absl::Status WaitUntilHealthy(Probe& probe, Duration timeout, Duration interval, std::stop_token stop) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::mutex mu;
  std::condition_variable_any wake;
  std::string last = "no answer yet";
  while (!stop.stop_requested()) {
    ProbeResult result = probe.Check();
    if (result.healthy) return absl::OkStatus();
    last = result.detail;
    if (std::chrono::steady_clock::now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat(probe.Describe(), " not healthy within ",
                                                      FormatDuration(timeout), ": ", last));
    }
    std::unique_lock lock(mu);
    wake.wait_for(lock, stop, interval, [] { return false; });
  }
  return absl::CancelledError(absl::StrCat("stopped while waiting for ", probe.Describe()));
}

}  // namespace faultdrill::probes
