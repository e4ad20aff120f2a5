// faultdrill-test-upload-client: a small gRPC client for tests that must run
// inside a network namespace (`ip netns exec NS faultdrill-test-upload-client
// ...`), where the test process itself cannot open sockets. It waits until
// the reference server is ready, then sends CALLS ModelInfer calls that each
// carry BYTES bytes of raw input (the server refuses them once it has read
// them all, so each call times the transfer of BYTES bytes) and prints one
// line per call: "call N status CODE ms ELAPSED".
//
//   faultdrill-test-upload-client 127.0.0.1:PORT BYTES CALLS
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "proto/grpc_service.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;

bool WaitUntilReady(inference::GRPCInferenceService::Stub& stub, std::chrono::seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
    inference::ServerReadyResponse response;
    if (stub.ServerReady(&context, inference::ServerReadyRequest(), &response).ok() && response.ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s HOST:PORT BYTES CALLS\n", argv[0]);
    return 2;
  }
  const std::string endpoint = argv[1];
  const size_t bytes = std::strtoull(argv[2], nullptr, 10);
  const int calls = std::atoi(argv[3]);
  grpc::ChannelArguments arguments;
  arguments.SetMaxSendMessageSize(64 << 20);
  auto channel = grpc::CreateCustomChannel(endpoint, grpc::InsecureChannelCredentials(), arguments);
  auto stub = inference::GRPCInferenceService::NewStub(channel);
  if (!WaitUntilReady(*stub, std::chrono::seconds(20))) {
    std::fprintf(stderr, "%s never became ready\n", endpoint.c_str());
    return 1;
  }
  inference::ModelInferRequest request;
  request.set_model_name("classifier");
  auto* input = request.add_inputs();
  input->set_name("upload");
  input->set_datatype("UINT8");
  input->add_shape(static_cast<int64_t>(bytes));
  request.add_raw_input_contents(std::string(bytes, '\x5a'));
  for (int i = 0; i < calls; ++i) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    inference::ModelInferResponse response;
    const auto start = Clock::now();
    const grpc::Status status = stub->ModelInfer(&context, request, &response);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    std::printf("call %d status %d ms %.3f\n", i, static_cast<int>(status.error_code()), ms);
  }
  return 0;
}
