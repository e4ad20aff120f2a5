// Pass-through of what the reference server does not exercise: a
// server-streaming call, metadata both ways, the client's deadline carried
// on, and a non-OK status with trailing metadata — against a small in-test
// Health server behind a real faultdrill-proxy.
#include <gtest/gtest.h>
#include <grpcpp/grpcpp.h>

#include "core/journal.h"
#include "injectors/fault_proxy.h"
#include "proto/health.grpc.pb.h"
#include "tests/common/files.h"

namespace faultdrill::testing {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// Check: echoes the client's "x-echo" in initial metadata, reports the time
// left to the deadline (ms) in trailing metadata, and fails with NOT_FOUND
// for service "missing". Watch: three responses, then OK.
class EchoHealth final : public Health::Service {
 public:
  grpc::Status Check(grpc::ServerContext* context, const HealthCheckRequest* request,
                     HealthCheckResponse* response) override {
    auto echo = context->client_metadata().find("x-echo");
    if (echo != context->client_metadata().end()) {
      context->AddInitialMetadata("x-echoed", std::string(echo->second.data(), echo->second.size()));
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(context->deadline() -
                                                                            std::chrono::system_clock::now());
    context->AddTrailingMetadata("x-deadline-left-ms", std::to_string(left.count()));
    if (request->service() == "missing") return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such service");
    response->set_status(HealthCheckResponse::SERVING);
    return grpc::Status::OK;
  }
  grpc::Status Watch(grpc::ServerContext*, const HealthCheckRequest*,
                     grpc::ServerWriter<HealthCheckResponse>* writer) override {
    for (auto status : {HealthCheckResponse::NOT_SERVING, HealthCheckResponse::SERVING, HealthCheckResponse::UNKNOWN}) {
      HealthCheckResponse response;
      response.set_status(status);
      writer->Write(response);
    }
    return grpc::Status::OK;
  }
};

class StreamingPassThrough : public ::testing::Test {
 protected:
  void SetUp() override {
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_GT(port, 0);
    auto proxy = injectors::FaultProxy::Start("127.0.0.1:" + std::to_string(port), work_.path(), *journal_);
    ASSERT_TRUE(proxy.ok()) << proxy.status();
    proxy_ = std::move(*proxy);
    stub_ = Health::NewStub(grpc::CreateChannel(proxy_->endpoint(), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    proxy_.reset();
    server_->Shutdown();
  }

  EchoHealth service_;
  std::unique_ptr<grpc::Server> server_;
  TempDir work_;
  std::unique_ptr<Journal> journal_ = Journal::InMemory();
  std::unique_ptr<injectors::FaultProxy> proxy_;
  std::unique_ptr<Health::Stub> stub_;
};

std::string Metadata(const std::multimap<grpc::string_ref, grpc::string_ref>& map, const std::string& key) {
  auto it = map.find(key);
  return it == map.end() ? "" : std::string(it->second.data(), it->second.size());
}

TEST_F(StreamingPassThrough, MetadataAndDeadlineCrossBothWays) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
  context.AddMetadata("x-echo", "hello");
  HealthCheckResponse response;
  ASSERT_TRUE(stub_->Check(&context, HealthCheckRequest(), &response).ok());
  EXPECT_EQ(Metadata(context.GetServerInitialMetadata(), "x-echoed"), "hello");
  const int left = std::stoi(Metadata(context.GetServerTrailingMetadata(), "x-deadline-left-ms"));
  EXPECT_GT(left, 2500);
  EXPECT_LE(left, 3100);  // grpc-timeout is sent rounded up, a hop may add a little
}

TEST_F(StreamingPassThrough, ErrorStatusAndTrailersComeBackUnchanged) {
  grpc::ClientContext context;
  HealthCheckRequest request;
  request.set_service("missing");
  HealthCheckResponse response;
  grpc::Status status = stub_->Check(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "no such service");
  EXPECT_FALSE(Metadata(context.GetServerTrailingMetadata(), "x-deadline-left-ms").empty());
}

TEST_F(StreamingPassThrough, EveryStreamedMessageArrivesInOrder) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
  auto reader = stub_->Watch(&context, HealthCheckRequest());
  std::vector<int> seen;
  HealthCheckResponse response;
  while (reader->Read(&response)) seen.push_back(response.status());
  EXPECT_TRUE(reader->Finish().ok());
  EXPECT_EQ(seen, (std::vector<int>{HealthCheckResponse::NOT_SERVING, HealthCheckResponse::SERVING,
                                    HealthCheckResponse::UNKNOWN}));
}

}  // namespace
}  // namespace faultdrill::testing
