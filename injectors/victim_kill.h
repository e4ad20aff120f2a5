// What pod-kill and container-kill do alike: list the matching things with a
// tool (kubectl, docker) run with an argument vector, choose `count` of them
// with the fault's seed (victim_choice.h), kill those with the tool, and
// report what was killed. An orchestrator brings them back, so nothing is
// journaled and Revert has nothing to do. Each kind supplies only its tool's
// commands, how to read their output, and its words.
#ifndef FAULTDRILL_INJECTORS_VICTIM_KILL_H_
#define FAULTDRILL_INJECTORS_VICTIM_KILL_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "injectors/injector.h"
#include "injectors/victim_choice.h"

namespace faultdrill::injectors {

// What the shared part knows of one kill fault.
struct VictimKill {
  std::string fault;      // the fault's name
  std::string noun;       // "pod": counters pods_matched and pods_killed
  std::string tool;       // "kubectl": the tool, and the key that gives its path
  std::string tool_path;  // a path, or a name looked up on PATH
  std::string install;    // how to get the tool: "install kubectl"
  VictimCount count;
  uint64_t seed = 1;
  std::optional<Duration> active_for;  // `for:`, for SLO windows only
  Duration timeout = std::chrono::seconds(30);  // per tool call
};

class VictimKillInjector : public Injector {
 public:
  std::optional<Duration> ActiveFor() const final { return kill_.active_for; }
  // Lists the candidates, chooses among them, kills the chosen.
  // FailedPrecondition when the tool fails or nothing matches.
  absl::Status Apply() final;
  // Nothing to undo: the orchestrator brings the victims back.
  absl::Status Revert() final { return absl::OkStatus(); }
  // <noun>s_matched, <noun>s_killed.
  std::map<std::string, int64_t> Counters() const final;
  // The tool.
  std::vector<Need> Needs() const final;

  // The victims killed (as KilledName names them), for the record.
  std::vector<std::string> Killed() const;

 protected:
  explicit VictimKillInjector(VictimKill kill) : kill_(std::move(kill)) {}

  // The tool's command that lists the candidates.
  virtual std::vector<std::string> ListCommand() const = 0;
  // The candidates in that command's output; an error when the output names
  // something that cannot be one.
  virtual absl::StatusOr<std::vector<std::string>> Candidates(const std::string& output) const = 0;
  // What the list command selects, for "no running pods match <Selection>".
  virtual std::string Selection() const = 0;
  // The tool's command that kills `victims`.
  virtual std::vector<std::string> KillCommand(const std::vector<std::string>& victims) const = 0;
  // How Killed names a victim. Default: as listed.
  virtual std::string KilledName(const std::string& victim) const { return victim; }

 private:
  // Runs `argv`; FailedPrecondition when it cannot run or fails.
  absl::StatusOr<std::string> RunTool(const std::vector<std::string>& argv) const;

  const VictimKill kill_;
  mutable absl::Mutex mu_;
  std::vector<std::string> killed_ ABSL_GUARDED_BY(mu_);
  std::atomic<int64_t> matched_{0};
  std::atomic<int64_t> killed_count_{0};
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_VICTIM_KILL_H_
