// The log probe and its follower on real files: growth, partial lines,
// truncation, rotation, long lines, the read budget and patterns.
#include "probes/log_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "probes/log_follower.h"
#include "probes/registry.h"
#include "tests/common/files.h"

namespace faultdrill::probes {
namespace {

using ::faultdrill::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

void Append(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::app | std::ios::binary);
  out << text;
}

void Overwrite(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc | std::ios::binary);
  out << text;
}

std::map<std::string, double> Counts(const ProbeResult& result) {
  std::map<std::string, double> counts;
  for (const ProbeValue& v : result.values) counts[v.name] = v.value;
  return counts;
}

std::vector<LogPattern> Defaults() {
  return {{"error", "ERROR", std::nullopt}, {"fatal", "FATAL", std::nullopt}, {"oom", "OOM", std::nullopt}};
}

class LogProbeTest : public ::testing::Test {
 protected:
  std::unique_ptr<LogProbe> ProbeOn(std::vector<LogPattern> patterns = Defaults(), LogFollower::Options follow = {}) {
    return std::make_unique<LogProbe>(LogProbeSettings{.file = log_, .patterns = std::move(patterns), .follow = follow},
                                      nullptr);
  }

  TempDir dir_;
  const std::string log_ = dir_.File("server.log");
};

TEST_F(LogProbeTest, OnlyLinesWrittenAfterTheFirstCheckCount) {
  Append(log_, "ERROR before the drill\nFATAL before too\n");
  auto probe = ProbeOn();
  ProbeResult first = probe->Check();
  EXPECT_TRUE(first.healthy) << first.detail;
  EXPECT_EQ(Counts(first), (std::map<std::string, double>{{"error", 0}, {"fatal", 0}, {"oom", 0}}));
  Append(log_, "ok\nERROR one\nFATAL: OOM while loading\nERROR two\n");
  ProbeResult second = probe->Check();
  EXPECT_EQ(Counts(second), (std::map<std::string, double>{{"error", 2}, {"fatal", 1}, {"oom", 1}}));
  EXPECT_THAT(second.detail, HasSubstr("last match: ERROR two"));
}

TEST_F(LogProbeTest, CountsAreCumulative) {
  auto probe = ProbeOn();
  probe->Check();
  Append(log_, "ERROR a\n");
  EXPECT_EQ(Counts(probe->Check())["error"], 1);
  EXPECT_EQ(Counts(probe->Check())["error"], 1);
  Append(log_, "ERROR b\n");
  EXPECT_EQ(Counts(probe->Check())["error"], 2);
}

TEST_F(LogProbeTest, AFileThatDoesNotExistYetIsHealthyAndReadFromItsStartOnceCreated) {
  auto probe = ProbeOn();
  ProbeResult missing = probe->Check();
  EXPECT_TRUE(missing.healthy);
  EXPECT_THAT(missing.detail, HasSubstr("does not exist (yet)"));
  Append(log_, "ERROR at startup\n");
  EXPECT_EQ(Counts(probe->Check())["error"], 1);
}

TEST_F(LogProbeTest, APartialLastLineWaitsForItsNewline) {
  auto probe = ProbeOn();
  probe->Check();
  Append(log_, "ERR");
  EXPECT_EQ(Counts(probe->Check())["error"], 0);
  Append(log_, "OR split across writes");
  EXPECT_EQ(Counts(probe->Check())["error"], 0);
  Append(log_, "\n");
  EXPECT_EQ(Counts(probe->Check())["error"], 1);
}

TEST_F(LogProbeTest, ATruncatedFileIsReadAgainFromItsStart) {
  Append(log_, "a long line of history that makes the file longer than what follows\n");
  auto probe = ProbeOn();
  probe->Check();
  Overwrite(log_, "ERROR after truncation\n");
  ProbeResult result = probe->Check();
  EXPECT_EQ(Counts(result)["error"], 1);
  EXPECT_THAT(result.detail, HasSubstr("truncated"));
}

TEST_F(LogProbeTest, ARotatedFileIsFinishedThenTheNewOneReadFromItsStart) {
  std::ofstream writer(log_, std::ios::app);  // the service's handle survives the rotation
  auto probe = ProbeOn();
  probe->Check();
  writer << "ERROR before rotation\n" << std::flush;
  std::filesystem::rename(log_, log_ + ".1");
  writer << "ERROR written to the old file after the rename, without newline" << std::flush;
  Append(log_, "FATAL in the new file\n");
  ProbeResult result = probe->Check();
  EXPECT_EQ(Counts(result)["error"], 2);
  EXPECT_EQ(Counts(result)["fatal"], 1);
  EXPECT_THAT(result.detail, HasSubstr("replaced"));
  Append(log_, "ERROR later\n");
  EXPECT_EQ(Counts(probe->Check())["error"], 3);
}

TEST_F(LogProbeTest, ARemovedFileIsHealthyWhileWaitingForANewOne) {
  auto probe = ProbeOn();
  Append(log_, "");
  probe->Check();
  std::filesystem::remove(log_);
  ProbeResult result = probe->Check();
  EXPECT_TRUE(result.healthy);
  EXPECT_THAT(result.detail, HasSubstr("does not exist"));
  Append(log_, "OOM killer\n");
  EXPECT_EQ(Counts(probe->Check())["oom"], 1);
}

TEST_F(LogProbeTest, AVeryLongLineIsCountedOnce) {
  auto probe = ProbeOn(Defaults(), {.max_read_bytes = 1 << 20, .max_line_bytes = 100});
  probe->Check();
  Append(log_, "ERROR " + std::string(5000, 'x') + " ERROR again\nERROR next\n");
  EXPECT_EQ(Counts(probe->Check())["error"], 2);
  // Also when the long line arrives in pieces across checks.
  Append(log_, "ERROR " + std::string(300, 'y'));
  EXPECT_EQ(Counts(probe->Check())["error"], 3);
  Append(log_, std::string(300, 'z') + "ERROR\n");
  EXPECT_EQ(Counts(probe->Check())["error"], 3);
}

TEST_F(LogProbeTest, EachCheckReadsAtMostItsBudgetAndCatchesUpLater) {
  auto probe = ProbeOn(Defaults(), {.max_read_bytes = 1000, .max_line_bytes = 200});
  probe->Check();
  std::string lines;
  for (int i = 0; i < 100; ++i) lines += "ERROR number " + std::to_string(1000 + i) + "\n";  // 18 bytes each
  Append(log_, lines);
  ProbeResult first = probe->Check();
  EXPECT_EQ(Counts(first)["error"], 1000 / 18);
  EXPECT_THAT(first.detail, HasSubstr("bytes behind"));
  for (int i = 0; i < 5; ++i) probe->Check();
  EXPECT_EQ(Counts(probe->Check())["error"], 100);
}

TEST_F(LogProbeTest, RegexAndPlainPatternsAreNamedValues) {
  std::vector<LogPattern> patterns = {
      {"out_of_memory", "out of memory", std::nullopt},
      {"cuda", "CUDA (error|failure) [0-9]+", *Regex::Compile("CUDA (error|failure) [0-9]+")}};
  auto probe = ProbeOn(std::move(patterns));
  probe->Check();
  Append(log_, "CUDA error 2: out of memory\nCUDA failure x\nCUDA failure 17\nOut Of Memory\n");
  EXPECT_EQ(Counts(probe->Check()), (std::map<std::string, double>{{"cuda", 2}, {"out_of_memory", 1}}));
}

TEST_F(LogProbeTest, ARegexOnALongLineDoesNotExhaustTheStack) {
  std::vector<LogPattern> patterns = {{"ab", "(a|b)*c", *Regex::Compile("(a|b)*c")}};
  auto probe = ProbeOn(std::move(patterns));
  probe->Check();
  Append(log_, std::string(60000, 'a') + "c\n");  // std::regex overflows an 8 MiB stack on this
  EXPECT_EQ(Counts(probe->Check())["ab"], 1);
}

TEST(LogProbe, FollowsTheLaunchedTargetsOutputByDefault) {
  TempDir dir;
  std::string output;  // empty until the target is up
  LogProbe probe({.file = "", .patterns = Defaults(), .follow = {}}, [&] { return output; });
  ProbeResult before = probe.Check();
  EXPECT_TRUE(before.healthy);
  EXPECT_THAT(before.detail, HasSubstr("no output file yet"));
  output = dir.File("target.out");
  Append(output, "FATAL during startup\n");
  EXPECT_EQ(Counts(probe.Check())["fatal"], 1);
}

TEST(LogProbe, AnUnreadableFileIsUnhealthy) {
  if (::geteuid() == 0) GTEST_SKIP() << "running as root: file permissions do not stop reading";
  TempDir dir;
  std::string log = dir.File("secret.log");
  Append(log, "x\n");
  std::filesystem::permissions(log, std::filesystem::perms::none);
  LogProbe probe({.file = log, .patterns = Defaults(), .follow = {}}, nullptr);
  ProbeResult result = probe.Check();
  EXPECT_FALSE(result.healthy);
  EXPECT_THAT(result.detail, HasSubstr("cannot read"));
}

TEST(LogFollower, HandsOverCompleteLinesOnly) {
  TempDir dir;
  std::string log = dir.File("f.log");
  LogFollower follower(log);
  std::vector<std::string> lines;
  auto collect = [&](std::string_view line) { lines.emplace_back(line); };
  ASSERT_TRUE(follower.Poll(collect).ok());
  Append(log, "one\n\nthree\nfou");
  auto progress = follower.Poll(collect);
  ASSERT_TRUE(progress.ok());
  EXPECT_TRUE(progress->exists);
  EXPECT_EQ(progress->bytes_read, 14u);
  EXPECT_THAT(lines, ElementsAre("one", "", "three"));
}

// --- keys ---

absl::StatusOr<LogProbeSettings> Parse(const std::string& probe_yaml, bool launched = true) {
  std::string target = launched ? "{embedded: true, model: tinylm}" : "{endpoint: \"127.0.0.1:8001\", model: tinylm}";
  auto scenario = ParseScenario("name: t\ntarget: " + target +
                                    "\nload: {generator: {model: tinylm}, rate: 1/s, duration: 1s}\nprobes:\n  - " +
                                    probe_yaml + "\n",
                                "s.yaml");
  if (!scenario.ok()) return scenario.status();
  return ParseLogProbe(scenario->probes.at(0), *scenario);
}

std::string Error(const absl::StatusOr<LogProbeSettings>& parsed) {
  return parsed.ok() ? "(no error)" : std::string(parsed.status().message());
}

TEST(ParseLogProbe, DefaultsToErrorFatalAndOomOnTheTargetsOutput) {
  auto parsed = Parse("{kind: log}");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->file, "");
  ASSERT_EQ(parsed->patterns.size(), 3u);
  EXPECT_EQ(parsed->patterns[0].name, "error");
  EXPECT_EQ(parsed->patterns[1].name, "fatal");
  EXPECT_EQ(parsed->patterns[2].name, "oom");
}

TEST(ParseLogProbe, NamesPlainPatternsAfterTheirText) {
  auto parsed = Parse(
      "{kind: log, file: /var/log/x.log, patterns: [\"Out of memory!\", {name: slow, match: "
      "\"took [0-9]+ms\"}]}",
      false);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->file, "/var/log/x.log");
  ASSERT_EQ(parsed->patterns.size(), 2u);
  EXPECT_EQ(parsed->patterns[0].name, "out_of_memory");
  EXPECT_FALSE(parsed->patterns[0].regex.has_value());
  EXPECT_EQ(parsed->patterns[1].name, "slow");
  EXPECT_TRUE(parsed->patterns[1].Matches("request took 250ms"));
  EXPECT_FALSE(parsed->patterns[1].Matches("request took long"));
}

TEST(ParseLogProbe, BadKeysAreLocatedErrors) {
  EXPECT_THAT(Error(Parse("{kind: log, fiel: x}")), HasSubstr("s.yaml:5:"));
  EXPECT_THAT(Error(Parse("{kind: log, fiel: x}")), HasSubstr("unknown key 'fiel'"));
  EXPECT_THAT(Error(Parse("{kind: log}", false)), HasSubstr("name a log with file"));
  EXPECT_THAT(Error(Parse("{kind: log, file: \"\"}")), HasSubstr("must not be empty"));
  EXPECT_THAT(Error(Parse("{kind: log, patterns: []}")), HasSubstr("at least one pattern"));
  EXPECT_THAT(Error(Parse("{kind: log, patterns: ERROR}")), HasSubstr("patterns"));
  EXPECT_THAT(Error(Parse("{kind: log, patterns: [\"\"]}")), HasSubstr("empty pattern"));
  EXPECT_THAT(Error(Parse("{kind: log, patterns: [\"!!!\"]}")), HasSubstr("cannot name a value"));
  EXPECT_THAT(Error(Parse("{kind: log, patterns: [[a]]}")), HasSubstr("expected a string or"));
  EXPECT_THAT(Error(Parse("{kind: log, patterns: [ERROR, error]}")), HasSubstr("a second pattern named 'error'"));
  EXPECT_THAT(Error(Parse("{kind: log, patterns: [{name: Bad-Name, match: x}]}")), HasSubstr("lowercase"));
  EXPECT_THAT(Error(Parse("{kind: log, patterns: [{name: x}]}")), HasSubstr("match"));
  EXPECT_THAT(Error(Parse("{kind: log, patterns: [{name: x, match: x, case: no}]}")), HasSubstr("unknown key 'case'"));
  std::string bad_regex = Error(Parse("{kind: log, patterns: [{name: x, match: \"([a-\"}]}"));
  EXPECT_THAT(bad_regex, HasSubstr("not a valid regular expression"));
  EXPECT_THAT(bad_regex, HasSubstr("s.yaml:5:"));
  EXPECT_THAT(bad_regex, HasSubstr("patterns[0]: match"));
}

TEST(LogProbe, IsBuiltByTheRegistryFromAScenario) {
  auto scenario = ParseScenario(
      "name: t\ntarget: {embedded: true, model: tinylm}\nload: {generator: {model: tinylm}, rate: 1/s, "
      "duration: 1s}\nprobes:\n  - {kind: log, patterns: [panic]}\n",
      "s.yaml");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  ProbeContext context{.scenario = *scenario};
  auto probe = Registry::Default().Create(scenario->probes.at(0), context);
  ASSERT_TRUE(probe.ok()) << probe.status();
  EXPECT_THAT((*probe)->Describe(), HasSubstr("log lines matching panic"));
  EXPECT_EQ(Registry::Default().Kinds().count("log"), 1u);
}

}  // namespace
}  // namespace faultdrill::probes
