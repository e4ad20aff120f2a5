#include "injectors/victim_kill.h"

#include "absl/strings/str_cat.h"
#include "injectors/command.h"

namespace faultdrill::injectors {

absl::StatusOr<std::string> VictimKillInjector::RunTool(const std::vector<std::string>& argv) const {
  auto result = RunCommand(argv, kill_.timeout);
  if (!result.ok()) {
    return absl::FailedPreconditionError(absl::StrCat("fault '", kill_.fault, "': ", result.status().message()));
  }
  if (result->exit_code != 0) return ToolFailed(argv, *result);
  return std::move(result->output);
}

absl::Status VictimKillInjector::Apply() {
  auto listed = RunTool(ListCommand());
  if (!listed.ok()) return listed.status();
  auto candidates = Candidates(*listed);
  if (!candidates.ok()) return candidates.status();
  matched_ = static_cast<int64_t>(candidates->size());
  if (candidates->empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("fault '", kill_.fault, "': no running ", kill_.noun, "s match ", Selection()));
  }
  const std::vector<std::string> victims = ChooseVictims(*std::move(candidates), kill_.count, kill_.seed);
  if (auto killed = RunTool(KillCommand(victims)); !killed.ok()) return killed.status();
  {
    absl::MutexLock lock(&mu_);
    for (const std::string& victim : victims) killed_.push_back(KilledName(victim));
  }
  killed_count_ = static_cast<int64_t>(victims.size());
  return absl::OkStatus();
}

std::vector<std::string> VictimKillInjector::Killed() const {
  absl::MutexLock lock(&mu_);
  return killed_;
}

std::map<std::string, int64_t> VictimKillInjector::Counters() const {
  return {{absl::StrCat(kill_.noun, "s_matched"), matched_}, {absl::StrCat(kill_.noun, "s_killed"), killed_count_}};
}

std::vector<Need> VictimKillInjector::Needs() const {
  Need need{.what = absl::StrCat(kill_.tool, " (", kill_.tool_path, ")")};
  if (auto found = FindProgram(kill_.tool_path); !found.ok()) {
    need.status = absl::FailedPreconditionError(
        absl::StrCat(found.status().message(), ": ", kill_.install, ", or give its path with `", kill_.tool, ":`"));
  }
  return {need};
}

}  // namespace faultdrill::injectors
