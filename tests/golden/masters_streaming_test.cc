// Masters written and read one at a time (MastersWriter, MastersReader): what
// `golden record` and `golden compare` hold in memory is one answer, not the
// recording.
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "golden/masters.h"
#include "golden/masters_reader.h"
#include "golden/masters_writer.h"
#include "gtest/gtest.h"
#include "tests/common/files.h"
#include "tests/golden/responses.h"

namespace faultdrill::golden {
namespace {

using ::faultdrill::testing::ReadWholeFile;
using ::faultdrill::testing::TempDir;
using ::testing::HasSubstr;

// A field of /proc/self/status in KiB ("VmHWM", "VmRSS"), -1 when missing.
int64_t StatusKib(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1));
  }
  return -1;
}

// Resets VmHWM to the current RSS (Linux 4.0+); false where that is not allowed.
bool ResetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return clear.good();
}

// An answer with one FP32 output of `bytes` bytes, its bytes depending on `seed`.
inference::ModelInferResponse LargeAnswer(size_t bytes, char seed) {
  inference::ModelInferResponse r;
  std::string raw(bytes, seed);
  raw[0] = char(seed + 1);
  testing::AddRaw(r, "LOGITS", "FP32", {1, int64_t(bytes / 4)}, std::move(raw));
  return r;
}

MastersHeader Header() { return {.model = "tinylm", .scenario = "streaming"}; }

TEST(MastersWriter, RecordingLargeAnswersHoldsOneAtATimeNotTheRecording) {
  TempDir dir;
  const std::string path = dir.File("big.golden.jsonl");
  constexpr size_t kAnswerBytes = 8 << 20;
  constexpr int kAnswers = 16;  // 128 MiB in all: kept in memory, the peak would grow by that much
  constexpr int64_t kBoundKib = 64 << 10;
  if (!ResetPeakRss() || StatusKib("VmHWM") < 0) GTEST_SKIP() << "cannot reset the peak RSS through /proc/self/clear_refs";
  const int64_t before = StatusKib("VmRSS");
  {
    auto writer = MastersWriter::Create(path);
    ASSERT_TRUE(writer.ok()) << writer.status();
    for (int i = 0; i < kAnswers; ++i) {
      auto master = Masters::MasterFromResponse(uint64_t(i), LargeAnswer(kAnswerBytes, char('a' + i)));
      ASSERT_TRUE(master.ok()) << master.status();
      ASSERT_TRUE((*writer)->Add(*master).ok());
    }
    ASSERT_TRUE((*writer)->Commit(Header()).ok());
  }
  const int64_t growth = StatusKib("VmHWM") - before;

  EXPECT_LT(growth, kBoundKib) << "the peak RSS grew by " << growth << " KiB while recording "
                               << kAnswers * (kAnswerBytes >> 10) << " KiB";
  EXPECT_EQ(std::filesystem::file_size(Masters::SidecarPath(path)), kAnswers * kAnswerBytes);
  auto reader = MastersReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->requests(), uint64_t(kAnswers));
  for (int i = 0; i < kAnswers; ++i) {
    auto master = (*reader)->Next();
    ASSERT_TRUE(master.ok()) << master.status();
    ASSERT_TRUE(master->has_value());
    EXPECT_EQ((*master)->request_index, uint64_t(i));
    EXPECT_EQ((*master)->outputs.at(0).data.substr(0, 2), (std::string{char('a' + i + 1), char('a' + i)}));
  }
  auto end = (*reader)->Next();
  ASSERT_TRUE(end.ok()) << end.status();
  EXPECT_FALSE(end->has_value());
}

TEST(MastersWriter, NothingChangesOnDiskUntilCommit) {
  TempDir dir;
  const std::string path = dir.File("m.golden.jsonl");
  Masters old(Header());
  ASSERT_TRUE(old.Add(*Masters::MasterFromResponse(0, testing::RawFp32("X", {2}, {1, 2}))).ok());
  ASSERT_TRUE(old.Save(path).ok());
  const std::string before = ReadWholeFile(path);
  {
    auto writer = MastersWriter::Create(path);
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE((*writer)->Add(*Masters::MasterFromResponse(0, LargeAnswer(1 << 20, 'x'))).ok());
  }  // dropped, as when `golden record` fails half-way
  EXPECT_EQ(ReadWholeFile(path), before);
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"m.golden.jsonl"});
}

TEST(MastersWriter, RefusesMastersOutOfRequestOrder) {
  TempDir dir;
  auto writer = MastersWriter::Create(dir.File("m.golden.jsonl"));
  ASSERT_TRUE(writer.ok()) << writer.status();
  ASSERT_TRUE((*writer)->Add(*Masters::MasterFromResponse(3, testing::RawFp32("X", {1}, {1}))).ok());
  absl::Status s = (*writer)->Add(*Masters::MasterFromResponse(3, testing::RawFp32("X", {1}, {1})));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("request_index order"));
}

// Masters for requests 1, 2 and 5 of a set.
std::string MastersWithGaps(const TempDir& dir) {
  Masters masters(Header());
  for (uint64_t index : {1, 2, 5}) {
    EXPECT_TRUE(masters.Add(*Masters::MasterFromResponse(index, testing::RawFp32("X", {1}, {float(index)}))).ok());
  }
  const std::string path = dir.File("m.golden.jsonl");
  EXPECT_TRUE(masters.Save(path).ok());
  return path;
}

TEST(MastersReader, SeekWalksTheMastersInStepWithTheRequests) {
  TempDir dir;
  auto reader = MastersReader::Open(MastersWithGaps(dir));
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::vector<std::string> seen;
  for (uint64_t i = 0; i < 7; ++i) {
    auto master = (*reader)->Seek(i);
    ASSERT_TRUE(master.ok()) << master.status();
    seen.push_back(*master == nullptr ? "-" : std::to_string((*master)->request_index));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"-", "1", "2", "-", "-", "5", "-"}));
}

TEST(MastersReader, SeekRefusesLinesOutOfRequestOrder) {
  TempDir dir;
  const std::string path = dir.File("m.golden.jsonl");
  std::ofstream(path) << R"({"format":"faultdrill-golden","version":1,"model":"m","requests":2})" << "\n"
                      << R"({"request_index":4,"outputs":[]})" << "\n"
                      << R"({"request_index":2,"outputs":[]})" << "\n";
  auto reader = MastersReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto master = (*reader)->Seek(5);
  EXPECT_EQ(master.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(master.status().message()), HasSubstr(path + ":3: request 2 comes after request 4"));
}

TEST(MastersReader, ATruncatedFileIsAnErrorAtItsEnd) {
  TempDir dir;
  const std::string path = dir.File("m.golden.jsonl");
  std::ofstream(path) << R"({"format":"faultdrill-golden","version":1,"model":"m","requests":2})" << "\n"
                      << R"({"request_index":0,"outputs":[]})" << "\n";
  auto reader = MastersReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  ASSERT_TRUE((*reader)->Next().ok());
  auto end = (*reader)->Next();
  EXPECT_THAT(std::string(end.status().message()), HasSubstr("truncated"));
}

}  // namespace
}  // namespace faultdrill::golden
