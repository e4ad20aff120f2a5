// `log`: counts the lines of a log that match patterns: a file, or by default
// the output of the target faultdrill launched. Each pattern is a value: the
// number of matching lines written since the probe's first check (lines
// already in the file then do not count; a file named only later, like the
// output of a target launched after that check, counts from its start). Healthy while the file can be read
// or does not exist yet.
//
//   probes:
//     - name: server-log
//       kind: log
//       file: /var/log/model-server.log      # default: the launched target's output
//       patterns:                            # default: ERROR, FATAL, OOM
//         - ERROR                            # a plain string: lines containing it; value "error"
//         - {name: cuda_oom, match: "CUDA (error|out of memory)"}   # a regex (probes/regex.h)
#ifndef FAULTDRILL_PROBES_LOG_PROBE_H_
#define FAULTDRILL_PROBES_LOG_PROBE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/scenario.h"
#include "probes/log_follower.h"
#include "probes/probe.h"
#include "probes/regex.h"
#include "probes/registry.h"

namespace faultdrill::probes {

struct LogPattern {
  std::string name;  // the value's name: lowercase letters, digits and '_'
  std::string text;  // as written
  // A regex searched in each line (probes/regex.h); without one, `text` is
  // searched as a plain (case-sensitive) substring.
  std::optional<Regex> regex;

  bool Matches(std::string_view line) const;
};

struct LogProbeSettings {
  std::string file;  // empty: the launched target's output
  std::vector<LogPattern> patterns;
  LogFollower::Options follow;
};

// Validates a `kind: log` probe's keys (file, patterns; located errors,
// including regex syntax). Without `file`, needs a target faultdrill launches.
absl::StatusOr<LogProbeSettings> ParseLogProbe(const ProbeSpec& spec, const Scenario& scenario);

class LogProbe final : public Probe {
 public:
  // `launched_log` names the launched target's output file (used when the
  // settings name no file; asked at every check).
  LogProbe(LogProbeSettings settings, std::function<std::string()> launched_log);

  // kind `log`.
  static absl::StatusOr<std::unique_ptr<Probe>> Create(const ProbeSpec& spec, const ProbeContext& context);

  std::string Describe() const override;
  // One count per pattern (unit ""), named after it.
  std::vector<ValueInfo> Values() const override;
  ProbeResult Check() override;

 private:
  const LogProbeSettings settings_;
  const std::function<std::string()> launched_log_;
  std::unique_ptr<LogFollower> follower_;  // of the file followed now
  bool checked_ = false;                   // a check happened: files named from now on are new
  std::vector<uint64_t> counts_;           // per pattern, since the first check
  std::string last_match_;                 // the last matching line, cut short, for the detail
};

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_LOG_PROBE_H_
