// poison-inputs against the real reference server: every variant goes through
// the real load driver and gRPC transport, each is answered as the catalogue
// expects, and the server stays up and serves normal requests afterwards.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/clock.h"
#include "injectors/poison_inputs.h"
#include "load/grpc_transport.h"
#include "load/load_driver.h"
#include "tests/injectors/poison_test_requests.h"
#include "tests/injectors/scenario_fixture.h"
#include "tests/injectors/server_target.h"
#include "tests/server/server_process.h"

namespace faultdrill::injectors {
namespace {

using ::faultdrill::testing::ServerProcess;
using std::chrono::milliseconds;

class PoisonInputsServerTest : public ::faultdrill::testing::InjectorTest {
 protected:
  PoisonInputsServerTest() : InjectorTest(&PoisonInputsInjector::Create) {}
};

TEST_F(PoisonInputsServerTest, TheReferenceServerAnswersEveryVariantAsExpectedAndStaysUp) {
  ::faultdrill::testing::TempDir dir;
  ASSERT_TRUE(::faultdrill::testing::GenerateModels(dir.File("models")).ok());
  auto server = ServerProcess::Start({.models_dir = dir.File("models")});
  ASSERT_TRUE(server.ok()) << server.status();
  ::faultdrill::testing::ServerTarget target(**server);
  targets_.set_launched(&target);

  auto injector = Create("{kind: poison-inputs, at: 0s, fraction: 100%}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  auto* poison = dynamic_cast<PoisonInputsInjector*>(injector->get());
  ASSERT_NE(poison, nullptr);
  const load::VectorRequestSource planned = ::faultdrill::testing::BothModels();
  ASSERT_TRUE(poison->PrepareRequests(planned).ok());
  const size_t variants = poison->variant_names().size();
  ASSERT_EQ(variants, PoisonVariants().size());

  auto transport = load::GrpcTransport::Create({.endpoint = (*server)->endpoint(), .channels = 1});
  ASSERT_TRUE(transport.ok()) << transport.status();
  LoadSpec spec;
  spec.mode = LoadMode::kOpen;
  spec.rate = Rate{double(variants) * 2};  // every variant twice in one second
  spec.duration = std::chrono::seconds(1);
  spec.deadline = std::chrono::seconds(5);
  load::Recorder recorder({});
  load::LoadStats stats;
  {
    load::LoadDriver driver(spec, planned, **transport, recorder, SystemClock());
    driver.SetInterceptor(&poison->interceptor());
    ASSERT_TRUE(poison->Apply().ok());
    stats = driver.Run(SystemClock().Now(), {});
  }
  ASSERT_TRUE(poison->Revert().ok());

  EXPECT_EQ(stats.substituted, stats.sent);
  const auto counters = poison->Counters();
  EXPECT_EQ(counters.at("poisoned_sent"), int64_t(variants) * 2);
  EXPECT_EQ(counters.at("expected"), counters.at("poisoned_sent"));
  const Verdict verdict = poison->Verdicts()[0];
  EXPECT_TRUE(verdict.passed) << verdict.message;

  // Still up, and a normal request is served.
  EXPECT_TRUE((*server)->running());
  auto stub = (*server)->InferenceStub();
  for (size_t i = 0; i < planned.size(); ++i) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + milliseconds(5000));
    inference::ModelInferResponse response;
    const grpc::Status status = stub->ModelInfer(&context, planned.At(i), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
}

}  // namespace
}  // namespace faultdrill::injectors
