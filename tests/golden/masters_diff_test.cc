#include "golden/masters_diff.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/golden/responses.h"

namespace faultdrill::golden {
namespace {

using ::testing::HasSubstr;

Masters Of(const std::vector<std::pair<uint64_t, std::vector<float>>>& responses, std::string weights) {
  Masters m(MastersHeader{.model = "classifier", .weights_sha256 = std::move(weights)});
  for (const auto& [index, values] : responses) {
    EXPECT_TRUE(m.Add(*Masters::MasterFromResponse(index, testing::RawFp32("PROBABILITIES", {1, 4}, values))).ok());
  }
  return m;
}

TEST(MastersDiff, NothingChanged) {
  const Masters a = Of({{0, {0.1f, 0.2f, 0.3f, 0.4f}}}, "w1");
  const MastersDiffResult d = MastersDiff(a, a, GoldenSpec{});
  EXPECT_EQ(d.compared, 1u);
  EXPECT_EQ(d.changed, 0u);
  EXPECT_FALSE(d.header_changed);
  EXPECT_EQ(d.text, "1 requests in both: 0 changed; 0 added, 0 removed\n");
}

TEST(MastersDiff, ShowsChangedAddedAndRemovedRequests) {
  const Masters old_m =
      Of({{0, {0.1f, 0.2f, 0.3f, 0.4f}}, {1, {0.25f, 0.25f, 0.25f, 0.25f}}, {2, {0.1f, 0.2f, 0.3f, 0.4f}}}, "w1");
  const Masters new_m =
      Of({{0, {0.1f, 0.2f, 0.3f, 0.4f}}, {1, {0.25f, 0.3f, 0.2f, 0.25f}}, {3, {0.1f, 0.2f, 0.3f, 0.4f}}}, "w2");
  const MastersDiffResult d = MastersDiff(old_m, new_m, GoldenSpec{});
  EXPECT_EQ(d.compared, 2u);
  EXPECT_EQ(d.changed, 1u);
  EXPECT_EQ(d.added, 1u);
  EXPECT_EQ(d.removed, 1u);
  EXPECT_TRUE(d.header_changed);
  EXPECT_THAT(d.text, HasSubstr("header: weights_sha256 \"w1\" -> \"w2\"\n"));
  EXPECT_THAT(d.text, HasSubstr("request 1: PROBABILITIES: 2 of 4 elements differ; max abs error 0.05 at [0,1]"));
  EXPECT_THAT(d.text, HasSubstr("    [0,1]  old 0.25  new 0.3\n    [0,2]  old 0.25  new 0.2\n"));
  EXPECT_THAT(d.text, HasSubstr("request 3: only in the new masters\n"));
  EXPECT_THAT(d.text, HasSubstr("request 2: only in the old masters\n"));
  EXPECT_THAT(d.text, HasSubstr("2 requests in both: 1 changed; 1 added, 1 removed\n"));
}

TEST(MastersDiff, ChangesWithinTheToleranceDoNotCount) {
  const Masters old_m = Of({{0, {0.1f, 0.2f, 0.3f, 0.4f}}}, "w");
  const Masters new_m = Of({{0, {0.1f, 0.2f, 0.3f, 0.41f}}}, "w");
  GoldenSpec loose;
  loose.tolerance.abs = 0.05;
  EXPECT_EQ(MastersDiff(old_m, new_m, loose).changed, 0u);
  EXPECT_EQ(MastersDiff(old_m, new_m, GoldenSpec{}).changed, 1u);
}

TEST(MastersDiff, LongDiffsAreCut) {
  std::vector<std::pair<uint64_t, std::vector<float>>> a, b;
  for (uint64_t i = 0; i < 30; ++i) {
    a.push_back({i, {0, 0, 0, 1}});
    b.push_back({i, {0, 0, 1, 0}});
  }
  const MastersDiffResult d = MastersDiff(Of(a, "w"), Of(b, "w"), GoldenSpec{});
  EXPECT_EQ(d.changed, 30u);
  EXPECT_THAT(d.text, HasSubstr("... and 10 more requests that changed, were added or removed\n"));
}

}  // namespace
}  // namespace faultdrill::golden
