#include "cli/compiled_scenario.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "core/allowed_hosts.h"
#include "tests/server/server_process.h"

namespace faultdrill::cli {
namespace {

using ::faultdrill::testing::TempDir;
using ::testing::HasSubstr;

class CompileScenarioTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_.File(name);
    std::ofstream(path) << text;
    return path;
  }
  absl::StatusOr<std::unique_ptr<CompiledScenario>> Compile(const std::string& yaml, CompileOptions options = {}) {
    return CompileScenario(Write("s.yaml", yaml), options);
  }
  std::string Error(const std::string& yaml) {
    auto compiled = Compile(yaml);
    return compiled.ok() ? "compiled" : std::string(compiled.status().message());
  }

  TempDir dir_;
  const std::string head_ =
      "name: t\ntarget: {embedded: true, model: classifier}\n"
      "load: {generator: {model: classifier}, rate: 10/s, duration: 10s}\n";
};

TEST_F(CompileScenarioTest, BuildsInjectorsRequestsAndTheTimeline) {
  auto compiled = Compile(head_ + "faults:\n  - {kind: process-kill, at: 2s, restart_after: 1s}\n");
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  EXPECT_EQ((*compiled)->injectors.size(), 1u);
  EXPECT_NE((*compiled)->requests, nullptr);
  EXPECT_EQ((*compiled)->timeline.steps().size(), 2u);
  EXPECT_NE((*compiled)->timeline.FindWindow({WindowSpec::Kind::kDuring, "process-kill"}), nullptr);
}

TEST_F(CompileScenarioTest, AnUnknownFaultKindNamesItsPlaceAndTheKnownKinds) {
  std::string error = Error(head_ + "faults:\n  - {kind: proces-kill, at: 2s}\n");
  EXPECT_THAT(error, HasSubstr("s.yaml:5:"));
  EXPECT_THAT(error, HasSubstr("process-kill"));
}

TEST_F(CompileScenarioTest, AnUnknownProbeKindNamesItsPlace) {
  std::string error = Error(head_ + "steady_state:\n  - probe: {kind: ping}\n");
  EXPECT_THAT(error, HasSubstr("s.yaml:5:"));
  EXPECT_THAT(error, HasSubstr("unknown probe kind 'ping'"));
}

TEST_F(CompileScenarioTest, AnEndpointOffLoopbackNeedsAllowHosts) {
  std::string error = Error(
      "name: t\ntarget: {endpoint: 10.1.2.3:8001, model: classifier}\n"
      "load: {generator: {model: classifier}, rate: 10/s, duration: 10s}\n");
  EXPECT_THAT(error, HasSubstr("s.yaml:2:"));
  EXPECT_THAT(error, HasSubstr("allow_hosts"));
  EXPECT_EQ(Error("name: t\ntarget: {endpoint: 10.1.2.3:8001, model: classifier, allow_hosts: [10.1.2.3]}\n"
                  "load: {generator: {model: classifier}, rate: 10/s, duration: 10s}\n"),
            "compiled");
}

TEST_F(CompileScenarioTest, ABadRequestsFileNamesItsLine) {
  Write("requests.jsonl", "{\"inputs\": []}\nnot json\n");
  std::string error = Error(
      "name: t\ntarget: {endpoint: 127.0.0.1:8001, model: classifier}\n"
      "load: {requests: requests.jsonl, rate: 10/s, duration: 10s}\n");
  EXPECT_THAT(error, HasSubstr("requests.jsonl:"));
}

TEST_F(CompileScenarioTest, SeedAndOverridesApply) {
  auto compiled = Compile(head_, {.overrides = {{"load.rate", "50/s"}}, .seed = 7});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  EXPECT_EQ((*compiled)->scenario.seed, 7u);
  EXPECT_EQ((*compiled)->scenario.load.rate.per_second, 50);
}

TEST(EndpointAllowed, LoopbackAlwaysOthersOnlyWhenListed) {
  EXPECT_TRUE(EndpointAllowed("127.0.0.1:8001", {}));
  EXPECT_TRUE(EndpointAllowed("localhost:8001", {}));
  EXPECT_TRUE(EndpointAllowed("[::1]:8001", {}));
  EXPECT_FALSE(EndpointAllowed("192.168.1.5:8001", {}));
  EXPECT_TRUE(EndpointAllowed("127.8.9.10:8001", {}));
  EXPECT_FALSE(EndpointAllowed("127.0.0.1.example.com:8001", {}));
  EXPECT_TRUE(EndpointAllowed("triton.internal:8001", {"triton.internal"}));
}

}  // namespace
}  // namespace faultdrill::cli
