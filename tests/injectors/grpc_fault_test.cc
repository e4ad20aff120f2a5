#include "injectors/grpc_fault.h"

#include <gtest/gtest.h>

#include "tests/injectors/proxy/proxy_fixture.h"
#include "tests/injectors/scenario_fixture.h"

namespace faultdrill::testing {
namespace {

using injectors::GrpcFaultInjector;
using injectors::ProxyRule;

class GrpcFaultTest : public InjectorTest {
 protected:
  GrpcFaultTest() : InjectorTest(&GrpcFaultInjector::Create) {}

  const injectors::GrpcFaultSettings& Settings(const std::string& fault) {
    created_ = Create(fault);
    EXPECT_TRUE(created_.ok()) << created_.status();
    static const injectors::GrpcFaultSettings empty;
    return created_.ok() ? static_cast<GrpcFaultInjector&>(**created_).settings() : empty;
  }
  // The error's message, which must name the scenario file, line and column.
  std::string Error(const std::string& fault) {
    auto injector = Create(fault);
    EXPECT_FALSE(injector.ok()) << fault;
    return injector.ok() ? "" : std::string(injector.status().message());
  }

  absl::StatusOr<std::unique_ptr<injectors::Injector>> created_;
};

TEST_F(GrpcFaultTest, ReadsEveryAction) {
  const auto& delay = Settings("{kind: grpc-fault, at: 1s, for: 5s, action: delay, delay: 100ms, jitter: 10ms}");
  EXPECT_EQ(delay.rule.action, ProxyRule::Action::kDelay);
  EXPECT_EQ(delay.rule.delay, std::chrono::milliseconds(100));
  EXPECT_EQ(delay.rule.jitter, std::chrono::milliseconds(10));
  EXPECT_EQ(delay.rule.fraction, 1.0);
  EXPECT_EQ(delay.active_for, std::chrono::seconds(5));

  const auto& abort = Settings(
      "{kind: grpc-fault, at: 1s, action: abort, method: ModelInfer, fraction: 20%, status: resource_exhausted, "
      "message: full}");
  EXPECT_EQ(abort.rule.status, 8);
  EXPECT_EQ(abort.rule.message, "full");
  EXPECT_EQ(abort.rule.method, "ModelInfer");
  EXPECT_DOUBLE_EQ(abort.rule.fraction, 0.2);
  EXPECT_EQ(Settings("{kind: grpc-fault, at: 1s, action: abort, status: 13}").rule.status, 13);
  EXPECT_EQ(Settings("{kind: grpc-fault, at: 1s, action: abort}").rule.status, 14);

  EXPECT_EQ(Settings("{kind: grpc-fault, at: 1s, action: bandwidth, rate: 1MB/s}").rule.bytes_per_second, 1e6);
  EXPECT_EQ(Settings("{kind: grpc-fault, at: 1s, action: bandwidth, rate: 2KiB/s}").rule.bytes_per_second, 2048);
  EXPECT_EQ(Settings("{kind: grpc-fault, at: 1s, action: corrupt, flips: 3}").rule.flips, 3);
  for (std::string action : {"deadline", "reset", "blackhole"}) {
    EXPECT_TRUE(Create("{kind: grpc-fault, at: 1s, action: " + action + "}").ok()) << action;
  }
}

TEST_F(GrpcFaultTest, SeedsDifferPerFaultAndRepeatPerRun) {
  const uint64_t first = Settings("{kind: grpc-fault, name: a, at: 1s, action: reset, fraction: 0.5}").rule.seed;
  EXPECT_EQ(Settings("{kind: grpc-fault, name: a, at: 1s, action: reset, fraction: 0.5}").rule.seed, first);
  EXPECT_NE(Settings("{kind: grpc-fault, name: b, at: 1s, action: reset, fraction: 0.5}").rule.seed, first);
}

TEST_F(GrpcFaultTest, BadKeysAreLocatedErrors) {
  // Line 5 of the fixture's scenario ("  - {kind: ..."); the column is the value's.
  EXPECT_EQ(Error("{kind: grpc-fault, at: 1s}"),
            "t.yaml:5:5: fault 'grpc-fault' (grpc-fault): missing required key 'action'");
  EXPECT_NE(Error("{kind: grpc-fault, at: 1s, action: explode}").find("t.yaml:5:40:"), std::string::npos);
  EXPECT_NE(Error("{kind: grpc-fault, at: 1s, action: delay}").find("delay"), std::string::npos);
  std::string wrong_key = Error("{kind: grpc-fault, at: 1s, action: abort, delay: 1s}");
  EXPECT_NE(wrong_key.find("t.yaml:5:54:"), std::string::npos) << wrong_key;
  EXPECT_NE(wrong_key.find("does not apply to action abort"), std::string::npos) << wrong_key;
  std::string status = Error("{kind: grpc-fault, at: 1s, action: abort, status: OK}");
  EXPECT_NE(status.find("t.yaml:5:55: "), std::string::npos) << status;
  EXPECT_NE(status.find("not a gRPC error code"), std::string::npos) << status;
  std::string rate = Error("{kind: grpc-fault, at: 1s, action: bandwidth, rate: fast}");
  EXPECT_NE(rate.find("t.yaml:5:57: "), std::string::npos) << rate;
  EXPECT_NE(rate.find("1MB/s"), std::string::npos) << rate;
  EXPECT_NE(Error("{kind: grpc-fault, at: 1s, action: reset, fraction: 0}").find("greater than zero"),
            std::string::npos);
  EXPECT_NE(Error("{kind: grpc-fault, at: 1s, action: reset, fraction: 150%}").find("t.yaml:5:"),
            std::string::npos);
  EXPECT_NE(Error("{kind: grpc-fault, at: 1s, action: corrupt, flips: 0}").find("flips"), std::string::npos);
  EXPECT_NE(Error("{kind: grpc-fault, at: 1s, action: reset, colour: red}").find("colour"), std::string::npos);
}

TEST_F(GrpcFaultTest, DescribesWhatAndWhere) {
  auto injector = Create("{kind: grpc-fault, at: 1s, action: abort, method: ModelInfer, fraction: 0.5}");
  ASSERT_TRUE(injector.ok());
  EXPECT_EQ((*injector)->Describe(),
            "abort gRPC calls with UNAVAILABLE (method ModelInfer, 50% of calls), in the fault proxy");
  EXPECT_EQ((*injector)->Touches(),
            std::vector<std::string>{"gRPC calls through the fault proxy (method ModelInfer, 50% of calls)"});
}

TEST_F(GrpcFaultTest, ApplyWithoutAProxyIsAFailedPrecondition) {
  auto injector = Create("{kind: grpc-fault, at: 1s, action: reset}");
  ASSERT_TRUE(injector.ok());
  EXPECT_EQ((*injector)->Apply().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE((*injector)->Revert().ok());
}

TEST(ByteRate, Forms) {
  EXPECT_EQ(*injectors::ParseByteRate("2000/s"), 2000);
  EXPECT_EQ(*injectors::ParseByteRate("1.5MB/sec"), 1.5e6);
  EXPECT_FALSE(injectors::ParseByteRate("1MB").ok());
  EXPECT_FALSE(injectors::ParseByteRate("0/s").ok());
  EXPECT_FALSE(injectors::ParseByteRate("/s").ok());
}

// The real thing: the fault's rule in a real proxy in front of the real server.
class GrpcFaultThroughProxy : public ProxyTest {};

TEST_F(GrpcFaultThroughProxy, AppliesAndRevertsTheRule) {
  Scenario scenario = ScenarioWithFaults(
      "  - {kind: grpc-fault, name: unavailable, at: 1s, action: abort, method: ModelInfer, status: UNAVAILABLE}\n");
  injectors::Targets targets;
  injectors::RunState run;
  injectors::InjectorContext context{scenario, targets, run};
  auto injector = GrpcFaultInjector::Create(scenario.faults.at(0), context);
  ASSERT_TRUE(injector.ok()) << injector.status();
  run.set_proxy(proxy_.get());

  ASSERT_TRUE((*injector)->Apply().ok());
  EXPECT_EQ(Classify().error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Classify().error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(Ready().ok());
  EXPECT_EQ((*injector)->Counters().at("requests_affected"), 2);
  ASSERT_TRUE((*injector)->Revert().ok());
  ASSERT_TRUE((*injector)->Revert().ok()) << "idempotent";
  EXPECT_TRUE(Classify().ok());
  EXPECT_EQ((*injector)->Counters().at("requests_affected"), 2);
}

}  // namespace
}  // namespace faultdrill::testing
