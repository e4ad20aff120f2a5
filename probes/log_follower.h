// Follows a growing text file the way `tail -F` does, line by line, for the
// log probe. By default only lines written after the first poll count: a
// file that exists at the first poll is read from its end (kEnd), a file
// created later from its start. It copes with a file that does not exist yet, grows, is
// truncated (read again from its start) or replaced (rotation: the rest of
// the old file is read, then the new one from its start); a last line
// without its newline waits for it. Limits: a truncation followed by regrowth
// past the old length between two polls cannot be told from growth, and a
// file replaced twice between two polls loses the middle one.
//
// Bounded: each poll reads at most `max_read_bytes` (the rest waits for the
// next poll) and keeps at most `max_line_bytes` of a line: a longer line is
// passed on once, cut to that length, and its rest skipped.
// Thread-compatible: one thread at a time.
#ifndef FAULTDRILL_PROBES_LOG_FOLLOWER_H_
#define FAULTDRILL_PROBES_LOG_FOLLOWER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace faultdrill::probes {

class LogFollower {
 public:
  struct Options {
    uint64_t max_read_bytes = 8 << 20;
    size_t max_line_bytes = 64 << 10;
  };

  struct Progress {
    bool exists = false;        // `path` names a file now
    bool truncated = false;     // the file was truncated since the last poll
    bool replaced = false;      // a new file took the name since the last poll
    uint64_t bytes_read = 0;    // by this poll
    uint64_t bytes_behind = 0;  // written but left for the next poll (over the budget)
    uint64_t long_lines = 0;    // lines cut to max_line_bytes, since the start
  };

  // Where the first poll starts reading a file that exists then.
  enum class StartAt { kEnd, kBeginning };

  explicit LogFollower(std::string path);
  LogFollower(std::string path, Options options, StartAt start = StartAt::kEnd);
  ~LogFollower();
  LogFollower(const LogFollower&) = delete;
  LogFollower& operator=(const LogFollower&) = delete;

  const std::string& path() const { return path_; }

  // Reads what was written since the last poll and calls `on_line` with every
  // complete line (without its '\n'). An error (e.g. PermissionDenied) names
  // the file; the follower stays usable.
  absl::StatusOr<Progress> Poll(const std::function<void(std::string_view line)>& on_line);

 private:
  using LineSink = std::function<void(std::string_view)>;
  // Reads the open file from offset_ to its end or until `budget` is spent.
  absl::Status ReadOpenFile(uint64_t& budget, Progress& progress, const LineSink& on_line);
  void Feed(std::string_view data, const LineSink& on_line);
  // The old file ended: its last line without a newline is complete.
  void FlushPartialLine(const LineSink& on_line);
  void CloseFile();

  const std::string path_;
  const Options options_;
  const StartAt start_;

  bool polled_ = false;    // a poll happened: files found from now on are new
  int fd_ = -1;            // the file being followed, or -1
  uint64_t offset_ = 0;    // in fd_: the next byte to read
  std::string partial_;    // the current line, up to max_line_bytes
  bool skipping_ = false;  // the current line was cut; skip to its end
  uint64_t long_lines_ = 0;
};

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_LOG_FOLLOWER_H_
