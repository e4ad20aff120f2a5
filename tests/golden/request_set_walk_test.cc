#include "golden/request_set_walk.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace faultdrill::golden {
namespace {

using ::testing::HasSubstr;

Answer Ok(uint64_t i) {
  Answer answer;
  answer.response.set_id("r" + std::to_string(i));
  return answer;
}

Answer Unreachable(uint64_t) { return {absl::UnavailableError("connection refused"), {}}; }

// Every answer handed on, by request id.
struct Collected {
  std::vector<std::string> ids;
  std::function<absl::Status(uint64_t, inference::ModelInferResponse&)> Sink() {
    return [this](uint64_t, inference::ModelInferResponse& r) {
      ids.push_back(r.id());
      return absl::OkStatus();
    };
  }
};

TEST(WalkRequestSet, HandsEveryAnswerOnInRequestOrder) {
  Collected collected;
  auto summary = WalkRequestSet(3, {}, &Ok, collected.Sink());
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->sent, 3u);
  EXPECT_EQ(summary->failed, 0u);
  EXPECT_EQ(collected.ids, (std::vector<std::string>{"r0", "r1", "r2"}));
  EXPECT_EQ(DescribeFailures(*summary, 3), "");
}

TEST(WalkRequestSet, GivesUpOnAnUnreachableTargetAfterFiveFailuresInARow) {
  Collected collected;
  uint64_t asked = 0;
  auto summary = WalkRequestSet(
      10'000, {}, [&](uint64_t i) { return ++asked, Unreachable(i); }, collected.Sink());
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(asked, kHopelessFailures);
  EXPECT_TRUE(summary->hopeless);
  EXPECT_EQ(summary->failed, kHopelessFailures);
  const std::string text = DescribeFailures(*summary, 10'000);
  EXPECT_THAT(text, HasSubstr("stopped after 5 failed calls in a row"));
  EXPECT_THAT(text, HasSubstr("first: request 0: connection refused (UNAVAILABLE)"));
  EXPECT_THAT(text, HasSubstr("last: request 4"));
}

TEST(WalkRequestSet, FailuresBetweenAnswersDoNotStopIt) {
  Collected collected;
  auto summary = WalkRequestSet(
      20, {}, [](uint64_t i) { return i % 5 == 4 ? Ok(i) : Unreachable(i); }, collected.Sink());
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_FALSE(summary->hopeless);
  EXPECT_EQ(summary->sent, 20u);
  EXPECT_EQ(summary->failed, 16u);
  EXPECT_EQ(collected.ids, (std::vector<std::string>{"r4", "r9", "r14", "r19"}));
  EXPECT_THAT(DescribeFailures(*summary, 20), HasSubstr("16 of 20 requests failed"));
}

TEST(WalkRequestSet, ASetThatFailsOnlyAtItsEndIsNotCalledHopeless) {
  Collected collected;
  auto summary = WalkRequestSet(5, {}, &Unreachable, collected.Sink());
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_FALSE(summary->hopeless);
  EXPECT_EQ(summary->failed, 5u);
}

TEST(WalkRequestSet, AnErrorOfTheConsumerEndsTheWalk) {
  uint64_t asked = 0;
  auto summary = WalkRequestSet(
      10, {}, [&](uint64_t i) { return ++asked, Ok(i); },
      [](uint64_t i, inference::ModelInferResponse&) {
        return i == 2 ? absl::DataLossError("disk full") : absl::OkStatus();
      });
  EXPECT_EQ(summary.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(asked, 3u);
}

TEST(WalkRequestSet, StopsWhenAskedToBetweenCalls) {
  std::stop_source stop;
  Collected collected;
  auto summary = WalkRequestSet(
      10, stop.get_token(),
      [&](uint64_t i) {
        if (i == 1) stop.request_stop();
        return Ok(i);
      },
      collected.Sink());
  EXPECT_EQ(summary.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(collected.ids, (std::vector<std::string>{"r0", "r1"}));
}

}  // namespace
}  // namespace faultdrill::golden
