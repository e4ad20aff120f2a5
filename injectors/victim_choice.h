// What pod-kill and container-kill share: how many of the matching things to
// kill (`count: N` or `count: all`), a seeded choice among them, and the
// message for a tool (kubectl, docker) that failed.
#ifndef FAULTDRILL_INJECTORS_VICTIM_CHOICE_H_
#define FAULTDRILL_INJECTORS_VICTIM_CHOICE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/param_node.h"
#include "injectors/command.h"

namespace faultdrill::injectors {

struct VictimCount {
  bool all = false;
  int64_t count = 1;  // when not `all`
  // "1 pod", "3 pods", "every pod" for `noun` "pod".
  std::string Describe(std::string_view noun) const;
};

// Reads `count`: a whole number >= 1 (default 1) or `all`.
absl::StatusOr<VictimCount> ReadVictimCount(const ParamReader& params);

// The seed of one fault's choice: the scenario's seed mixed with the fault's
// name, so two faults of one run choose independently and a run repeats.
uint64_t FaultSeed(uint64_t scenario_seed, std::string_view fault_name);

// `count` of `candidates` (all of them if there are fewer), chosen with
// `seed` regardless of the order the tool listed them in; sorted.
std::vector<std::string> ChooseVictims(std::vector<std::string> candidates, const VictimCount& count, uint64_t seed);

// Lines of a tool's output that `keep` accepts after stripping whitespace
// (the output mixes stdout and stderr, so warnings are left out this way).
std::vector<std::string> OutputLines(const std::string& output, bool (*keep)(std::string_view line));

// FailedPrecondition "`kubectl get pods ...` failed (exit 1): <output>".
absl::Status ToolFailed(const std::vector<std::string>& argv, const CommandResult& result);
// Rejects a value that a tool would take for an option (leading '-').
absl::Status RejectOptionLike(const ParamReader& params, std::string_view key, const std::string& value);

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_VICTIM_CHOICE_H_
