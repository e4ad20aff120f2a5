#include "server/inference_service.h"

#include <atomic>
#include <chrono>
#include <memory>

#include "server/server_metrics.h"
#include "server/strings.h"
#include "server/tensor_codec.h"

#ifndef FAULTDRILL_SERVER_VERSION
#define FAULTDRILL_SERVER_VERSION "0.0.0"
#endif

namespace faultdrill::server {
namespace {

// Finishes a call at once with `status`.
grpc::ServerUnaryReactor* FinishNow(grpc::CallbackServerContext* context,
                                    const grpc::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

// A ModelInfer call: remembers whether the client went away, so the worker can
// skip or stop the work. Deletes itself when gRPC is done with it.
class InferReactor final : public grpc::ServerUnaryReactor {
 public:
  const std::atomic<bool>* cancelled() const { return &cancelled_; }
  void OnCancel() override { cancelled_.store(true); }
  void OnDone() override { delete this; }

 private:
  std::atomic<bool> cancelled_{false};
};

absl::Time DeadlineOf(const grpc::CallbackServerContext& context) {
  const auto deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) return absl::InfiniteFuture();
  return absl::FromChrono(deadline);
}

// What the response needs from the request, copied so the request can go.
struct ResponsePlan {
  std::string model_name;
  std::string id;
  std::vector<std::string> outputs;
  bool raw_form = false;
};

void BuildResponse(const ResponsePlan& plan, std::vector<Tensor> outputs,
                   inference::ModelInferResponse* response) {
  response->set_model_name(plan.model_name);
  response->set_model_version(std::string(kModelVersion));
  response->set_id(plan.id);
  for (const std::string& name : plan.outputs) {
    for (const Tensor& tensor : outputs) {
      if (tensor.name != name) continue;
      auto* output = response->add_outputs();
      output->set_name(tensor.name);
      output->set_datatype(std::string(DataTypeName(tensor.type)));
      for (int64_t dim : tensor.shape) output->add_shape(dim);
      if (plan.raw_form) {
        response->add_raw_output_contents(EncodeRawContents(tensor));
      } else {
        EncodeTypedContents(tensor, output->mutable_contents());
      }
    }
  }
  const int64_t now_ns = absl::ToUnixNanos(absl::Now());
  (*response->mutable_parameters())[kServerTimeParameter].set_int64_param(now_ns);
}

void FillTensorMetadata(const TensorSignature& tensor,
                        inference::ModelMetadataResponse::TensorMetadata* metadata) {
  metadata->set_name(tensor.name);
  metadata->set_datatype(std::string(DataTypeName(tensor.type)));
  for (int64_t dim : tensor.shape) metadata->add_shape(dim);
}

// gRPC metadata values must be printable ASCII.
std::string PrintableAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  return out;
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

void InferenceService::AddLoadErrorMetadata(grpc::CallbackServerContext* context,
                                            std::string_view model) const {
  const absl::Status error = repository_.LastLoadError(model);
  if (!error.ok()) context->AddTrailingMetadata(kLoadErrorMetadataKey, PrintableAscii(ToStd(error.message())));
}

grpc::ServerUnaryReactor* InferenceService::ServerLive(grpc::CallbackServerContext* context,
                                                       const inference::ServerLiveRequest*,
                                                       inference::ServerLiveResponse* response) {
  response->set_live(true);
  return FinishNow(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor* InferenceService::ServerReady(grpc::CallbackServerContext* context,
                                                        const inference::ServerReadyRequest*,
                                                        inference::ServerReadyResponse* response) {
  response->set_ready(readiness_.ServerReady());
  return FinishNow(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor* InferenceService::ModelReady(grpc::CallbackServerContext* context,
                                                       const inference::ModelReadyRequest* request,
                                                       inference::ModelReadyResponse* response) {
  const absl::StatusOr<bool> ready = readiness_.ModelReady(request->name(), request->version());
  if (!ready.ok()) return FinishNow(context, ToGrpcStatus(ready.status()));
  response->set_ready(*ready);
  AddLoadErrorMetadata(context, request->name());
  return FinishNow(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor* InferenceService::ServerMetadata(
    grpc::CallbackServerContext* context, const inference::ServerMetadataRequest*,
    inference::ServerMetadataResponse* response) {
  response->set_name(kServerName);
  response->set_version(FAULTDRILL_SERVER_VERSION);
  return FinishNow(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor* InferenceService::ModelMetadata(
    grpc::CallbackServerContext* context, const inference::ModelMetadataRequest* request,
    inference::ModelMetadataResponse* response) {
  const absl::StatusOr<const ModelSignature*> signature =
      repository_.Signature(request->name(), request->version());
  if (!signature.ok()) return FinishNow(context, ToGrpcStatus(signature.status()));
  response->set_name((*signature)->name);
  response->add_versions(std::string(kModelVersion));
  response->set_platform("faultdrill");
  for (const TensorSignature& input : (*signature)->inputs) {
    FillTensorMetadata(input, response->add_inputs());
  }
  for (const TensorSignature& output : (*signature)->outputs) {
    FillTensorMetadata(output, response->add_outputs());
  }
  AddLoadErrorMetadata(context, request->name());
  return FinishNow(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor* InferenceService::ModelInfer(grpc::CallbackServerContext* context,
                                                       const inference::ModelInferRequest* request,
                                                       inference::ModelInferResponse* response) {
  // Counted just before the answer goes out, so a client that scrapes after
  // its answer sees its call.
  const auto received = std::chrono::steady_clock::now();
  ServerMetrics* const metrics = metrics_;
  const int model_index = metrics != nullptr ? metrics->ModelIndex(request->model_name()) : 0;
  auto count = [metrics, model_index, received](grpc::StatusCode code) {
    if (metrics != nullptr) {
      metrics->RecordRequest(model_index, static_cast<absl::StatusCode>(code),
                             absl::FromChrono(std::chrono::steady_clock::now() - received));
    }
  };
  auto finish_now = [&](const grpc::Status& status) {
    count(status.error_code());
    return FinishNow(context, status);
  };

  if (readiness_.draining()) {
    return finish_now(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down"));
  }
  absl::StatusOr<std::shared_ptr<const Model>> model =
      repository_.Get(request->model_name(), request->model_version());
  if (!model.ok()) return finish_now(ToGrpcStatus(model.status()));
  absl::StatusOr<ValidatedRequest> validated =
      ValidateInferRequest(*request, (*model)->signature());
  if (!validated.ok()) return finish_now(ToGrpcStatus(validated.status()));

  auto* reactor = new InferReactor();
  ResponsePlan plan{(*model)->signature().name, validated->id, validated->outputs,
                    validated->raw_form};
  auto task = std::make_unique<InferTask>();
  task->model = *std::move(model);
  task->request = *std::move(validated);
  task->deadline = DeadlineOf(*context);
  task->cancelled = reactor->cancelled();
  task->done = [reactor, response, count, plan = std::move(plan)](
                   absl::StatusOr<std::vector<Tensor>> outputs) {
    if (!outputs.ok()) {
      const grpc::Status status = ToGrpcStatus(outputs.status());
      count(status.error_code());
      reactor->Finish(status);
      return;
    }
    BuildResponse(plan, *std::move(outputs), response);
    count(grpc::StatusCode::OK);
    reactor->Finish(grpc::Status::OK);
  };
  if (absl::Status submitted = executor_.Submit(task); !submitted.ok()) {
    const grpc::Status status = ToGrpcStatus(submitted);
    count(status.error_code());
    reactor->Finish(status);
  }
  return reactor;
}

}  // namespace faultdrill::server
