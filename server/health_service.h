// grpc.health.v1.Health, from the project's own health.proto (grpc's built-in
// health service stays disabled so the service is registered once).
//
// Check("") is SERVING when the server is ready (see Readiness); Check(<model
// name>) is SERVING when that model is ready; anything else is NOT_FOUND, as
// the health checking protocol specifies. Watch is not implemented
// (UNIMPLEMENTED).
#ifndef FAULTDRILL_SERVER_HEALTH_SERVICE_H_
#define FAULTDRILL_SERVER_HEALTH_SERVICE_H_

#include "proto/health.grpc.pb.h"
#include "server/readiness.h"

namespace faultdrill::server {

class HealthService final : public grpc::health::v1::Health::CallbackService {
 public:
  // `readiness` must outlive the service.
  explicit HealthService(const Readiness& readiness) : readiness_(readiness) {}

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  grpc::health::v1::HealthCheckResponse* response) override;

 private:
  const Readiness& readiness_;
};

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_HEALTH_SERVICE_H_
