#include "server/health_service.h"

#include "server/strings.h"

namespace faultdrill::server {

using grpc::health::v1::HealthCheckResponse;

grpc::ServerUnaryReactor* HealthService::Check(grpc::CallbackServerContext* context,
                                               const grpc::health::v1::HealthCheckRequest* request,
                                               HealthCheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  bool serving = false;
  if (request->service().empty()) {
    serving = readiness_.ServerReady();
  } else {
    const absl::StatusOr<bool> ready = readiness_.ModelReady(request->service(), "");
    if (!ready.ok()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                   Cat("unknown service '", request->service(), "'")));
      return reactor;
    }
    serving = *ready;
  }
  response->set_status(serving ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace faultdrill::server
