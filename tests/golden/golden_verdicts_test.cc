#include "golden/golden_verdicts.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace faultdrill::golden {
namespace {

using ::testing::HasSubstr;

GoldenWindowResult Result(std::string window, uint64_t compared, uint64_t differing) {
  GoldenWindowResult r;
  r.window = std::move(window);
  r.against = "masters";
  r.compared = compared;
  r.differing = differing;
  return r;
}

TEST(GoldenVerdicts, JudgesTheAllWindowByDefault) {
  GoldenWindowResult all = Result("all", 120, 0);
  all.max_abs_error = 2e-7;
  const std::vector<Verdict> v = GoldenVerdicts(GoldenSpec{}, {all, Result("before", 10, 0)});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_TRUE(v[0].passed);
  EXPECT_EQ(v[0].name, "golden outputs match the masters in all");
  EXPECT_EQ(v[0].group, "golden");
  EXPECT_EQ(v[0].window, "all");
  EXPECT_EQ(v[0].metric, "differing_responses");
  EXPECT_EQ(v[0].comparison, "<=");
  EXPECT_EQ(v[0].threshold, 0);
  EXPECT_EQ(v[0].measured, 0);
  EXPECT_EQ(v[0].message,
            "0 of 120 responses differ from the masters in all (at most 0 may); max abs error 2e-07, max rel error "
            "0, 0 ULP");
}

TEST(GoldenVerdicts, FailsWithHowManyByHowMuchAndTheFirstDifference) {
  GoldenWindowResult during = Result("during(kill)", 40, 3);
  during.max_abs_error = 0.0031;
  during.max_rel_error = 0.012;
  during.max_ulp = 52000;
  during.argmax_disagreements = 1;
  during.first_differences.push_back({.t_s = 12.5,
                                      .request_index = 17,
                                      .output = "PROBABILITIES",
                                      .problem = "1 of 4 elements differ",
                                      .side_by_side = {{"[0,2]", "0.25", "0.2531"}}});
  GoldenSpec spec;
  spec.max_differing = 2;
  spec.windows = {WindowSpec{.kind = WindowSpec::Kind::kDuring, .fault = "kill"}};
  const std::vector<Verdict> v = GoldenVerdicts(spec, {during});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_FALSE(v[0].passed);
  EXPECT_EQ(v[0].measured, 3);
  EXPECT_EQ(v[0].threshold, 2);
  EXPECT_THAT(v[0].message, HasSubstr("3 of 40 responses differ from the masters in during(kill) (at most 2 may)"));
  EXPECT_THAT(v[0].message,
              HasSubstr("max abs error 0.0031, max rel error 0.012, 52000 ULP, argmax differs in 1 rows"));
  EXPECT_THAT(v[0].message, HasSubstr("first: request 17 output PROBABILITIES: 1 of 4 elements differ ([0,2] "
                                      "expected 0.25, actual 0.2531)"));
}

TEST(GoldenVerdicts, AWindowWithNothingComparedFails) {
  GoldenWindowResult empty = Result("all", 0, 0);
  empty.without_master = 5;
  const std::vector<Verdict> v = GoldenVerdicts(GoldenSpec{}, {empty});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_FALSE(v[0].passed);
  EXPECT_FALSE(v[0].measured.has_value());
  EXPECT_EQ(v[0].message,
            "no responses compared with the masters in window all (nothing measured, nothing proven); 5 responses "
            "had no master");
}

TEST(GoldenVerdicts, AWindowWithoutAnyResultFails) {
  GoldenSpec spec;
  spec.windows = {WindowSpec{.kind = WindowSpec::Kind::kBefore}};
  const std::vector<Verdict> v = GoldenVerdicts(spec, {Result("all", 10, 0)});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].window, "before");
  EXPECT_FALSE(v[0].passed);
}

TEST(GoldenVerdicts, ShadowResultsAreNamedForThePrimary) {
  GoldenWindowResult shadow = Result("all", 10, 0);
  shadow.against = "primary";
  const std::vector<Verdict> v = GoldenVerdicts(GoldenSpec{}, {Result("all", 10, 0), shadow});
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[1].name, "shadow outputs match the primary in all");
  EXPECT_THAT(v[1].message, HasSubstr("differ from the primary"));
}

TEST(GoldenVerdicts, InfiniteErrorsReadAsInf) {
  GoldenWindowResult r = Result("all", 1, 1);
  r.max_abs_error = std::numeric_limits<double>::infinity();
  EXPECT_THAT(GoldenVerdicts(GoldenSpec{}, {r})[0].message, HasSubstr("max abs error inf"));
}

}  // namespace
}  // namespace faultdrill::golden
