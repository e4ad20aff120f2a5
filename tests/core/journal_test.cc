#include "core/journal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "tests/common/files.h"

namespace faultdrill {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ReadWholeFile;
using testing::TempDir;

UndoAction Remove(const std::string& path) { return {"remove-file", {{"path", path}}}; }

std::vector<uint64_t> Seqs(const std::vector<PendingUndo>& pending) {
  std::vector<uint64_t> seqs;
  for (const PendingUndo& p : pending) seqs.push_back(p.seq);
  return seqs;
}

TEST(Journal, EachRecordIsOnDiskWhenRecordUndoReturns) {
  TempDir dir;
  auto journal = Journal::Open(dir.File("j"), "drill");
  ASSERT_TRUE(journal.ok()) << journal.status();
  auto seq = (*journal)->RecordUndo("fill", "disk-fill", Remove("/tmp/x"));
  ASSERT_TRUE(seq.ok());
  // Read back by a second reader while the journal is still open, as
  // `recover` would after a SIGKILL at this point.
  auto records = ReadJournal(dir.File("j"));
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].type, "run");
  EXPECT_EQ((*records)[1].type, "undo");
  EXPECT_EQ((*records)[1].seq, *seq);
  EXPECT_EQ((*records)[1].fault, "fill");
  EXPECT_EQ((*records)[1].kind, "disk-fill");
  EXPECT_EQ((*records)[1].undo.action, "remove-file");
  EXPECT_EQ((*records)[1].undo.args["path"], "/tmp/x");
  EXPECT_TRUE(std::filesystem::is_directory((*journal)->files_dir()));
}

TEST(Journal, PendingUndosAreNewestFirstAndSettledByDone) {
  TempDir dir;
  auto journal = Journal::Open(dir.path(), "drill");
  ASSERT_TRUE(journal.ok());
  Journal& j = **journal;
  uint64_t a1 = *j.RecordUndo("a", "k", Remove("/a1"));
  uint64_t b1 = *j.RecordUndo("b", "k", Remove("/b1"));
  uint64_t a2 = *j.RecordUndo("a", "k", Remove("/a2"));
  EXPECT_THAT(Seqs(PendingUndos(j.Records())), ElementsAre(a2, b1, a1));
  ASSERT_TRUE(j.RecordDone("a", "revert").ok());
  EXPECT_THAT(Seqs(PendingUndos(j.Records())), ElementsAre(b1));
  ASSERT_TRUE(j.RecordUndone(b1, "recover").ok());
  EXPECT_TRUE(PendingUndos(j.Records()).empty());
  // The file says the same as memory.
  EXPECT_TRUE(PendingUndos(*ReadJournal(dir.path())).empty());
}

TEST(Journal, ADoneSettlesOnlyTheStepsWrittenBeforeIt) {
  // Two runs in one journal reuse the fault name: the first run's "done"
  // must not hide the second run's undo.
  TempDir dir;
  {
    auto first = Journal::Open(dir.path(), "drill");
    ASSERT_TRUE((*first)->RecordUndo("a", "k", Remove("/old")).ok());
    ASSERT_TRUE((*first)->RecordDone("a", "revert").ok());
  }
  auto second = Journal::Open(dir.path(), "drill");
  ASSERT_TRUE(second.ok());
  uint64_t seq = *(*second)->RecordUndo("a", "k", Remove("/new"));
  auto pending = PendingUndos(*ReadJournal(dir.path()));
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].seq, seq);
  EXPECT_EQ(pending[0].undo.args["path"], "/new");
  EXPECT_GT(seq, 3u) << "numbering continues across runs";
}

TEST(Journal, ATornLastLineIsIgnored) {
  TempDir dir;
  {
    auto journal = Journal::Open(dir.path(), "drill");
    ASSERT_TRUE((*journal)->RecordUndo("a", "k", Remove("/a")).ok());
  }
  std::ofstream(JournalFile(dir.path()), std::ios::app) << R"({"seq":9,"type":"done","fau)";
  auto records = ReadJournal(dir.path());
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(records->size(), 2u);
  EXPECT_EQ(PendingUndos(*records).size(), 1u);
}

TEST(Journal, ATornLastLineDoesNotGlueTheNextAppend) {
  TempDir dir;
  {
    auto journal = Journal::Open(dir.path(), "drill");
    ASSERT_TRUE((*journal)->RecordUndo("a", "k", Remove("/a")).ok());
  }
  std::ofstream(JournalFile(dir.path()), std::ios::app) << R"({"seq":9,"type":"done","fau)";
  {
    auto journal = Journal::Open(dir.path(), "drill");  // a later run, or recover
    ASSERT_TRUE(journal.ok()) << journal.status();
    ASSERT_TRUE((*journal)->RecordDone("a", "recover").ok());
  }
  auto records = ReadJournal(dir.path());
  ASSERT_TRUE(records.ok()) << records.status() << "\n" << ReadWholeFile(JournalFile(dir.path()));
  ASSERT_EQ(records->size(), 4u);  // run, undo, run, done: the torn line is gone
  EXPECT_EQ((*records)[2].type, "run");
  EXPECT_EQ((*records)[3].type, "done");
  EXPECT_TRUE(PendingUndos(*records).empty());
  EXPECT_THAT(ReadWholeFile(JournalFile(dir.path())), ::testing::Not(HasSubstr(R"("seq":9)")));
  EXPECT_TRUE(Journal::Open(dir.path(), "drill").ok());  // and every later open reads it
}

TEST(Journal, ATornLastLineThatHeldAWholeRecordKeepsItOnItsOwnLine) {
  TempDir dir;
  {
    auto journal = Journal::Open(dir.path(), "drill");
    ASSERT_TRUE((*journal)->RecordUndo("a", "k", Remove("/a")).ok());
  }
  std::ofstream(JournalFile(dir.path()), std::ios::app) << R"({"seq":3,"type":"done","fault":"a"})";
  {
    auto journal = Journal::Open(dir.path(), "drill");
    ASSERT_TRUE(journal.ok()) << journal.status();
  }
  auto records = ReadJournal(dir.path());
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 4u);
  EXPECT_EQ((*records)[2].type, "done");
  EXPECT_EQ((*records)[3].type, "run");
  EXPECT_EQ((*records)[3].seq, 4u);
}

TEST(Journal, ASeqAtTheTopOfTheRangeIsRejectedNotWrapped) {
  TempDir dir;
  std::ofstream(JournalFile(dir.path())) << R"({"seq":18446744073709551615,"type":"run"})" << "\n";
  auto records = ReadJournal(dir.path());
  ASSERT_FALSE(records.ok());
  EXPECT_THAT(std::string(records.status().message()), HasSubstr("journal.jsonl:1: \"seq\" 18446744073709551615 is out of range"));
  auto journal = Journal::Open(dir.path(), "drill");
  EXPECT_FALSE(journal.ok());  // not a new record numbered 0
}

TEST(Journal, DeepNestingInALineIsALocatedErrorNotAStackOverflow) {
  TempDir dir;
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  std::ofstream(JournalFile(dir.path()))
      << R"({"seq":1,"type":"run"})" << "\n"
      << R"({"seq":2,"type":"undo","fault":"a","kind":"k","action":"remove-file","args":{"path":)" << deep << "}}\n";
  auto records = ReadJournal(dir.path());
  ASSERT_FALSE(records.ok());
  EXPECT_THAT(std::string(records.status().message()), HasSubstr("journal.jsonl:2: nested more than 64 levels deep"));
}

TEST(Journal, AMalformedLineInTheMiddleIsAnErrorWithItsLine) {
  TempDir dir;
  std::ofstream(JournalFile(dir.path())) << R"({"seq":1,"type":"run"})" << "\n"
                                         << R"({"seq":2,"type":"undo","fault":"a"})" << "\n"
                                         << R"({"seq":3,"type":"end"})" << "\n";
  auto records = ReadJournal(dir.path());
  ASSERT_FALSE(records.ok());
  EXPECT_THAT(std::string(records.status().message()), HasSubstr("journal.jsonl:2: missing \"kind\""));
}

TEST(Journal, NoJournalIsNotFound) {
  TempDir dir;
  EXPECT_TRUE(absl::IsNotFound(ReadJournal(dir.path()).status()));
}

TEST(Journal, InMemoryJournalKeepsRecordsAndHasNoFolder) {
  auto journal = Journal::InMemory();
  EXPECT_FALSE(journal->durable());
  EXPECT_EQ(journal->files_dir(), "");
  ASSERT_TRUE(journal->RecordUndo("a", "k", Remove("/a")).ok());
  EXPECT_EQ(journal->Records().size(), 1u);
}

TEST(Journal, ConcurrentWritersGetDistinctSequenceNumbersAndWholeLines) {
  TempDir dir;
  auto journal = Journal::Open(dir.path(), "drill");
  ASSERT_TRUE(journal.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) (void)(*journal)->RecordUndo("f" + std::to_string(t), "k", Remove("/x"));
    });
  }
  for (auto& t : threads) t.join();
  auto records = ReadJournal(dir.path());
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 101u);
  for (size_t i = 0; i < records->size(); ++i) EXPECT_EQ((*records)[i].seq, i + 1);
}

}  // namespace
}  // namespace faultdrill
