#include "server/cost_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace faultdrill::server {
namespace {

using ::testing::HasSubstr;

TEST(CostModel, AModelWithoutACostTakesNoAddedTime) {
  CostModel cost;
  EXPECT_TRUE(cost.empty());
  EXPECT_EQ(cost.ServiceTime("tinylm", {.input = 10, .output = 8}), absl::ZeroDuration());
}

TEST(CostModel, ServiceTimeAddsTheBatchAndEveryTokenTerm) {
  CostModel cost;
  ASSERT_TRUE(cost.AddFlag("tinylm:per_batch=1ms,per_input_token=10us,per_output_token=2500us").ok());
  EXPECT_FALSE(cost.empty());
  EXPECT_EQ(cost.ServiceTime("tinylm", {.input = 100, .output = 8}),
            absl::Milliseconds(1) + absl::Microseconds(1000) + absl::Milliseconds(20));
  EXPECT_EQ(cost.ServiceTime("classifier", {.input = 100, .output = 8}), absl::ZeroDuration());
}

TEST(CostModel, APerBatchCostIgnoresTokens) {
  CostModel cost;
  ASSERT_TRUE(cost.AddFlag("classifier:per_batch=5ms").ok());
  EXPECT_EQ(cost.ServiceTime("classifier", {}), absl::Milliseconds(5));
}

TEST(CostModel, NanosecondsAsTheLauncherWritesThemAreAccepted) {
  CostModel cost;
  ASSERT_TRUE(cost.AddFlag("tinylm:per_batch=0ns,per_input_token=0ns,per_output_token=5000000ns").ok());
  EXPECT_EQ(cost.ServiceTime("tinylm", {.input = 3, .output = 2}), absl::Milliseconds(10));
}

TEST(CostModel, BadFlagsAreRefusedNamingTheProblem) {
  struct Case {
    const char* flag;
    const char* problem;
  };
  for (const Case& c : {Case{"per_batch=1ms", "no model name"}, Case{":per_batch=1ms", "no model name"},
                        Case{"tinylm:", "no KEY=DURATION"}, Case{"tinylm:per_batch", "is not KEY=DURATION"},
                        Case{"tinylm:per_token=1ms", "unknown key 'per_token'"},
                        Case{"tinylm:per_batch=fast", "not a duration"}, Case{"tinylm:per_batch=-1ms", "not a duration"},
                        Case{"tinylm:per_batch=2m", "above 60s"}}) {
    CostModel cost;
    absl::Status status = cost.AddFlag(c.flag);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.flag;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.problem)) << c.flag;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.flag));
  }
}

TEST(CostModel, AModelGivenTwiceIsRefused) {
  CostModel cost;
  ASSERT_TRUE(cost.AddFlag("tinylm:per_batch=1ms").ok());
  absl::Status again = cost.AddFlag("tinylm:per_batch=2ms");
  EXPECT_THAT(std::string(again.message()), HasSubstr("has a cost already"));
}

}  // namespace
}  // namespace faultdrill::server
