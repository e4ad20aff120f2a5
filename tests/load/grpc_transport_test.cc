// GrpcTransport and LoadDriver against the real reference server on loopback.
#include "load/grpc_transport.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "load/load_driver.h"
#include "load/recorder.h"
#include "load/request_generator.h"
#include "tests/server/server_process.h"

namespace faultdrill::load {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Collects callbacks; waits for them on the real clock, bounded.
class Completions {
 public:
  InferenceTransport::Callback Add() {
    std::lock_guard lock(mu_);
    ++expected_;
    return [this](const grpc::Status& status, inference::ModelInferResponse& response) {
      std::lock_guard lock(mu_);
      statuses_.push_back(status);
      if (status.ok() && !kept_) {
        kept_ = std::make_unique<inference::ModelInferResponse>();
        kept_->Swap(&response);  // kept without a copy
      }
      cv_.notify_all();
    };
  }
  bool Wait(Duration timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [this] { return statuses_.size() == expected_; });
  }
  std::vector<grpc::Status> statuses() {
    std::lock_guard lock(mu_);
    return statuses_;
  }
  const inference::ModelInferResponse* first_response() const { return kept_.get(); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  size_t expected_ = 0;
  std::vector<grpc::Status> statuses_;
  std::unique_ptr<inference::ModelInferResponse> kept_;
};

auto Deadline(Duration d) { return std::chrono::system_clock::now() + d; }

class ReferenceServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    models_ = new faultdrill::testing::TempDir();
    const absl::Status status = faultdrill::testing::GenerateModels(models_->path());
    generated_ = status.ok();
    if (!generated_) generate_error_ = new std::string(status.ToString());
  }
  static void TearDownTestSuite() {
    delete models_;
    delete generate_error_;
    generate_error_ = nullptr;
  }

  void SetUp() override {
    ASSERT_TRUE(generated_) << "generate-weights failed: " << (generate_error_ ? *generate_error_ : "");
    auto server = faultdrill::testing::ServerProcess::Start(
        {.models_dir = models_->path(), .extra_args = {"--queue-size", "8192"}});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    auto transport = GrpcTransport::Create({.endpoint = server_->endpoint(), .channels = 2, .initial_slots = 64});
    ASSERT_TRUE(transport.ok()) << transport.status();
    transport_ = *std::move(transport);
    ASSERT_TRUE(transport_->WaitForReady(Deadline(seconds(5))));
  }
  void TearDown() override {
    if (server_) server_->Signal(SIGCONT);  // never leave it stopped
    transport_.reset();
  }

  std::unique_ptr<RequestSource> Generate(const std::string& model) {
    GeneratorSpec spec;
    spec.model = model;
    spec.max_tokens = 4;
    auto source = MakeGenerator(spec, model, "", 1);
    EXPECT_TRUE(source.ok()) << source.status();
    return source.ok() ? *std::move(source) : nullptr;
  }

  static faultdrill::testing::TempDir* models_;
  static bool generated_;
  static std::string* generate_error_;
  std::unique_ptr<faultdrill::testing::ServerProcess> server_;
  std::unique_ptr<GrpcTransport> transport_;
};
faultdrill::testing::TempDir* ReferenceServerTest::models_ = nullptr;
bool ReferenceServerTest::generated_ = false;
std::string* ReferenceServerTest::generate_error_ = nullptr;

TEST_F(ReferenceServerTest, ClassifierCallsSucceedAndTheResponseIsKeptWithoutCopying) {
  auto source = Generate("classifier");
  Completions done;
  for (int i = 0; i < 200; ++i) transport_->Infer(source->At(i), Deadline(seconds(5)), done.Add());
  ASSERT_TRUE(done.Wait(seconds(10)));
  for (const grpc::Status& s : done.statuses()) EXPECT_TRUE(s.ok()) << s.error_message();
  ASSERT_NE(done.first_response(), nullptr);
  EXPECT_EQ(done.first_response()->model_name(), "classifier");
  ASSERT_GE(done.first_response()->outputs_size(), 1);
  EXPECT_EQ(done.first_response()->outputs(0).name(), "PROBABILITIES");
  EXPECT_LE(transport_->slot_count(), 64u + 256u);  // grew past 64 by one chunk
}

TEST_F(ReferenceServerTest, TinyLmCallsSucceed) {
  auto source = Generate("tinylm");
  Completions done;
  for (int i = 0; i < 20; ++i) transport_->Infer(source->At(i), Deadline(seconds(5)), done.Add());
  ASSERT_TRUE(done.Wait(seconds(10)));
  for (const grpc::Status& s : done.statuses()) EXPECT_TRUE(s.ok()) << s.error_message();
  ASSERT_NE(done.first_response(), nullptr);
  EXPECT_EQ(done.first_response()->outputs(0).name(), "TEXT");
}

TEST_F(ReferenceServerTest, UnknownModelIsAnErrorStatus) {
  GeneratorSpec spec;
  spec.model = "classifier";
  auto source = MakeGenerator(spec, "no-such-model", "", 1);
  ASSERT_TRUE(source.ok());
  Completions done;
  transport_->Infer((*source)->At(0), Deadline(seconds(5)), done.Add());
  ASSERT_TRUE(done.Wait(seconds(10)));
  EXPECT_FALSE(done.statuses()[0].ok());
}

TEST_F(ReferenceServerTest, CallsToAStoppedServerExpireAtTheirDeadline) {
  auto source = Generate("classifier");
  ASSERT_TRUE(server_->Signal(SIGSTOP));
  Completions done;
  for (int i = 0; i < 5; ++i) transport_->Infer(source->At(i), Deadline(milliseconds(300)), done.Add());
  ASSERT_TRUE(done.Wait(seconds(5)));
  for (const grpc::Status& s : done.statuses()) EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
}

TEST_F(ReferenceServerTest, DestroyingTheTransportCancelsCallsInFlight) {
  auto source = Generate("classifier");
  ASSERT_TRUE(server_->Signal(SIGSTOP));
  Completions done;
  for (int i = 0; i < 5; ++i) transport_->Infer(source->At(i), Deadline(seconds(30)), done.Add());
  transport_.reset();  // returns once every callback has run
  ASSERT_TRUE(done.Wait(milliseconds(0)));
  for (const grpc::Status& s : done.statuses()) EXPECT_EQ(s.error_code(), grpc::StatusCode::CANCELLED);
}

TEST(GrpcTransport, NothingListeningIsUnavailable) {
  auto transport = GrpcTransport::Create({.endpoint = "127.0.0.1:1", .channels = 1});
  ASSERT_TRUE(transport.ok());
  inference::ModelInferRequest request;
  Completions done;
  (*transport)->Infer(request, Deadline(seconds(5)), done.Add());
  ASSERT_TRUE(done.Wait(seconds(10)));
  EXPECT_EQ(done.statuses()[0].error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST(GrpcTransport, RejectsBadOptions) {
  EXPECT_FALSE(GrpcTransport::Create({.endpoint = "", .channels = 1}).ok());
  EXPECT_FALSE(GrpcTransport::Create({.endpoint = "127.0.0.1:1", .channels = 0}).ok());
}

struct PausedRun {
  LoadStats stats;
  WindowResult all;
  WindowResult paused;
};

// A 1000 req/s open-loop run of 4 s against classifier, with the server
// SIGSTOPped from 1 s to 2 s.
PausedRun RunWithServerPaused(faultdrill::testing::ServerProcess& server, InferenceTransport& transport,
                              const RequestSource& source, LoadDriverOptions options) {
  LoadSpec spec;
  spec.mode = LoadMode::kOpen;
  spec.rate = Rate{1000};
  spec.duration = seconds(4);
  spec.deadline = seconds(3);
  Recorder recorder({Window{"all", seconds(0), seconds(4)}, Window{"paused", seconds(1), seconds(2)}},
                    RecorderOptions::ForDeadline(spec.deadline));
  Clock& clock = SystemClock();
  const Clock::TimePoint start = clock.Now() + milliseconds(50);
  PausedRun run;
  {
    std::jthread pauser([&](std::stop_token stop) {
      if (!clock.SleepUntil(start + seconds(1), stop)) return;
      server.Signal(SIGSTOP);
      clock.SleepUntil(start + seconds(2), stop);
      server.Signal(SIGCONT);
    });
    LoadDriver driver(spec, source, transport, recorder, clock, options);
    run.stats = driver.Run(start, {});
  }
  const auto windows = recorder.WindowResults(run.stats.load_length);
  run.all = windows[0];
  run.paused = windows[1];
  std::printf("sent %llu completed %llu errors %llu cap waits %llu late sends %llu; corrected p50 %.1f p99 %.1f "
              "max %.1f ms; service p50 %.1f p99 %.1f max %.1f ms\n",
              (unsigned long long)run.stats.sent, (unsigned long long)run.stats.completed,
              (unsigned long long)run.all.errors, (unsigned long long)run.stats.cap_waits,
              (unsigned long long)run.stats.late_sends, run.all.latency.p50_ms, run.all.latency.p99_ms,
              run.all.latency.max_ms, run.all.service_time.p50_ms, run.all.service_time.p99_ms,
              run.all.service_time.max_ms);
  return run;
}

// THE key property: a 1 s SIGSTOP of the server during a 1000 req/s open-loop
// run shows in the corrected latency in full. The open-loop sender keeps
// sending during the pause, so those calls really sit at the stopped server
// and their service time sees the pause too (corrected >= service for every
// request).
TEST_F(ReferenceServerTest, SigstopOfTheServerShowsInCorrectedLatency) {
  auto source = Generate("classifier");
  const PausedRun run = RunWithServerPaused(*server_, *transport_, *source, {});
  EXPECT_GE(run.stats.sent, 3990u);
  EXPECT_EQ(run.stats.completed, run.stats.sent);
  EXPECT_EQ(run.all.errors, 0u);
  EXPECT_GE(run.all.latency.p99_ms, 900);
  EXPECT_LE(run.all.service_time.p99_ms, run.all.latency.p99_ms);
  // The requests intended during the pause waited for it: half of them ~0.5 s or more.
  EXPECT_GE(run.paused.latency.p50_ms, 400);
}

// The same pause with the client limited to 20 calls in flight (as a client
// with a small connection pool would be): the sender cannot send during the
// pause, so the uncorrected service time looks healthy, while the corrected
// latency, from the intended send time, still shows the full second.
TEST_F(ReferenceServerTest, SigstopWithABlockedClientShowsOnlyInCorrectedLatency) {
  auto source = Generate("classifier");
  LoadDriverOptions options;
  options.max_in_flight = 20;
  const PausedRun run = RunWithServerPaused(*server_, *transport_, *source, options);
  EXPECT_GE(run.stats.sent, 3990u);
  EXPECT_EQ(run.stats.completed, run.stats.sent);
  EXPECT_GT(run.stats.cap_waits, 0u);
  EXPECT_GE(run.all.latency.p99_ms, 900);
  EXPECT_LT(run.all.service_time.p99_ms, 300);
  EXPECT_GE(run.paused.latency.p50_ms, 400);
}

TEST_F(ReferenceServerTest, ClosedLoopDriverKeepsConcurrencyAgainstTheServer) {
  auto source = Generate("classifier");
  LoadSpec spec;
  spec.mode = LoadMode::kClosed;
  spec.concurrency = 4;
  spec.duration = milliseconds(500);
  Recorder recorder({Window{"all", seconds(0), milliseconds(500)}});
  LoadDriver driver(spec, *source, *transport_, recorder, SystemClock());
  const LoadStats stats = driver.Run(SystemClock().Now(), {});
  EXPECT_EQ(stats.max_in_flight, 4u);
  EXPECT_GT(stats.sent, 40u);
  EXPECT_EQ(stats.completed, stats.sent);
  EXPECT_EQ(recorder.WindowResults(stats.load_length)[0].errors, 0u);
}

}  // namespace
}  // namespace faultdrill::load
