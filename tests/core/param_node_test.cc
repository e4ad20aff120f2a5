#include "core/param_node.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace faultdrill {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The fault keys of a scenario, as an injector sees them.
class ParamReaderTest : public ::testing::Test {
 protected:
  const ParamReader& Read(std::string_view yaml) {
    absl::StatusOr<ParamNode> parsed = ParseYamlDocument(yaml, "f.yaml");
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    node_ = *parsed;
    reader_.emplace(node_, "fault 'kill-server' (process-kill)");
    return *reader_;
  }

  ParamNode node_;
  std::optional<ParamReader> reader_;
};

std::string ErrorOf(const absl::Status& status) { return std::string(status.message()); }

TEST(ParamNode, FindsMapValuesByKey) {
  absl::StatusOr<ParamNode> node = ParseYamlDocument("a: 1\nb: [x]\n", "f.yaml");
  ASSERT_TRUE(node.ok());
  ASSERT_NE(node->Find("b"), nullptr);
  EXPECT_EQ(node->Find("b")->kind, ParamNode::Kind::kSequence);
  EXPECT_EQ(node->Find("c"), nullptr);
  EXPECT_EQ(node->Find("b")->Find("x"), nullptr);  // not a map
}

TEST_F(ParamReaderTest, ReadsTypedValues) {
  const ParamReader& r = Read(
      "signal: SIGKILL\nrestart: true\nflips: 16\nfraction: 0.25\ndelay: 100ms\nloss: 5%\nsize: 1GiB\n"
      "args: [a, b]\nrate: 10/s\nseed: 18446744073709551615\n");
  EXPECT_EQ(*r.String("signal"), "SIGKILL");
  EXPECT_EQ(*r.Choice("signal", {"SIGKILL", "SIGTERM"}), "SIGKILL");
  EXPECT_TRUE(*r.Bool("restart"));
  EXPECT_EQ(*r.Int("flips", 1, 1000), 16);
  EXPECT_DOUBLE_EQ(*r.Double("fraction", 0, 1), 0.25);
  EXPECT_EQ(*r.Dur("delay"), milliseconds(100));
  EXPECT_EQ(*r.OptionalDur("delay"), milliseconds(100));
  EXPECT_DOUBLE_EQ(*r.Percent("loss"), 0.05);
  EXPECT_EQ(*r.Bytes("size"), uint64_t{1} << 30);
  EXPECT_THAT(*r.StringList("args"), ElementsAre("a", "b"));
  EXPECT_EQ(*r.RateValue("rate"), Rate{10});
  EXPECT_EQ(*r.Uint64("seed"), UINT64_MAX);
}

TEST_F(ParamReaderTest, FallsBackWhenAKeyIsAbsent) {
  const ParamReader& r = Read("{}");
  EXPECT_FALSE(r.Has("x"));
  EXPECT_EQ(*r.String("x", "d"), "d");
  EXPECT_FALSE(*r.Bool("x", false));
  EXPECT_EQ(*r.Int("x", 0, 10, 3), 3);
  EXPECT_EQ(*r.Dur("x", seconds(2)), seconds(2));
  EXPECT_EQ(*r.OptionalDur("x"), std::nullopt);
  EXPECT_EQ(*r.Map("x"), nullptr);
}

TEST_F(ParamReaderTest, MissingRequiredKeyIsLocatedAtTheMap) {
  const ParamReader& r = Read("signal: SIGKILL\n");
  EXPECT_EQ(ErrorOf(r.Dur("delay").status()),
            "f.yaml:1:1: fault 'kill-server' (process-kill): missing required key 'delay'");
}

TEST_F(ParamReaderTest, BadValueIsLocatedAtTheValue) {
  const ParamReader& r = Read("signal: SIGKILL\ndelay: 100\n");
  EXPECT_THAT(ErrorOf(r.Dur("delay").status()),
              HasSubstr("f.yaml:2:8: fault 'kill-server' (process-kill): delay: invalid duration \"100\""));
}

TEST_F(ParamReaderTest, RejectsWrongTypesAndRanges) {
  const ParamReader& r = Read("n: 5\nl: [1]\nm: {a: 1}\nb: maybe\nc: SIGHUP\nf: nan\nx:\n");
  EXPECT_EQ(
      ErrorOf(r.Int("n", 10, 20).status()),
      "f.yaml:1:4: fault 'kill-server' (process-kill): n: 5 is out of range: expected an integer between 10 and 20");
  EXPECT_THAT(ErrorOf(r.Int("l", 0, 9).status()), HasSubstr("l: expected an integer between 0 and 9, got a list"));
  EXPECT_THAT(ErrorOf(r.String("m").status()), HasSubstr("m: expected a string, got a map"));
  EXPECT_THAT(ErrorOf(r.Bool("b").status()), HasSubstr("b: expected true or false, got 'maybe'"));
  EXPECT_THAT(ErrorOf(r.Choice("c", {"SIGKILL", "SIGTERM"}).status()),
              HasSubstr("c: 'SIGHUP' is not one of SIGKILL, SIGTERM"));
  EXPECT_THAT(ErrorOf(r.Double("f", 0, 1).status()), HasSubstr("f: expected a number between 0 and 1, got 'nan'"));
  EXPECT_THAT(ErrorOf(r.String("x").status()),
              HasSubstr("f.yaml:7:1: fault 'kill-server' (process-kill): x: missing value"));
  EXPECT_THAT(ErrorOf(r.Map("l").status()), HasSubstr("l: expected a map, got a list"));
  EXPECT_THAT(ErrorOf(r.StringList("m").status()), HasSubstr("m: expected a list, got a map"));
  EXPECT_THAT(ErrorOf(r.Int("n", 0, 4, 1).status()),
              HasSubstr("5 is out of range"));  // fallback does not hide a bad value
}

TEST_F(ParamReaderTest, ChoiceSuggestsTheClosestAllowedValue) {
  const ParamReader& r = Read("via: proxxy\n");
  EXPECT_THAT(ErrorOf(r.Choice("via", {"proxy", "netem"}).status()), HasSubstr("(did you mean 'proxy'?)"));
}

TEST_F(ParamReaderTest, StringListNamesTheBadElement) {
  const ParamReader& r = Read("args:\n  - a\n  - [b]\n");
  EXPECT_EQ(ErrorOf(r.StringList("args").status()),
            "f.yaml:3:5: fault 'kill-server' (process-kill): args[1]: expected a string, got a list");
}

TEST_F(ParamReaderTest, CheckKnownKeysNamesTheUnknownKeySuggestsAndListsTheKnownOnes) {
  const ParamReader& r = Read("signal: SIGKILL\nrestart_aftr: 2s\n");
  EXPECT_TRUE(r.CheckKnownKeys({"signal", "restart_after", "restart_aftr"}).ok());
  EXPECT_EQ(ErrorOf(r.CheckKnownKeys({"signal", "restart_after"})),
            "f.yaml:2:1: fault 'kill-server' (process-kill): unknown key 'restart_aftr' (did you mean "
            "'restart_after'?); known keys: signal, restart_after");
}

TEST_F(ParamReaderTest, CheckKnownKeysSuggestsNothingForFarOffKeys) {
  const ParamReader& r = Read("colour: red\n");
  EXPECT_EQ(ErrorOf(r.CheckKnownKeys({"signal"})),
            "f.yaml:1:1: fault 'kill-server' (process-kill): unknown key 'colour'; known keys: signal");
}

TEST_F(ParamReaderTest, ErrorWithoutContextStartsWithTheKey) {
  absl::StatusOr<ParamNode> node = ParseYamlDocument("a: b\n", "f.yaml");
  ParamReader r(*node, "");
  EXPECT_EQ(ErrorOf(r.Error("a", "bad")), "f.yaml:1:4: a: bad");
  EXPECT_EQ(ErrorOf(r.MapError("bad map")), "f.yaml:1:1: bad map");
}

}  // namespace
}  // namespace faultdrill
