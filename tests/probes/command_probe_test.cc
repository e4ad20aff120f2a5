// The command probe running real programs: exit codes, output, timeouts.
#include "probes/command_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "probes/registry.h"

namespace faultdrill::probes {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

std::unique_ptr<Probe> ProbeFor(const std::string& probe_yaml) {
  auto scenario = ParseScenario(
      "name: t\ntarget: {embedded: true, model: tinylm}\nload: {generator: {model: tinylm}, rate: 1/s, "
      "duration: 1s}\nprobes:\n  - " +
          probe_yaml + "\n",
      "s.yaml");
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  if (!scenario.ok()) return nullptr;
  ProbeContext context{.scenario = *scenario};
  auto probe = CommandProbe::Create(scenario->probes.at(0), context);
  EXPECT_TRUE(probe.ok()) << probe.status();
  return probe.ok() ? *std::move(probe) : nullptr;
}

std::string Error(const std::string& probe_yaml) {
  auto scenario = ParseScenario(
      "name: t\ntarget: {embedded: true, model: tinylm}\nload: {generator: {model: tinylm}, rate: 1/s, "
      "duration: 1s}\nprobes:\n  - " +
          probe_yaml + "\n",
      "s.yaml");
  if (!scenario.ok()) return std::string(scenario.status().message());
  auto settings = ParseCommandProbe(scenario->probes.at(0));
  return settings.ok() ? "(no error)" : std::string(settings.status().message());
}

std::map<std::string, double> Values(const ProbeResult& result) {
  std::map<std::string, double> values;
  for (const ProbeValue& v : result.values) values[v.name] = v.value;
  return values;
}

TEST(CommandProbe, AProgramThatSucceedsIsHealthy) {
  auto probe = ProbeFor("{kind: command, command: [true]}");
  ASSERT_NE(probe, nullptr);
  ProbeResult result = probe->Check();
  EXPECT_TRUE(result.healthy) << result.detail;
  EXPECT_EQ(Values(result)["exit_code"], 0);
  EXPECT_EQ(Values(result).count("duration_s"), 1u);
  EXPECT_THAT(result.detail, HasSubstr("exit 0"));
}

TEST(CommandProbe, AnUnexpectedExitCodeIsUnhealthyAndShowsTheFirstLineOfOutput) {
  auto probe = ProbeFor("{kind: command, command: [sh, -c, \"printf '\\\\nfirst\\\\nsecond\\\\n'; exit 3\"]}");
  ASSERT_NE(probe, nullptr);
  ProbeResult result = probe->Check();
  EXPECT_FALSE(result.healthy);
  EXPECT_EQ(Values(result)["exit_code"], 3);
  EXPECT_THAT(result.detail, HasSubstr("exit 3 (expected exit 0)"));
  EXPECT_THAT(result.detail, HasSubstr(": first"));
  EXPECT_THAT(result.detail, Not(HasSubstr("second")));
}

TEST(CommandProbe, TheExpectedExitCodeMayBeNonZero) {
  auto probe = ProbeFor("{kind: command, command: [\"false\"], expect_exit: 1}");
  ASSERT_NE(probe, nullptr);
  EXPECT_TRUE(probe->Check().healthy);
}

TEST(CommandProbe, OutputIsSearchedWithTheRegex) {
  auto matching = ProbeFor("{kind: command, command: [echo, hello world], expect_output: \"hel+o\"}");
  ASSERT_NE(matching, nullptr);
  EXPECT_TRUE(matching->Check().healthy);
  auto stderr_too = ProbeFor("{kind: command, command: [sh, -c, \"echo ready >&2\"], expect_output: \"^ready\"}");
  ASSERT_NE(stderr_too, nullptr);
  EXPECT_TRUE(stderr_too->Check().healthy);
  auto other = ProbeFor("{kind: command, command: [echo, hello world], expect_output: bye}");
  ASSERT_NE(other, nullptr);
  ProbeResult result = other->Check();
  EXPECT_FALSE(result.healthy);
  EXPECT_THAT(result.detail, HasSubstr("does not match /bye/: hello world"));
}

TEST(CommandProbe, ALongOutputIsSearchedWithoutExhaustingTheStack) {
  auto probe = ProbeFor(
      "{kind: command, command: [sh, -c, \"head -c 60000 /dev/zero | tr '\\\\0' a\"], "
      "expect_output: \"^(a|b)*$\"}");
  ASSERT_NE(probe, nullptr);
  ProbeResult result = probe->Check();
  EXPECT_TRUE(result.healthy) << result.detail;
}

TEST(CommandProbe, ArgumentsReachTheProgramUnchangedWithoutAShell) {
  auto probe = ProbeFor("{kind: command, command: [echo, \"$HOME; rm -rf x\"], expect_output: \"^\\\\$HOME; rm\"}");
  ASSERT_NE(probe, nullptr);
  ProbeResult result = probe->Check();
  EXPECT_TRUE(result.healthy) << result.detail;
}

TEST(CommandProbe, AProgramPastItsTimeoutIsKilledAndUnhealthy) {
  auto probe = ProbeFor("{kind: command, command: [sleep, \"10\"], timeout: 200ms}");
  ASSERT_NE(probe, nullptr);
  ProbeResult result = probe->Check();
  EXPECT_FALSE(result.healthy);
  EXPECT_THAT(result.detail, HasSubstr("did not finish within 200ms"));
  EXPECT_LT(result.took, 2s);
  EXPECT_EQ(Values(result).count("exit_code"), 0u);
  EXPECT_GE(Values(result)["duration_s"], 0.2);
}

TEST(CommandProbe, AMissingProgramIsUnhealthy) {
  auto probe = ProbeFor("{kind: command, command: [faultdrill-no-such-program]}");
  ASSERT_NE(probe, nullptr);
  ProbeResult result = probe->Check();
  EXPECT_FALSE(result.healthy);
  EXPECT_THAT(result.detail, HasSubstr("not found"));
}

TEST(CommandProbe, DescribesTheCommand) {
  auto probe = ProbeFor("{kind: command, command: [curl, -sf, \"http://127.0.0.1:1/\"], expect_exit: 7}");
  ASSERT_NE(probe, nullptr);
  EXPECT_EQ(probe->Describe(), "command `curl -sf http://127.0.0.1:1/` exits 7");
}

TEST(ParseCommandProbe, BadKeysAreLocatedErrors) {
  EXPECT_THAT(Error("{kind: command, command: [true], timout: 1s}"), HasSubstr("s.yaml:5:"));
  EXPECT_THAT(Error("{kind: command, command: [true], timout: 1s}"), HasSubstr("unknown key 'timout'"));
  EXPECT_THAT(Error("{kind: command}"), HasSubstr("command"));
  EXPECT_THAT(Error("{kind: command, command: \"curl -s x\"}"), HasSubstr("never runs a shell"));
  EXPECT_THAT(Error("{kind: command, command: []}"), HasSubstr("name a program"));
  EXPECT_THAT(Error("{kind: command, command: [[a]]}"), HasSubstr("expected a string"));
  EXPECT_THAT(Error("{kind: command, command: [true], timeout: 0s}"), HasSubstr("greater than zero"));
  EXPECT_THAT(Error("{kind: command, command: [true], timeout: soon}"), HasSubstr("timeout"));
  EXPECT_THAT(Error("{kind: command, command: [true], expect_exit: 256}"), HasSubstr("expect_exit"));
  EXPECT_THAT(Error("{kind: command, command: [true], expect_output: \"(\"}"),
              HasSubstr("not a valid regular expression"));
}

TEST(CommandProbe, IsBuiltByTheRegistryFromAScenario) {
  auto scenario = ParseScenario(
      "name: t\ntarget: {embedded: true, model: tinylm}\nload: {generator: {model: tinylm}, rate: 1/s, "
      "duration: 1s}\nprobes:\n  - {kind: command, command: [true]}\n",
      "s.yaml");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  ProbeContext context{.scenario = *scenario};
  auto probe = Registry::Default().Create(scenario->probes.at(0), context);
  ASSERT_TRUE(probe.ok()) << probe.status();
  EXPECT_THAT((*probe)->Describe(), HasSubstr("command `true`"));
  EXPECT_EQ(Registry::Default().Kinds().count("command"), 1u);
}

}  // namespace
}  // namespace faultdrill::probes
