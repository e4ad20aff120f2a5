// What the process probe reads about a process, behind a narrow interface:
// the real one reads /proc, tests use a fake.
#ifndef FAULTDRILL_PROBES_PROC_READER_H_
#define FAULTDRILL_PROBES_PROC_READER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace faultdrill::probes {

struct ProcessSample {
  char state = '?';        // /proc/PID/stat state: 'R', 'S', 'D', 'T', 'Z' (zombie), ...
  uint64_t rss_bytes = 0;  // resident set size
  uint64_t vm_bytes = 0;   // virtual memory size
  double cpu_seconds = 0;  // user + system time used so far
  int64_t threads = 0;
  // Entries of /proc/PID/fd; nullopt when they cannot be listed (another
  // user's process).
  std::optional<int64_t> open_files;
};

class ProcReader {
 public:
  virtual ~ProcReader() = default;
  // One sample of `pid`. NotFound when there is no such process (it may have
  // exited between two reads); other errors name what could not be read.
  virtual absl::StatusOr<ProcessSample> Read(int pid) = 0;
  // The pid written in `path` (a decimal number, surrounding white space
  // allowed). NotFound when the file does not exist, InvalidArgument when it
  // holds no pid.
  virtual absl::StatusOr<int> ReadPidFile(const std::string& path) = 0;
};

// The real reader: /proc/PID/stat and /proc/PID/fd. Thread-safe.
std::unique_ptr<ProcReader> MakeProcFsReader();

// Parses the text of /proc/PID/stat (exposed for tests). `page_size` and
// `ticks_per_second` convert rss pages and utime/stime ticks.
absl::StatusOr<ProcessSample> ParseProcStat(std::string_view text, uint64_t page_size, double ticks_per_second);

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_PROC_READER_H_
