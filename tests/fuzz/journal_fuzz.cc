// The undo journal, as `faultdrill recover` and the next `run` read it after
// a crash: any content gives records or "path:line: problem", and a journal
// that reads can always be opened and appended to, after which it still reads
// with the same records first (a torn last line is ended, never glued to).
#include <cstdint>
#include <filesystem>
#include <fstream>

#include "core/journal.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace faultdrill;
  const std::string_view text = fuzz::AsText(data, size);
  absl::StatusOr<std::vector<JournalRecord>> records = ParseJournalText(text, "journal.jsonl");
  if (!records.ok()) {
    if (!fuzz::MessageStartsWith(records.status(), "journal.jsonl:")) fuzz::PropertyBroken("an error without its line");
    return 0;
  }
  (void)PendingUndos(*records);

  const std::string dir = fuzz::ScratchDir() + "/journal";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(JournalFile(dir), std::ios::binary).write(text.data(), std::streamsize(text.size()));
  {
    absl::StatusOr<std::unique_ptr<Journal>> journal = Journal::Open(dir, "fuzz");
    if (!journal.ok()) {
      // Only running out of record numbers may stop a journal that reads.
      if (!absl::IsResourceExhausted(journal.status())) fuzz::PropertyBroken("a journal that reads does not open");
      return 0;
    }
    if (!(*journal)->RecordEnd().ok()) fuzz::PropertyBroken("cannot append to an open journal");
  }
  absl::StatusOr<std::vector<JournalRecord>> after = ReadJournal(dir);
  if (!after.ok()) fuzz::PropertyBroken("the journal does not read after an append");
  if (after->size() != records->size() + 2) fuzz::PropertyBroken("an append lost or gained records");
  for (size_t i = 0; i < records->size(); ++i) {
    if ((*after)[i].seq != (*records)[i].seq || (*after)[i].type != (*records)[i].type) {
      fuzz::PropertyBroken("an append changed an earlier record");
    }
  }
  return 0;
}
