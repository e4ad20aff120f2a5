// The real faultdrill-proxy in front of the real reference server: each
// action as a real gRPC client sees it.
#include "injectors/fault_proxy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <iostream>

#include <cstdlib>
#include <thread>

#include "core/scenario.h"
#include "injectors/launched_process.h"
#include "tests/injectors/proxy/proxy_fixture.h"
#include "tests/injectors/scenario_fixture.h"

namespace faultdrill::testing {
namespace {

using injectors::ProxyRule;
using std::chrono::milliseconds;
using Action = ProxyRule::Action;

// Polls `file` until it holds `text`.
bool WaitForText(const std::string& file, const std::string& text, milliseconds timeout = milliseconds(5000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (ReadWholeFile(file).find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

// Responses compared without server_time_unix_ns, which differs per call.
std::string Comparable(inference::ModelInferResponse response) {
  response.mutable_parameters()->erase("server_time_unix_ns");
  std::string bytes;
  response.SerializeToString(&bytes);
  return bytes;
}

TEST_F(ProxyTest, PassThroughIsTransparent) {
  for (const auto& request : {ClassifierRequest(ClassifierRows(3)), ClassifierRequest(ClassifierRows(2), TensorForm::kRaw),
                              TinyLmRequest("hello", 4)}) {
    inference::ModelInferResponse direct, proxied;
    ASSERT_TRUE(Infer(request, &direct, std::chrono::seconds(5), /*direct=*/true).ok());
    grpc::Status status = Infer(request, &proxied);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(Comparable(proxied), Comparable(direct));
  }
  // Errors come back with their code and message unchanged.
  inference::ModelInferRequest unknown = ClassifierRequest(ClassifierRows(1));
  unknown.set_model_name("nope");
  inference::ModelInferResponse ignored;
  grpc::Status direct = Infer(unknown, &ignored, std::chrono::seconds(5), true);
  grpc::Status proxied = Infer(unknown, &ignored);
  EXPECT_EQ(proxied.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(proxied.error_message(), direct.error_message());
  EXPECT_NE(proxied.error_details(), injectors::kProxyInjectedDetails) << "the target's own error is not marked";
}

TEST_F(ProxyTest, DelayHoldsEachCallAtLeastThatLong) {
  ProxyRule rule = Rule(Action::kDelay);
  rule.delay = milliseconds(200);
  rule.jitter = milliseconds(20);
  ASSERT_TRUE(proxy_->SetRule("slow", rule).ok());
  for (int i = 0; i < 3; ++i) {
    auto start = std::chrono::steady_clock::now();
    ASSERT_TRUE(Classify().ok());
    EXPECT_GE(MillisSince(start), 180);
  }
  EXPECT_EQ(proxy_->Stats("slow")->matched, 3);
}

TEST_F(ProxyTest, AbortAnswersWithTheChosenStatus) {
  ProxyRule rule = Rule(Action::kAbort, "ModelInfer");
  rule.status = static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED);
  rule.message = "queue full (injected)";
  ASSERT_TRUE(proxy_->SetRule("abort", rule).ok());
  grpc::Status status = Classify();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(status.error_message(), "queue full (injected)");
  EXPECT_EQ(status.error_details(), injectors::kProxyInjectedDetails) << "marked as the proxy's own answer";
  EXPECT_TRUE(Ready().ok()) << "another method is left alone";
}

TEST_F(ProxyTest, DeadlineHoldsTheCallUntilTheClientsDeadline) {
  ASSERT_TRUE(proxy_->SetRule("deadline", Rule(Action::kDeadline)).ok());
  auto start = std::chrono::steady_clock::now();
  grpc::Status status = Classify(milliseconds(300));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_GE(MillisSince(start), 290);
  EXPECT_LE(MillisSince(start), 1000);
}

TEST_F(ProxyTest, BlackholeNeverAnswers) {
  ASSERT_TRUE(proxy_->SetRule("hole", Rule(Action::kBlackhole)).ok());
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Classify(milliseconds(300)).error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_GE(MillisSince(start), 290);
}

TEST_F(ProxyTest, ResetDropsTheClientsConnection) {
  ASSERT_TRUE(Classify().ok());  // connected
  ASSERT_TRUE(proxy_->SetRule("reset", Rule(Action::kReset)).ok());
  grpc::Status status = Classify();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_NE(status.error_message().find("reset"), std::string::npos) << status.error_message();
  ASSERT_TRUE(proxy_->ClearRule("reset").ok());
  EXPECT_TRUE(Classify().ok()) << "the client reconnects once the rule is gone";
}

TEST_F(ProxyTest, BandwidthLimitPacesTheBytes) {
  ProxyRule rule = Rule(Action::kBandwidth);
  rule.bytes_per_second = 4000;
  ASSERT_TRUE(proxy_->SetRule("narrow", rule).ok());
  const inference::ModelInferRequest request = TinyLmRequest(std::string(2000, 'a'), 2);
  inference::ModelInferResponse response;
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(Infer(request, &response).ok());
  const double bytes = static_cast<double>(request.ByteSizeLong() + response.ByteSizeLong());
  EXPECT_GE(MillisSince(start), bytes / rule.bytes_per_second * 1000);
  EXPECT_GE(MillisSince(start), 500);
}

TEST_F(ProxyTest, CorruptionBreaksOrChangesTheResponse) {
  const inference::ModelInferRequest request = ClassifierRequest(ClassifierRows(4));
  inference::ModelInferResponse clean;
  ASSERT_TRUE(Infer(request, &clean).ok());
  ProxyRule rule = Rule(Action::kCorrupt);
  rule.flips = 8;
  ASSERT_TRUE(proxy_->SetRule("corrupt", rule).ok());
  int unparsable = 0;
  for (int i = 0; i < 10; ++i) {
    inference::ModelInferResponse corrupted;
    grpc::Status status = Infer(request, &corrupted);
    if (status.ok()) {
      EXPECT_NE(Comparable(corrupted), Comparable(clean));
    } else {
      // The target answered OK; the client could not parse the bytes (gRPC
      // 1.51's blocking unary call reports that as UNIMPLEMENTED).
      EXPECT_THAT(status.error_code(), ::testing::AnyOf(grpc::StatusCode::INTERNAL, grpc::StatusCode::UNIMPLEMENTED))
          << status.error_message();
      ++unparsable;
    }
  }
  std::cout << "corrupt: " << unparsable << " of 10 responses unparsable, the others changed\n";
  EXPECT_EQ(proxy_->Stats("corrupt")->matched, 10);
}

TEST_F(ProxyTest, FractionAndMethodFilterSelectThoseCalls) {
  ProxyRule rule = Rule(Action::kAbort, "/inference.GRPCInferenceService/ModelInfer");
  rule.fraction = 0.5;
  ASSERT_TRUE(proxy_->SetRule("half", rule).ok());
  int aborted = 0;
  for (int i = 0; i < 200; ++i) {
    grpc::Status status = Classify();
    if (!status.ok()) {
      ASSERT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
      ++aborted;
    }
    ASSERT_TRUE(Ready().ok());
  }
  EXPECT_GE(aborted, 70);  // 100 ± 4.2 standard deviations
  EXPECT_LE(aborted, 130);
  auto stats = proxy_->Stats("half");
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->matched, aborted);
  EXPECT_EQ(stats->passed, 200 - aborted);
}

TEST_F(ProxyTest, ClearedRulesLeaveCallsCleanAgain) {
  ASSERT_TRUE(proxy_->SetRule("a", Rule(Action::kAbort)).ok());
  ProxyRule delay = Rule(Action::kDelay);
  delay.delay = milliseconds(100);
  ASSERT_TRUE(proxy_->SetRule("b", delay).ok());
  EXPECT_FALSE(Classify().ok());
  ASSERT_TRUE(proxy_->ClearRule("a").ok());
  ASSERT_TRUE(proxy_->ClearRule("b").ok());
  ASSERT_TRUE(proxy_->ClearRule("b").ok()) << "clearing twice is harmless";
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(Classify().ok());
  EXPECT_LT(MillisSince(start), 100);
  EXPECT_EQ(proxy_->Stats("a")->matched, 1) << "counts stay readable after clearing";
  EXPECT_EQ(proxy_->Stats("never").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ProxyTest, SigtermDrainsCallsInFlight) {
  ProxyRule delay = Rule(Action::kDelay);
  delay.delay = milliseconds(300);
  ASSERT_TRUE(proxy_->SetRule("slow", delay).ok());
  grpc::Status in_flight;
  std::thread call([&] { in_flight = Classify(); });
  // SIGTERM only once the proxy holds the call (bounded: 30 s).
  for (int i = 0; i < 3000; ++i) {
    absl::StatusOr<injectors::ProxyRuleStats> stats = proxy_->Stats("slow");
    if (stats.ok() && stats->matched == 1) break;
    std::this_thread::sleep_for(milliseconds(10));
  }
  const pid_t pid = ProxyPid();
  ASSERT_GT(pid, 0);
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  call.join();
  EXPECT_TRUE(in_flight.ok()) << in_flight.error_message();
  EXPECT_TRUE(WaitForText(work_.File("proxy.log"), "\nexit\n"));
}

TEST(ScenarioUsesProxy, GrpcFaultOrViaProxy) {
  EXPECT_TRUE(injectors::ScenarioUsesProxy(ScenarioWithFaults("  - {kind: grpc-fault, at: 1s, action: reset}\n")));
  EXPECT_TRUE(injectors::ScenarioUsesProxy(
      ScenarioWithFaults("  - {kind: network-latency, at: 1s, delay: 10ms, via: proxy}\n")));
  EXPECT_FALSE(injectors::ScenarioUsesProxy(ScenarioWithFaults("  - {kind: process-kill, at: 1s}\n")));
}

// Run only as a child of ProxyDiesWithItsParent (disabled otherwise): starts
// a proxy with a journal in $FAULTDRILL_PROXY_PARENT_DIR, then waits to be killed.
TEST(ProxyParent, DISABLED_StartsAProxyAndWaits) {
  const char* dir = std::getenv("FAULTDRILL_PROXY_PARENT_DIR");
  ASSERT_NE(dir, nullptr);
  auto journal = Journal::Open(std::string(dir) + "/journal", "parent");
  ASSERT_TRUE(journal.ok());
  auto proxy = injectors::FaultProxy::Start("127.0.0.1:1", dir, **journal);
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  std::this_thread::sleep_for(std::chrono::seconds(30));
}

TEST(ProxyDiesWithItsParent, WhenTheParentIsKilled) {
  TempDir dir;
  auto parent = injectors::LaunchedProcess::Start({
      .command = {"/proc/self/exe", "--gtest_also_run_disabled_tests",
                  "--gtest_filter=ProxyParent.DISABLED_StartsAProxyAndWaits"},
      .env = {{"FAULTDRILL_PROXY_PARENT_DIR", dir.path()}},
      .log_file = dir.File("parent.log"),
  });
  ASSERT_TRUE(parent.ok()) << parent.status();
  pid_t proxy = 0;
  for (int i = 0; i < 500 && proxy == 0; ++i) {
    std::this_thread::sleep_for(milliseconds(20));
    auto records = ReadJournal(dir.File("journal"));
    if (!records.ok()) continue;
    for (const JournalRecord& record : *records) {
      if (record.type == "undo") proxy = record.undo.args["pid"].get<pid_t>();
    }
  }
  ASSERT_GT(proxy, 0) << ReadWholeFile(dir.File("parent.log"));
  ASSERT_EQ(::kill(proxy, 0), 0) << "the proxy runs";
  ASSERT_TRUE((*parent)->Signal(SIGKILL).ok());
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
    const std::string stat = ReadWholeFile("/proc/" + std::to_string(proxy) + "/stat");
    gone = stat.empty() || stat.find(") Z ") != std::string::npos;
  }
  EXPECT_TRUE(gone) << "faultdrill-proxy (pid " << proxy << ") outlived its parent";
}

}  // namespace
}  // namespace faultdrill::testing
