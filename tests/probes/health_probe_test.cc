// The health probe against the real reference server, and against nothing.
#include "probes/health_probe.h"

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"

#include "tests/common/ports.h"
#include "tests/common/processes.h"
#include "tests/server/server_process.h"

namespace faultdrill::probes {
namespace {

using ::faultdrill::testing::FreeLoopbackPort;
using ::faultdrill::testing::GenerateModels;
using ::faultdrill::testing::ServerProcess;
using ::faultdrill::testing::TempDir;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

std::unique_ptr<HealthProbe> ProbeFor(const std::string& endpoint, HealthProbeSettings settings) {
  return std::make_unique<HealthProbe>(grpc::CreateChannel(endpoint, grpc::InsecureChannelCredentials()),
                                       endpoint, std::move(settings));
}

class HealthProbeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(GenerateModels(models_.path()).ok());
    auto server = ServerProcess::Start({.models_dir = models_.path()});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  TempDir models_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(HealthProbeTest, AReadyServerAndModelAreHealthy) {
  auto probe = ProbeFor(server_->endpoint(), {.model = "classifier", .grpc_health_service = ""});
  ProbeResult result = probe->Check();
  EXPECT_TRUE(result.healthy) << result.detail;
  EXPECT_THAT(result.detail, HasSubstr("model classifier ready"));
  EXPECT_THAT(result.detail, HasSubstr("grpc.health SERVING"));
}

TEST_F(HealthProbeTest, AnUnknownModelIsNotHealthy) {
  auto probe = ProbeFor(server_->endpoint(), {.model = "no-such-model"});
  ProbeResult result = probe->Check();
  EXPECT_FALSE(result.healthy);
  EXPECT_THAT(result.detail, HasSubstr("ModelReady"));
}

TEST_F(HealthProbeTest, AStoppedServerTimesOutWithinTheProbeTimeout) {
  auto probe = ProbeFor(server_->endpoint(), {.model = "classifier", .timeout = 200ms});
  ASSERT_EQ(::kill(server_->pid(), SIGSTOP), 0);
  // The signal is delivered asynchronously: ask only once the server is stopped.
  ASSERT_EQ(testing::SettledProcessState(server_->pid(), 'T'), 'T');
  ProbeResult result = probe->Check();
  ::kill(server_->pid(), SIGCONT);
  EXPECT_FALSE(result.healthy);
  EXPECT_LT(result.took, 2s);
}

TEST(WaitUntilHealthy, GivesUpAfterItsTimeoutNamingWhatItSaw) {
  // Port 1 on loopback: nothing listens there.
  auto probe = ProbeFor("127.0.0.1:1", {.model = "classifier", .timeout = 100ms});
  absl::Status status = WaitUntilHealthy(*probe, 300ms, 50ms, std::stop_token());
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(std::string(status.message()), HasSubstr("ServerLive failed"));
}

TEST(WaitUntilHealthy, ReturnsCancelledWhenStopped) {
  auto probe = ProbeFor("127.0.0.1:1", {.model = "classifier", .timeout = 100ms});
  std::stop_source stop;
  stop.request_stop();
  EXPECT_EQ(WaitUntilHealthy(*probe, 10s, 50ms, stop.get_token()).code(), absl::StatusCode::kCancelled);
}

// Counts checks, and says when `n` have been made.
class CountingProbe final : public Probe {
 public:
  CountingProbe(Probe& inner, int n) : inner_(inner), n_(n) {}
  std::string Describe() const override { return inner_.Describe(); }
  ProbeResult Check() override {
    if (++checks_ == n_) made_n_.Notify();
    return inner_.Check();
  }
  bool WaitForChecks(absl::Duration timeout) { return made_n_.WaitForNotificationWithTimeout(timeout); }

 private:
  Probe& inner_;
  const int n_;
  std::atomic<int> checks_{0};
  absl::Notification made_n_;
};


// A target that comes up after its health check has been refused for seconds
// is seen at once: with gRPC's default reconnect backoff (1 s, growing 1.6x)
// the channel would retry only seconds later, which cost every run about 5 s.
TEST(WaitUntilHealthy, SeesAServerThatStartsAfterSecondsOfRefusedConnectionsWithinTheShortBackoff) {
  TempDir models;
  ASSERT_TRUE(GenerateModels(models.path()).ok());
  const int port = FreeLoopbackPort();
  ASSERT_NE(port, 0);
  const std::string endpoint = "127.0.0.1:" + std::to_string(port);
  HealthProbe health([endpoint] { return endpoint; }, {.model = "classifier", .timeout = 500ms});
  CountingProbe probe(health, /*n=*/100);  // 100 refused checks 50 ms apart: 5 s of backoff growth
  absl::Status status = absl::UnknownError("not done");
  std::chrono::steady_clock::time_point healthy_at;
  {
    // Stopped by the jthread's destructor should an assertion below return early.
    std::jthread waiter([&](std::stop_token stop) {
      status = WaitUntilHealthy(probe, 120s, 50ms, stop);
      healthy_at = std::chrono::steady_clock::now();
    });
    ASSERT_TRUE(probe.WaitForChecks(absl::Seconds(60)));
    auto server = ServerProcess::Start({.models_dir = models.path(), .port = port, .wait_until_ready = false});
    ASSERT_TRUE(server.ok()) << server.status();
    const auto listening_at = std::chrono::steady_clock::now();
    waiter.join();
    ASSERT_TRUE(status.ok()) << status;
    // The default backoff would retry 2.5 s to 4 s after the server is up;
    // ours retries every 50..250 ms (and the server is ready in ~0.1 s).
    EXPECT_LT(healthy_at - listening_at, 2s);
  }
}

TEST(ParseHealthProbe, DefaultsToTheTargetModelAndRejectsUnknownKeys) {
  auto scenario = ParseScenario(
      "name: t\ntarget: {embedded: true, model: tinylm}\nload: {generator: {model: tinylm}, rate: 1/s, "
      "duration: 1s}\nsteady_state:\n  - probe: {kind: health, timeout: 2s}\n  - probe: {kind: health, "
      "tiemout: 2s}\n",
      "t.yaml");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  auto good = ParseHealthProbe(scenario->steady_state.probes[0], *scenario);
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_EQ(good->model, "tinylm");
  EXPECT_EQ(good->timeout, 2s);
  auto bad = ParseHealthProbe(scenario->steady_state.probes[1], *scenario);
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("t.yaml:6:"));
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("tiemout"));
}

}  // namespace
}  // namespace faultdrill::probes
