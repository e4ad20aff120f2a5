// Who is using a journal folder. The drill that writes a journal holds
// DIR/lock for its whole life: an exclusive flock(2), which the kernel lets go
// of when the process ends however it ends (SIGKILL included), and in the
// file the holder's pid and start time (ProcessStartTime), which name the
// holder in messages and are checked as well, for file systems where flock
// does not hold (a holder that is alive is never overridden).
//
// `faultdrill recover` takes the same lock before it undoes anything, so it
// never takes back the faults of a drill that is still running (that drill
// reverts them itself when it stops), and two recovers never replay one
// journal side by side; `faultdrill run` takes it before it opens the
// journal, so two runs never share an output folder.
#ifndef FAULTDRILL_INJECTORS_JOURNAL_LOCK_H_
#define FAULTDRILL_INJECTORS_JOURNAL_LOCK_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace faultdrill::injectors {

// The file in a journal folder that JournalLock locks.
std::string JournalLockFile(const std::string& dir);

class JournalLock {
 public:
  // Takes the lock of the journal folder `dir`, which must exist.
  // FailedPrecondition, naming the holder, while a live process holds it;
  // Internal when the lock file cannot be opened or written.
  static absl::StatusOr<std::unique_ptr<JournalLock>> Acquire(const std::string& dir);

  // Clears the holder from the file and lets go of the lock.
  ~JournalLock();
  JournalLock(const JournalLock&) = delete;
  JournalLock& operator=(const JournalLock&) = delete;

 private:
  explicit JournalLock(int fd) : fd_(fd) {}
  const int fd_;
  bool held_ = false;  // the lock was taken and the file names this process
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_JOURNAL_LOCK_H_
