#include "injectors/victim_choice.h"

#include <algorithm>
#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace faultdrill::injectors {

std::string VictimCount::Describe(std::string_view noun) const {
  if (all) return absl::StrCat("every ", std::string(noun));
  return absl::StrCat(count, " ", std::string(noun), count == 1 ? "" : "s");
}

absl::StatusOr<VictimCount> ReadVictimCount(const ParamReader& params) {
  VictimCount result;
  const ParamNode* node = params.Find("count");
  if (node != nullptr && node->kind == ParamNode::Kind::kScalar && node->scalar == "all") {
    result.all = true;
    return result;
  }
  auto count = params.Int("count", 1, 1000000, 1);
  if (!count.ok()) {
    return params.Error("count", "must be a whole number of at least 1, or `all`");
  }
  result.count = *count;
  return result;
}

uint64_t FaultSeed(uint64_t scenario_seed, std::string_view fault_name) {
  uint64_t hash = 1469598103934665603ULL;  // FNV-1a: the same on every platform
  for (unsigned char c : fault_name) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return scenario_seed ^ hash;
}

std::vector<std::string> ChooseVictims(std::vector<std::string> candidates, const VictimCount& count, uint64_t seed) {
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  if (!count.all && static_cast<size_t>(count.count) < candidates.size()) {
    std::mt19937_64 random(seed);
    // A Fisher–Yates shuffle written out: std::shuffle's result differs between standard libraries.
    for (size_t i = candidates.size() - 1; i > 0; --i) {
      std::swap(candidates[i], candidates[random() % (i + 1)]);
    }
    candidates.resize(count.count);
    std::sort(candidates.begin(), candidates.end());
  }
  return candidates;
}

std::vector<std::string> OutputLines(const std::string& output, bool (*keep)(std::string_view line)) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    const std::string stripped(absl::StripAsciiWhitespace(line));
    if (!stripped.empty() && keep(stripped)) lines.push_back(stripped);
  }
  return lines;
}

absl::Status ToolFailed(const std::vector<std::string>& argv, const CommandResult& result) {
  std::string output(absl::StripAsciiWhitespace(result.output));
  if (output.size() > 2000) output = "..." + output.substr(output.size() - 2000);
  return absl::FailedPreconditionError(absl::StrCat(
      "`", absl::StrJoin(argv, " "), "` failed (",
      result.exit_code >= 0 ? absl::StrCat("exit ", result.exit_code) : std::string("killed"), ")",
      output.empty() ? std::string() : absl::StrCat(": ", output)));
}

absl::Status RejectOptionLike(const ParamReader& params, std::string_view key, const std::string& value) {
  if (!value.empty() && value[0] == '-') {
    return params.Error(key, "must not start with '-' (the tool would read it as an option)");
  }
  return absl::OkStatus();
}

}  // namespace faultdrill::injectors
