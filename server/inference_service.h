// The Open Inference Protocol service (inference.GRPCInferenceService) on the
// gRPC callback API: no thread per request. Liveness, readiness and metadata are
// answered on gRPC's threads; ModelInfer is validated there and then handed to
// the InferenceExecutor, whose worker finishes the call.
//
// ModelInfer answers NotFound for an unknown model or version, Unavailable for a
// model that is not ready (or while draining), InvalidArgument for a malformed
// request, ResourceExhausted when the work queue is full, DeadlineExceeded or
// Cancelled when the client stopped waiting. The response mirrors the request's
// tensor form (raw_output_contents for raw_input_contents, else typed contents),
// echoes its id and carries the parameter `server_time_unix_ns` (int64, the
// server's system clock when the response was built).
//
// ModelMetadata and ModelReady add the trailing metadata entry
// `faultdrill-load-error` when the latest (re)load of the model failed.
#ifndef FAULTDRILL_SERVER_INFERENCE_SERVICE_H_
#define FAULTDRILL_SERVER_INFERENCE_SERVICE_H_

#include <string>

#include "proto/grpc_service.grpc.pb.h"
#include "server/inference_executor.h"
#include "server/model_repository.h"
#include "server/readiness.h"

namespace faultdrill::server {

class ServerMetrics;

inline constexpr char kServerName[] = "faultdrill-model-server";
inline constexpr char kLoadErrorMetadataKey[] = "faultdrill-load-error";
inline constexpr char kServerTimeParameter[] = "server_time_unix_ns";

class InferenceService final : public inference::GRPCInferenceService::CallbackService {
 public:
  // All of them must outlive the service (and the grpc::Server it is
  // registered with). `metrics` may be null (no metrics endpoint); otherwise
  // every ModelInfer call is counted there when it is answered.
  InferenceService(const ModelRepository& repository, const Readiness& readiness,
                   InferenceExecutor& executor, ServerMetrics* metrics = nullptr)
      : repository_(repository), readiness_(readiness), executor_(executor), metrics_(metrics) {}

  grpc::ServerUnaryReactor* ServerLive(grpc::CallbackServerContext* context,
                                       const inference::ServerLiveRequest* request,
                                       inference::ServerLiveResponse* response) override;
  grpc::ServerUnaryReactor* ServerReady(grpc::CallbackServerContext* context,
                                        const inference::ServerReadyRequest* request,
                                        inference::ServerReadyResponse* response) override;
  grpc::ServerUnaryReactor* ModelReady(grpc::CallbackServerContext* context,
                                       const inference::ModelReadyRequest* request,
                                       inference::ModelReadyResponse* response) override;
  grpc::ServerUnaryReactor* ServerMetadata(grpc::CallbackServerContext* context,
                                           const inference::ServerMetadataRequest* request,
                                           inference::ServerMetadataResponse* response) override;
  grpc::ServerUnaryReactor* ModelMetadata(grpc::CallbackServerContext* context,
                                          const inference::ModelMetadataRequest* request,
                                          inference::ModelMetadataResponse* response) override;
  grpc::ServerUnaryReactor* ModelInfer(grpc::CallbackServerContext* context,
                                       const inference::ModelInferRequest* request,
                                       inference::ModelInferResponse* response) override;

 private:
  void AddLoadErrorMetadata(grpc::CallbackServerContext* context, std::string_view model) const;

  const ModelRepository& repository_;
  const Readiness& readiness_;
  InferenceExecutor& executor_;
  ServerMetrics* const metrics_;
};

// absl::Status -> grpc::Status (the codes are the same numbers).
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_INFERENCE_SERVICE_H_
