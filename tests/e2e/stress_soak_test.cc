// End to end: the shipped stress-ramp and soak scenarios, shortened with
// --set to a few seconds each, against the embedded reference server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/e2e/cli_runner.h"
#include "tests/e2e/run_result_file.h"

namespace faultdrill::testing {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

// Under AddressSanitizer the server is several times slower and its RSS grows
// by design (quarantine): capacity and memory are not judged there.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

std::vector<std::string> ShortRun(const std::string& scenario, const std::string& out,
                                  const std::vector<std::pair<std::string, std::string>>& sets) {
  std::vector<std::string> args{"run", scenario, "--out", out, "-q"};
  for (const auto& [key, value] : sets) {
    args.push_back("--set");
    args.push_back(key + "=" + value);
  }
  return args;
}

bool HasEvent(const RunResult& result, std::string_view text) {
  for (const Event& e : result.events) {
    if (e.message.find(text) != std::string::npos) return true;
  }
  return false;
}

// The shipped ramp climbs 5/s more each second past the embedded server's
// configured capacity (2 workers, 40 ms a request: 50/s), so on a fast and on a
// slow machine alike the criterion breaks there, the load stops early, and the
// run is judged as usual, not aborted.
constexpr double kConfiguredCapacityRps = 50;
constexpr double kRampStepRps = 5;  // the ramp's climb in one second

TEST(ShippedScenarios, StressRampFindsTheServersConfiguredCapacityAndStopsOnceItBroke) {
  TempDir dir;
  CommandResult run = RunFaultdrill(ShortRun("scenarios/stress-ramp.yaml", dir.path(), {}), 90s);
  RunResult result = ReadRunResult(dir.path());
  EXPECT_NE(result.outcome, Outcome::kAborted) << run.output;
  EXPECT_NE(result.outcome, Outcome::kError) << run.output;
  ASSERT_TRUE(result.capacity.has_value()) << run.output;
  const CapacityResult& capacity = *result.capacity;
  EXPECT_EQ(capacity.criterion, "p99_latency <= 100ms, error_rate <= 1% for 2s");
  EXPECT_TRUE(capacity.broke) << "the ramp to 150/s did not break the criterion";
  EXPECT_FALSE(capacity.breach.empty());
  EXPECT_GT(capacity.broke_rate_rps, capacity.highest_rate_held_rps);
  EXPECT_NEAR(capacity.highest_rate_held_rps, kConfiguredCapacityRps, kRampStepRps) << run.output;
  EXPECT_LT(capacity.held_at_s, capacity.broke_at_s);
  EXPECT_TRUE(HasEvent(result, "load stopped (capacity criterion broke)")) << run.output;
  EXPECT_LT(result.duration_s, 29.5) << "the load ran to its end instead of stopping once the criterion broke";
  // It stops within `for` + the deadline + the settling margin (1s) + one
  // judging interval of the breaking point.
  EXPECT_LE(result.duration_s, capacity.broke_at_s + 2 + 1 + 1 + 1 + 0.5);
  const Verdict* gate = VerdictNamed(result, "capacity: highest rate held >= 40/s");
  ASSERT_NE(gate, nullptr);
  EXPECT_EQ(gate->group, "capacity");
  EXPECT_TRUE(gate->passed) << gate->message;
  EXPECT_THAT(run.output, HasSubstr("capacity: held"));
  EXPECT_EQ(run.exit_code, 0) << run.output;
}

TEST(ShippedScenarios, SoakShortenedPassesWithAFlatMemoryLine) {
  TempDir dir;
  // 12 s of load: the leak line is fitted through the 7 samples after the 5 s warm-up.
  CommandResult run = RunFaultdrill(ShortRun("scenarios/soak.yaml", dir.path(), {{"load.duration", "12s"}}), 60s);
  RunResult result = ReadRunResult(dir.path());
  EXPECT_NEAR(result.duration_s, 12.0, 0.5);
  EXPECT_FALSE(result.capacity.has_value());
  const Verdict* leak = VerdictNamed(result, "server leak");
  ASSERT_NE(leak, nullptr) << FailedVerdicts(result);
  ASSERT_TRUE(leak->measured.has_value()) << leak->message;  // enough samples after the warm-up
  for (const char* name : {"fast all along", "keeps up with the load", "memory bounded", "queue stays short",
                           "continuous: health probe", "no abort condition held"}) {
    EXPECT_NE(VerdictNamed(result, name), nullptr) << name;
  }
  if (kAddressSanitizer) return;
  EXPECT_TRUE(leak->passed) << leak->message;
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(result.outcome, Outcome::kPassed) << FailedVerdicts(result);
}

}  // namespace
}  // namespace faultdrill::testing
