#include "golden/golden_accumulator.h"

#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/golden/responses.h"

namespace faultdrill::golden {
namespace {

using std::chrono::seconds;

std::vector<Window> Windows() {
  return {{"all", seconds(0), seconds(30)},
          {"before", seconds(0), seconds(10)},
          {"during(kill)", seconds(10), seconds(20)},
          {"after(kill)", seconds(20), seconds(30)}};
}

ResponseComparison Differing(double abs_error) {
  ResponseComparison c;
  c.differs = true;
  c.outputs_compared = 1;
  c.max_abs_error = abs_error;
  c.max_rel_error = abs_error * 2;
  c.max_ulp = 7;
  TensorComparison t;
  t.differs = true;
  t.problem = "1 of 4 elements differ";
  t.side_by_side = {{"[0,2]", "0.25", "0.5"}};
  c.differences.push_back({"PROBABILITIES", t});
  return c;
}

ResponseComparison Equal(double abs_error = 0) {
  ResponseComparison c;
  c.outputs_compared = 1;
  c.max_abs_error = abs_error;
  return c;
}

const GoldenWindowResult& Find(const std::vector<GoldenWindowResult>& results, const std::string& window) {
  for (const GoldenWindowResult& r : results) {
    if (r.window == window) return r;
  }
  static const GoldenWindowResult none;
  ADD_FAILURE() << "no window " << window;
  return none;
}

TEST(GoldenAccumulator, CountsEachResponseInEveryWindowHoldingItsIntendedTime) {
  GoldenAccumulator acc(Windows(), "masters");
  acc.Add(seconds(5), 0, Equal(1e-7));
  acc.Add(seconds(15), 1, Differing(0.25));
  acc.Add(seconds(25), 2, Equal());
  acc.AddWithoutMaster(seconds(26));
  const std::vector<GoldenWindowResult> results = acc.Results();
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].against, "masters");
  EXPECT_EQ(Find(results, "all").compared, 3u);
  EXPECT_EQ(Find(results, "all").differing, 1u);
  EXPECT_EQ(Find(results, "all").max_abs_error, 0.25);
  EXPECT_EQ(Find(results, "before").compared, 1u);
  EXPECT_EQ(Find(results, "before").differing, 0u);
  EXPECT_EQ(Find(results, "before").max_abs_error, 1e-7);
  EXPECT_EQ(Find(results, "during(kill)").differing, 1u);
  EXPECT_EQ(Find(results, "during(kill)").max_ulp, 7u);
  EXPECT_EQ(Find(results, "during(kill)").max_rel_error, 0.5);
  EXPECT_EQ(Find(results, "after(kill)").without_master, 1u);
  EXPECT_EQ(Find(results, "after(kill)").differing, 0u);
}

TEST(GoldenAccumulator, WindowBoundsAreHalfOpen) {
  GoldenAccumulator acc(Windows(), "masters");
  acc.Add(seconds(10), 0, Equal());
  EXPECT_EQ(Find(acc.Results(), "before").compared, 0u);
  EXPECT_EQ(Find(acc.Results(), "during(kill)").compared, 1u);
}

TEST(GoldenAccumulator, KeepsTheFirstFewDifferencesInArrivalOrder) {
  GoldenAccumulator acc(Windows(), "primary");
  for (uint64_t i = 0; i < 20; ++i) acc.Add(seconds(12), 100 + i, Differing(0.1));
  const std::vector<GoldenWindowResult> results = acc.Results();
  const GoldenWindowResult& during = Find(results, "during(kill)");
  EXPECT_EQ(during.differing, 20u);
  ASSERT_EQ(during.first_differences.size(), kFirstDifferencesPerWindow);
  EXPECT_EQ(during.first_differences[0].request_index, 100u);
  EXPECT_EQ(during.first_differences[4].request_index, 104u);
  EXPECT_EQ(during.first_differences[0].t_s, 12.0);
  EXPECT_EQ(during.first_differences[0].output, "PROBABILITIES");
  EXPECT_EQ(during.first_differences[0].side_by_side[0][0], "[0,2]");
  EXPECT_EQ(during.against, "primary");
}

TEST(GoldenAccumulator, ConcurrentAddsAreAllCounted) {
  GoldenAccumulator acc(Windows(), "masters");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&acc, t] {
      for (int i = 0; i < 1000; ++i) {
        if (i % 100 == 0) {
          acc.Add(seconds(i % 30), uint64_t(t * 1000 + i), Differing(0.5));
        } else {
          acc.Add(seconds(i % 30), uint64_t(t * 1000 + i), Equal());
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const std::vector<GoldenWindowResult> results = acc.Results();
  const GoldenWindowResult& all = Find(results, "all");
  EXPECT_EQ(all.compared, 4000u);
  EXPECT_EQ(all.differing, 40u);
  EXPECT_EQ(all.first_differences.size(), kFirstDifferencesPerWindow);
}

}  // namespace
}  // namespace faultdrill::golden
