// corrupt-weights against the real reference server: the file is corrupted on
// disk, the server is told to reload it (SIGHUP), and after revert it serves
// the original weights again.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/journal.h"
#include "injectors/corrupt_weights.h"
#include "tests/injectors/scenario_fixture.h"
#include "tests/injectors/server_target.h"
#include "tests/server/infer_requests.h"
#include "tests/server/server_process.h"

namespace faultdrill::injectors {
namespace {

using ::faultdrill::testing::ClassifierRequest;
using ::faultdrill::testing::ClassifierRows;
using ::faultdrill::testing::ServerProcess;
using ::testing::HasSubstr;
using std::chrono::milliseconds;

class CorruptWeightsServerTest : public ::faultdrill::testing::InjectorTest {
 protected:
  CorruptWeightsServerTest() : InjectorTest(&CorruptWeightsInjector::Create) {}

  void Start(std::vector<std::string> extra_args) {
    ASSERT_TRUE(::faultdrill::testing::GenerateModels(dir_.File("models")).ok());
    auto journal = Journal::Open(dir_.File("journal"), "t");
    ASSERT_TRUE(journal.ok()) << journal.status();
    journal_ = *std::move(journal);
    run_.set_journal(journal_.get());
    auto server = ServerProcess::Start({.models_dir = dir_.File("models"), .extra_args = std::move(extra_args)});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    target_ = std::make_unique<::faultdrill::testing::ServerTarget>(*server_);
    targets_.set_launched(target_.get());
  }

  std::unique_ptr<Injector> Make(const std::string& keys) {
    auto injector = Create("{kind: corrupt-weights, at: 1s, file: " + dir_.File("models/classifier.fdw") +
                           ", reload: sighup, " + keys + "}");
    EXPECT_TRUE(injector.ok()) << injector.status();
    return injector.ok() ? *std::move(injector) : nullptr;
  }

  // The classifier's probabilities for a fixed input, or the call's status.
  absl::StatusOr<std::vector<float>> Classify() {
    auto stub = server_->InferenceStub();
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + milliseconds(5000));
    inference::ModelInferResponse response;
    const grpc::Status status = stub->ModelInfer(&context, ClassifierRequest(ClassifierRows(3)), &response);
    if (!status.ok()) return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
    return ::faultdrill::testing::Fp32Output(response, 0);
  }

  // The server's account of its latest reload of the classifier ("" when it loaded).
  std::string LoadError() {
    auto stub = server_->InferenceStub();
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + milliseconds(5000));
    inference::ModelReadyRequest request;
    request.set_name("classifier");
    inference::ModelReadyResponse response;
    EXPECT_TRUE(stub->ModelReady(&context, request, &response).ok());
    const auto& trailers = context.GetServerTrailingMetadata();
    auto it = trailers.find("faultdrill-load-error");
    return it == trailers.end() ? "" : std::string(it->second.data(), it->second.size());
  }

  bool WaitForReloads(int count) { return server_->WaitForStderr("reload finished", count, milliseconds(10000)); }

  ::faultdrill::testing::TempDir dir_;
  std::unique_ptr<Journal> journal_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<::faultdrill::testing::ServerTarget> target_;
};

TEST_F(CorruptWeightsServerTest, ACheckingServerRefusesTheCorruptFileAndRecoversAfterRevert) {
  Start({});
  auto before = Classify();
  ASSERT_TRUE(before.ok()) << before.status();
  auto injector = Make("flips: 64");
  ASSERT_TRUE(injector->Apply().ok());
  ASSERT_TRUE(WaitForReloads(1)) << server_->Stderr();
  EXPECT_THAT(LoadError(), HasSubstr("classifier.fdw"));
  // It keeps serving the weights it had.
  auto during = Classify();
  ASSERT_TRUE(during.ok()) << during.status();
  EXPECT_EQ(*during, *before);
  EXPECT_TRUE(server_->running());

  ASSERT_TRUE(injector->Revert().ok());
  ASSERT_TRUE(WaitForReloads(2)) << server_->Stderr();
  EXPECT_EQ(LoadError(), "");
  auto after = Classify();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after, *before);
  EXPECT_EQ(injector->Counters().at("reloads"), 2);
}

TEST_F(CorruptWeightsServerTest, ATruncatedFileIsRefusedToo) {
  Start({});
  auto injector = Make("truncate: 50%");
  ASSERT_TRUE(injector->Apply().ok());
  ASSERT_TRUE(WaitForReloads(1)) << server_->Stderr();
  EXPECT_THAT(LoadError(), HasSubstr("truncated"));
  EXPECT_TRUE(Classify().ok());
  ASSERT_TRUE(injector->Revert().ok());
  ASSERT_TRUE(WaitForReloads(2));
  EXPECT_EQ(LoadError(), "");
}

TEST_F(CorruptWeightsServerTest, WithoutChecksumsAScaledTensorChangesTheOutputsUntilRevert) {
  Start({"--no-verify-checksums"});
  auto before = Classify();
  ASSERT_TRUE(before.ok()) << before.status();
  auto injector = Make("scale: {tensor: w2, factor: 3}");
  ASSERT_TRUE(injector->Apply().ok());
  ASSERT_TRUE(WaitForReloads(1)) << server_->Stderr();
  EXPECT_EQ(LoadError(), "");
  auto during = Classify();
  ASSERT_TRUE(during.ok()) << during.status();
  EXPECT_NE(*during, *before);

  ASSERT_TRUE(injector->Revert().ok());
  ASSERT_TRUE(WaitForReloads(2));
  auto after = Classify();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after, *before);
}

TEST_F(CorruptWeightsServerTest, WithoutChecksumsFlippedBitsChangeTheOutputsUntilRevert) {
  Start({"--no-verify-checksums"});
  auto before = Classify();
  ASSERT_TRUE(before.ok()) << before.status();
  auto injector = Make("flips: 64");
  ASSERT_TRUE(injector->Apply().ok());
  ASSERT_TRUE(WaitForReloads(1)) << server_->Stderr();
  // A flipped bit may make a weight huge: then the outputs are not finite and
  // the server answers INTERNAL; either way the golden comparison would see it.
  auto during = Classify();
  if (during.ok()) {
    EXPECT_NE(*during, *before);
  } else {
    EXPECT_EQ(during.status().code(), absl::StatusCode::kInternal) << during.status();
  }
  ASSERT_TRUE(injector->Revert().ok());
  ASSERT_TRUE(WaitForReloads(2));
  auto after = Classify();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after, *before);
}

}  // namespace
}  // namespace faultdrill::injectors
