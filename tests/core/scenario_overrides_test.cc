#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/scenario.h"

namespace faultdrill {
namespace {

using std::chrono::seconds;
using ::testing::ElementsAre;

constexpr char kScenario[] = R"(name: t
target:
  embedded: true
  model: classifier
load:
  generator: {model: classifier}
  rate: 100/s
  duration: 20s
faults:
  - {kind: process-kill, at: 5s}
  - {kind: network-latency, at: 8s, for: 2s}
)";

absl::StatusOr<Scenario> WithOverrides(std::vector<Override> overrides, std::string_view text = kScenario) {
  return ParseScenario(text, "s.yaml", overrides);
}

std::string ErrorOf(const absl::StatusOr<Scenario>& s) { return std::string(s.status().message()); }

TEST(Overrides, ReplaceAMapValue) {
  absl::StatusOr<Scenario> s = WithOverrides({{"load.rate", "250/s"}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->load.rate, Rate{250});
}

TEST(Overrides, ReachListElementsByIndex) {
  absl::StatusOr<Scenario> s = WithOverrides({{"faults.1.at", "12s"}, {"faults.0.name", "kill"}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->faults[1].at, seconds(12));
  EXPECT_EQ(s->faults[0].name, "kill");
}

TEST(Overrides, AddANewKeyAsTheLastComponent) {
  absl::StatusOr<Scenario> s = WithOverrides({{"target.model_version", "3"}, {"seed", "7"}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->target.model_version, "3");
  EXPECT_EQ(s->seed, 7u);
}

TEST(Overrides, ParseValuesAsYaml) {
  absl::StatusOr<Scenario> s =
      WithOverrides({{"target.allow_hosts", "[a.example, b.example]"}, {"load.ramp", "[{to: 300/s, over: 5s}]"}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_THAT(s->target.allow_hosts, ElementsAre("a.example", "b.example"));
  ASSERT_EQ(s->load.ramp.size(), 1u);
  EXPECT_EQ(s->load.ramp[0].to, Rate{300});
}

TEST(Overrides, ApplyInOrderSoTheLastOneWins) {
  absl::StatusOr<Scenario> s = WithOverrides({{"load.rate", "1/s"}, {"load.rate", "2/s"}});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->load.rate, Rate{2});
}

TEST(Overrides, AreAppliedBeforeValidation) {
  // The file alone is invalid (no rate); the override completes it.
  absl::StatusOr<Scenario> s =
      WithOverrides({{"load.rate", "5/s"}},
                    "name: t\ntarget: {embedded: true, model: m}\nload: {generator: {model: tinylm}, duration: 1s}\n");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->load.rate, Rate{5});
}

TEST(Overrides, BadValuesAreReportedAtTheOverride) {
  EXPECT_EQ(ErrorOf(WithOverrides({{"load.rate", "0/s"}})), "--set load.rate: load: rate: must be greater than 0/s");
  EXPECT_EQ(
      ErrorOf(WithOverrides({{"faults.0.at", "30s"}})),
      "--set faults.0.at: faults[0] (process-kill): at: 30s is not before the end of the load (load.duration 20s); "
      "a fault must start while the load runs");
}

TEST(Overrides, AValueThatYamlCppCannotFinishIsAnErrorNotAnEndlessLoop) {
  EXPECT_EQ(ErrorOf(WithOverrides({{"load.rate", ","}})), "--set load.rate:1:1: YAML syntax error: unexpected ','");
  EXPECT_THAT(ErrorOf(WithOverrides({{"load.rate", std::string(100000, '[')}})),
              ::testing::HasSubstr("nested more than 64 levels deep"));
}

TEST(Overrides, RejectAParentPathThatDoesNotExist) {
  EXPECT_EQ(ErrorOf(WithOverrides({{"load.nope.x", "1"}})), "--set load.nope.x: no such key 'nope' in load");
  EXPECT_EQ(ErrorOf(WithOverrides({{"nope.x", "1"}})), "--set nope.x: no such key 'nope'");
}

TEST(Overrides, RejectIndexesOutOfRangeAndNonNumericIndexes) {
  EXPECT_EQ(ErrorOf(WithOverrides({{"faults.5.at", "1s"}})), "--set faults.5.at: no element 5 in faults (it has 2)");
  EXPECT_EQ(ErrorOf(WithOverrides({{"faults.first.at", "1s"}})),
            "--set faults.first.at: 'faults' is a list; expected an element number, got 'first'");
  EXPECT_EQ(ErrorOf(WithOverrides({{"faults.2", "{kind: x, at: 1s}"}})),
            "--set faults.2: no element 2 in faults (it has 2)");
}

TEST(Overrides, RejectPathsThroughScalars) {
  EXPECT_EQ(ErrorOf(WithOverrides({{"name.x", "1"}})),
            "--set name.x: cannot set 'x': 'name' is a string, not a map or list");
  EXPECT_EQ(ErrorOf(WithOverrides({{"name.x.y", "1"}})),
            "--set name.x.y: no such key 'x': 'name' is a string, not a map or list");
}

TEST(Overrides, RejectMalformedKeys) {
  EXPECT_EQ(ErrorOf(WithOverrides({{"load..rate", "1/s"}})),
            "--set load..rate: expected a dotted path such as 'load.rate' or 'faults.0.at'");
  EXPECT_EQ(ErrorOf(WithOverrides({{"", "1/s"}})),
            "--set : expected a dotted path such as 'load.rate' or 'faults.0.at'");
}

TEST(Overrides, ReportYamlSyntaxErrorsInTheValue) {
  EXPECT_THAT(ErrorOf(WithOverrides({{"load.rate", "[1, 2"}})), ::testing::StartsWith("--set load.rate:"));
}

TEST(ApplyOverrides, EditsAParsedTree) {
  absl::StatusOr<ParamNode> root = ParseYamlDocument("a: {b: 1}\n", "s.yaml");
  ASSERT_TRUE(root.ok());
  ASSERT_TRUE(ApplyOverrides(*root, {{"a.c", "x"}}).ok());
  const ParamNode* c = root->Find("a")->Find("c");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->scalar, "x");
  EXPECT_EQ(c->where.ToString(), "--set a.c");
}

}  // namespace
}  // namespace faultdrill
