#include "injectors/hog_process.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/injectors/hog_fixture.h"

namespace faultdrill::injectors {
namespace {

using ::faultdrill::testing::ProcessGone;
using ::faultdrill::testing::ReadWholeFile;
using ::faultdrill::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(ParseReadyLine, ReadsKeyValuePairs) {
  auto ready = ParseReadyLine("starting\nready bytes=1024 threads=2\n");
  ASSERT_TRUE(ready.has_value());
  EXPECT_THAT(*ready, UnorderedElementsAre(Pair("bytes", "1024"), Pair("threads", "2")));
}

TEST(ParseReadyLine, WaitsForTheWholeLine) {
  EXPECT_FALSE(ParseReadyLine("ready bytes=10").has_value());
  EXPECT_FALSE(ParseReadyLine("").has_value());
  EXPECT_FALSE(ParseReadyLine("already ready\n").has_value());
  EXPECT_TRUE(ParseReadyLine("ready\n").has_value());
}

TEST(LastLine, IsTheLastNonEmptyLine) {
  EXPECT_EQ(LastLine("one\ntwo\n\n"), "two");
  EXPECT_EQ(LastLine("only"), "only");
  EXPECT_EQ(LastLine(""), "");
}

TEST(FileSafeName, KeepsOnlyPlainCharacters) { EXPECT_EQ(FileSafeName("a/b c-d_e.f"), "a_b_c-d_e.f"); }

TEST(HogProcess, StartsJournalsAndReadsTheReadyLine) {
  RunState run;
  TempDir work;
  run.set_work_dir(work.path());
  auto hog = HogProcess::Start({.fault = "burn", .kind = "cpu-hog", .args = {"cpu", "--threads", "1"}}, run);
  ASSERT_TRUE(hog.ok()) << hog.status();
  EXPECT_EQ((*hog)->ReadyInt("threads"), 1);
  EXPECT_EQ((*hog)->log_file(), work.File("burn.hog.log"));
  EXPECT_THAT(ReadWholeFile((*hog)->log_file()), HasSubstr("ready threads=1"));
  std::vector<JournalRecord> records = run.journal().Records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fault, "burn");
  EXPECT_EQ(records[0].undo.action, "stop-process");
  EXPECT_EQ(records[0].undo.args["pid"].get<pid_t>(), (*hog)->pid());
  EXPECT_EQ(records[0].undo.args["marker"].get<std::string>(), (*hog)->marker());
  EXPECT_NE(records[0].undo.args["start_time"].get<uint64_t>(), 0u);
  const pid_t pid = (*hog)->pid();
  (*hog)->Stop();
  EXPECT_TRUE(ProcessGone(pid));
  (*hog)->Stop();  // idempotent
}

TEST(HogProcess, AHelperThatFailsGivesItsOwnMessage) {
  RunState run;
  auto hog = HogProcess::Start({.fault = "burn", .kind = "cpu-hog", .args = {"cpu", "--threads", "0"}}, run);
  EXPECT_EQ(hog.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(hog.status().message(), HasSubstr("fault 'burn': faultdrill-hog exited with status 2"));
  EXPECT_THAT(hog.status().message(), HasSubstr("--threads must be between 1 and 4096"));
}

}  // namespace
}  // namespace faultdrill::injectors
