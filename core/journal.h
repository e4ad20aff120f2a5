// The write-ahead undo journal. Before an injector changes anything, it writes
// how to take the change back (an UndoAction) and the journal makes it durable
// (fsync) before returning; once the fault is reverted the scheduler writes
// that it is done. After a crash of faultdrill (even SIGKILL), `faultdrill
// recover` reads the journal and runs the undo steps of every fault that is
// not done, newest first. Undo steps are plain data, so recovering needs
// neither the scenario nor the injectors.
//
// On disk: DIR/journal.jsonl, one JSON object per line, appended only:
//   {"seq":1,"type":"run","pid":123,"scenario":"quickstart","started_at":"..."}
//   {"seq":2,"type":"undo","fault":"corrupt","kind":"corrupt-weights",
//    "action":"restore-file","args":{"path":"...","backup":"...","sha256":"..."}}
//   {"seq":3,"type":"undone","ref":2,"by":"recover"}   one undo step taken back
//   {"seq":4,"type":"done","fault":"corrupt","by":"revert"}  all of them
//   {"seq":5,"type":"end"}                                the run finished
// Backups and other files a fault keeps for its undo live in DIR/files/.
#ifndef FAULTDRILL_CORE_JOURNAL_H_
#define FAULTDRILL_CORE_JOURNAL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"

namespace faultdrill {

// One step that takes a change back. `action` names a primitive that
// injectors/undo.h knows how to run (and to run twice harmlessly):
//   restore-file      {path, backup, sha256}     copy the backup back, check SHA-256
//   remove-file       {path}                     delete a file faultdrill created
//   write-file        {path, content}            put a file's content back
//   stop-process      {pid, start_time, marker}  end a helper process (if it is still that one)
//   continue-process  {pid, start_time}          SIGCONT a process faultdrill stopped
//   delete-qdisc      {dev, netns}               remove the root qdisc faultdrill added
struct UndoAction {
  std::string action;
  nlohmann::json args = nlohmann::json::object();
};

struct JournalRecord {
  uint64_t seq = 0;
  std::string type;   // "run", "undo", "undone", "done", "end"
  std::string fault;  // undo, done
  std::string kind;   // undo
  UndoAction undo;    // undo
  uint64_t ref = 0;   // undone: the seq of the undo record
  std::string by;     // undone, done: "revert" or "recover"
  nlohmann::json raw; // the whole line
};

class Journal {
 public:
  // A journal kept in memory only (validate, plan, unit tests). Durable()
  // is false and files_dir() is empty: injectors that need a backup folder
  // refuse to apply with it.
  static std::unique_ptr<Journal> InMemory();

  // Creates `dir` (and its parents) and appends to dir/journal.jsonl,
  // writing a "run" record for this process. An existing journal must read
  // (ReadJournal); its torn last line, if any, is first ended with a newline
  // when it held a whole record and cut off otherwise, so that every record
  // appended from now on has a line of its own.
  static absl::StatusOr<std::unique_ptr<Journal>> Open(const std::string& dir, std::string_view scenario);

  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Call BEFORE making the change `undo` takes back: returns once the record
  // is on disk (written and fsync'd). Thread-safe. Returns the record's seq.
  absl::StatusOr<uint64_t> RecordUndo(std::string_view fault, std::string_view kind, const UndoAction& undo);
  // Every undo step of `fault` is taken back (by: "revert" or "recover").
  absl::Status RecordDone(std::string_view fault, std::string_view by);
  // One undo step (its seq) was taken back by `recover`.
  absl::Status RecordUndone(uint64_t ref, std::string_view by);
  // The run finished (every fault reverted or recorded as failed to revert).
  absl::Status RecordEnd();

  bool durable() const { return fd_ >= 0; }
  // The journal's folder, "" in memory.
  const std::string& dir() const { return dir_; }
  // Where injectors keep backups: dir/files/ (created on Open), "" in memory.
  std::string files_dir() const;
  // Every record written so far by this process.
  std::vector<JournalRecord> Records() const;

 private:
  Journal() = default;
  absl::StatusOr<uint64_t> Append(nlohmann::json record);

  std::string dir_;
  int fd_ = -1;
  mutable absl::Mutex mu_;
  uint64_t next_seq_ ABSL_GUARDED_BY(mu_) = 1;
  std::vector<JournalRecord> records_ ABSL_GUARDED_BY(mu_);
};

// The largest "seq" (and "ref") a journal holds; a record with a larger one
// is malformed, so the numbering that continues after it cannot wrap.
inline constexpr uint64_t kMaxJournalSeq = (uint64_t(1) << 53) - 1;

// The path of the journal file inside a journal folder.
std::string JournalFile(const std::string& dir);
// The folder of a journal's backups and other kept files (Journal::files_dir).
std::string JournalFilesDir(const std::string& dir);

// Reads dir/journal.jsonl. A torn last line (a crash mid-write, no trailing
// newline) is ignored; any other malformed line is InvalidArgument
// "path:line: problem". NotFound when there is no journal.
absl::StatusOr<std::vector<JournalRecord>> ReadJournal(const std::string& dir);
// The same for the `content` of a journal file; `path` names it in errors.
absl::StatusOr<std::vector<JournalRecord>> ParseJournalText(std::string_view content, const std::string& path);

// An undo step that has not been taken back yet.
struct PendingUndo {
  uint64_t seq = 0;
  std::string fault;
  std::string kind;
  UndoAction undo;
};

// The undo steps still to run, newest first: those of faults without a
// "done" record, minus the steps already "undone".
std::vector<PendingUndo> PendingUndos(const std::vector<JournalRecord>& records);

}  // namespace faultdrill

#endif  // FAULTDRILL_CORE_JOURNAL_H_
