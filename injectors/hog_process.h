// The injector's side of faultdrill-hog (injectors/hog/main.cc), shared by
// cpu-hog, memory-hog, disk-fill and gpu-memory-fill: start the helper, write
// its stop-process undo step to the journal, wait for its "ready" line, and
// stop it again.
#ifndef FAULTDRILL_INJECTORS_HOG_PROCESS_H_
#define FAULTDRILL_INJECTORS_HOG_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/duration.h"
#include "injectors/launched_process.h"
#include "injectors/registry.h"

namespace faultdrill::injectors {

struct HogLaunch {
  std::string fault;              // the fault's name (journal, marker, log file)
  std::string kind;               // its kind (journal)
  std::vector<std::string> args;  // the subcommand and its options, e.g. {"cpu", "--threads", "2"}
  Duration ready_timeout = std::chrono::seconds(30);
};

// The key=value pairs of the first "ready ..." line in a helper's output, or
// nullopt when there is no complete one yet.
std::optional<std::map<std::string, std::string>> ParseReadyLine(std::string_view output);

// The last non-empty line of a helper's output: its error message when it failed.
std::string LastLine(std::string_view output);

// `name` with every character but letters, digits, '-', '_' and '.' replaced
// by '_': a fault's name as part of a file name.
std::string FileSafeName(const std::string& name);

// That faultdrill-hog can be found (a Need of every resource fault).
Need HogBinaryNeed();

// One running helper. Not thread-safe; the injector that owns it calls it
// from one thread at a time.
class HogProcess {
 public:
  // Finds faultdrill-hog (FindFaultdrillBinary), starts it with `launch.args`
  // plus --marker and --parent, journals MakeStopProcess for it in `run`'s
  // journal, and waits up to ready_timeout for its ready line. The helper's
  // output goes to run.work_dir()/<fault>.hog.log (a temporary file when the
  // work folder is empty). Errors carry the helper's own message:
  // FailedPrecondition when it exited 3 (the machine lacks something),
  // ResourceExhausted when it exited 4, DeadlineExceeded when it did not get
  // ready in time; the helper is stopped on every error.
  static absl::StatusOr<std::unique_ptr<HogProcess>> Start(const HogLaunch& launch, RunState& run);

  // Stops the helper (Stop).
  ~HogProcess();
  HogProcess(const HogProcess&) = delete;
  HogProcess& operator=(const HogProcess&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& marker() const { return marker_; }
  const std::string& log_file() const { return log_file_; }
  // A value of the ready line (e.g. "bytes"), or 0 / "" when absent.
  int64_t ReadyInt(const std::string& key) const;
  std::string ReadyText(const std::string& key) const;
  bool Running() { return process_->Running(); }

  // SIGTERM (the helper gives its resource back and exits), then SIGKILL
  // after `grace`. Idempotent.
  void Stop(Duration grace = std::chrono::seconds(5));

 private:
  HogProcess() = default;
  absl::Status WaitUntilReady(Duration timeout);

  std::unique_ptr<LaunchedProcess> process_;
  pid_t pid_ = 0;
  std::string marker_;
  std::string log_file_;
  bool remove_log_ = false;  // a temporary log file
  std::map<std::string, std::string> ready_;
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_HOG_PROCESS_H_
