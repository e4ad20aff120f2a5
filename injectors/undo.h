// The undo primitives: every change a fault makes is taken back by one of
// these, from the plain data in the journal (core/journal.h). Each one is
// idempotent: running it when the change is already gone succeeds and does
// nothing, so a revert followed by `faultdrill recover`, or `recover` twice,
// is harmless. Injectors build their UndoActions with the Make* functions so
// that writer and reader agree on the arguments.
#ifndef FAULTDRILL_INJECTORS_UNDO_H_
#define FAULTDRILL_INJECTORS_UNDO_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/journal.h"

namespace faultdrill::injectors {

// restore-file: copy `backup` over `path` (atomically), then check that
// `path` has SHA-256 `sha256`. Nothing to do when it already has.
UndoAction MakeRestoreFile(const std::string& path, const std::string& backup, const std::string& sha256);
// remove-file: delete `path` (a file faultdrill created). Gone already: done.
UndoAction MakeRemoveFile(const std::string& path);
// write-file: replace `path`'s content with `content` (atomically).
UndoAction MakeWriteFile(const std::string& path, const std::string& content);
// stop-process: SIGKILL `pid` if it is still the process that started at
// `start_time` (ProcessStartTime) and, when `marker` is not empty, its
// command line contains `marker`. A pid since reused is left alone.
UndoAction MakeStopProcess(pid_t pid, uint64_t start_time, const std::string& marker);
// stop-process-group: SIGKILL process group `pgid` (a launched target and
// every process it started) if it is still the group faultdrill launched
// (IsOurProcessGroup). Gone, or someone else's by now: done.
UndoAction MakeStopProcessGroup(pid_t pgid, uint64_t leader_start_time, const std::string& token);
// continue-process: SIGCONT `pid` if it is still the process from `start_time`.
UndoAction MakeContinueProcess(pid_t pid, uint64_t start_time);
// The handle faultdrill gives every root qdisc it adds, so that undo removes
// only its own.
inline constexpr char kFaultdrillQdiscHandle[] = "fd17:";

// delete-qdisc: `tc qdisc del dev DEV root` (inside network namespace `netns`
// when not empty), only while the root qdisc has `handle` (when not empty):
// a qdisc someone added after ours was removed is left alone. No qdisc of
// ours left: done.
UndoAction MakeDeleteQdisc(const std::string& dev, const std::string& netns,
                           const std::string& handle = kFaultdrillQdiscHandle);

// Runs one undo step. OK when the change is taken back or was already gone;
// InvalidArgument for an unknown action or bad arguments.
absl::Status RunUndo(const UndoAction& undo);

// When `pid` started, in clock ticks after boot (/proc/PID/stat field 22), to
// tell a process from a later one with the same pid. 0 when there is none
// (or it has ended and only a zombie is left).
uint64_t ProcessStartTime(pid_t pid);

// The state letter of /proc/PID/stat (R, S, D, T, Z, ...), or 0 when there is
// no such process.
char ProcessState(pid_t pid);

// The process group of `pid` (/proc/PID/stat field 5), or 0 when there is
// no such process.
pid_t ProcessGroupOf(pid_t pid);

// The processes in group `pgid` that have not ended (zombies left out).
std::vector<pid_t> ProcessGroupMembers(pid_t pgid);

// The environment variable LaunchedProcess sets, with a value of its own, on
// every process it launches; the processes those start inherit it.
inline constexpr char kLaunchTokenVariable[] = "FAULTDRILL_LAUNCH_TOKEN";

// Whether process group `pgid` is still the one faultdrill launched, whose
// leader started at `leader_start_time` and carries `token`
// (kLaunchTokenVariable): its leader still runs with that start time or, the
// leader gone (it dies with faultdrill), a process still in the group carries
// the token. A group id is not reused while the group has a member, so a
// marked member proves the group is the same one; a leader pid since reused,
// or a group left with no marked member, is not ours and is left alone.
bool IsOurProcessGroup(pid_t pgid, uint64_t leader_start_time, const std::string& token);

// The SHA-256 of a file's content, lower-case hex.
absl::StatusOr<std::string> Sha256OfFile(const std::string& path);

// Copies `from` to `to` durably (core/durable_file.h: an unnamed temporary
// file beside `to`, fsync'd, put in place of `to`, the folder fsync'd; a kill
// at any point leaves no partial file). Keeps `from`'s permission bits.
absl::Status CopyFileDurably(const std::string& from, const std::string& to);

// What `faultdrill recover` did with one journal.
struct RecoverStep {
  uint64_t seq = 0;
  std::string fault;
  std::string kind;
  std::string action;
  std::string detail;  // e.g. the file restored or the pid stopped
  absl::Status status;
};

struct RecoverReport {
  std::string dir;
  std::vector<RecoverStep> steps;  // newest first, as run
  // Temporary files of durable writes the interrupted run was making
  // (core/durable_file.h), removed before the steps ran.
  std::vector<std::string> removed_temporaries;
  bool ok() const;
};

// Reads the journal in `dir`, removes the temporary files of durable writes
// that a killed run left in the journal's files folder and beside the files
// its pending steps name, and runs every pending undo step, newest first;
// each step that succeeds is recorded as undone, and a fault whose steps all
// succeeded as done (by "recover"), so a second call finds nothing to do.
// A step that fails stays pending and the others still run. NotFound when
// `dir` holds no journal; InvalidArgument when it is malformed;
// FailedPrecondition, touching nothing, while a drill that is still running
// holds the journal (injectors/journal_lock.h).
absl::StatusOr<RecoverReport> RecoverJournal(const std::string& dir);

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_UNDO_H_
