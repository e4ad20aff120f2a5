// Internal to the scenario loader (core/scenario*.cc): the checks the
// sections share, and the `if (!s.ok()) return s;` rhythm, compressed. Not
// for use outside core/.
#ifndef FAULTDRILL_CORE_SCENARIO_READER_H_
#define FAULTDRILL_CORE_SCENARIO_READER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/param_node.h"
#include "core/scenario.h"

#define FD_RETURN_IF_ERROR(expr)                       \
  do {                                                 \
    if (absl::Status s_ = (expr); !s_.ok()) return s_; \
  } while (0)

#define FD_CONCAT_INNER(a, b) a##b
#define FD_CONCAT(a, b) FD_CONCAT_INNER(a, b)
#define FD_ASSIGN_OR_RETURN(lhs, expr) FD_ASSIGN_OR_RETURN_IMPL(FD_CONCAT(status_or_, __LINE__), lhs, expr)
#define FD_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = *std::move(tmp)

namespace faultdrill::scenario_reader {

// Non-empty, and only a-z, 0-9, `extra` (and A-Z when `upper`).
bool MatchesCharset(std::string_view text, std::string_view extra, bool upper);

// A list element that must be a map.
absl::Status ExpectMap(const ParamNode& node, std::string_view context, std::string_view example);

absl::StatusOr<Duration> PositiveDuration(const ParamReader& r, std::string_view key,
                                          std::optional<Duration> fallback = std::nullopt);
absl::StatusOr<std::optional<Duration>> OptionalPositiveDuration(const ParamReader& r, std::string_view key);
absl::StatusOr<Rate> PositiveRate(const ParamReader& r, std::string_view key);

// "host:port" or "[v6]:port".
bool IsEndpoint(std::string_view text);

absl::StatusOr<LaunchSpec> ReadLaunch(const ParamNode& node, std::string_view context);

absl::Status CheckFaultExists(const ParamReader& r, std::string_view key, const std::string& name,
                              const std::vector<FaultSpec>& faults);

absl::StatusOr<WindowSpec> ReadWindow(const ParamReader& r, std::string_view key, const std::vector<FaultSpec>& faults);

// `probe:`, `value:`, `max:`/`min:`, `stat:` of a map (an SLO, an abort
// condition); nullopt when the map has no `probe` key. The probe must be one
// of `probes`; the value name is checked when the probe is built.
absl::StatusOr<std::optional<ProbeThreshold>> ReadProbeThreshold(const ParamReader& r,
                                                                 const std::vector<ProbeSpec>& probes);

// --- sections (core/scenario_judgement.cc) ---
absl::StatusOr<ProbeSpec> ReadProbe(const ParamNode& node, const std::string& context, bool named);
absl::StatusOr<std::vector<ProbeSpec>> ReadProbes(const ParamNode& list);
absl::StatusOr<std::vector<AbortCondition>> ReadAbortWhen(const ParamNode& node, const std::vector<ProbeSpec>& probes);
absl::StatusOr<GoldenSpec> ReadGolden(const ParamNode& node, const std::string& directory,
                                      const std::vector<FaultSpec>& faults);
absl::StatusOr<CandidateSpec> ReadCandidate(const ParamNode& node);
// `load` is the scenario's (already read): capacity needs an open loop.
absl::StatusOr<CapacitySpec> ReadCapacity(const ParamNode& node, const LoadSpec& load);

}  // namespace faultdrill::scenario_reader

#endif  // FAULTDRILL_CORE_SCENARIO_READER_H_
