// `process`: how a process is doing, read from /proc: resident and virtual
// memory, CPU use, threads and open files; healthy while it runs (and is not
// a zombie). With `leak:` it also judges, after the run, whether its RSS
// grew faster than a bound (the least-squares slope of the rss_bytes series).
//
//   probes:
//     - name: server
//       kind: process          # the launched target unless pid / pid_file says otherwise
//       interval: 500ms
//       leak: {max_slope: 10MiB/min, after: 5s}
#ifndef FAULTDRILL_PROBES_PROCESS_PROBE_H_
#define FAULTDRILL_PROBES_PROCESS_PROBE_H_

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/clock.h"
#include "core/scenario.h"
#include "probes/probe.h"
#include "probes/proc_reader.h"
#include "probes/registry.h"

namespace faultdrill::probes {

struct LeakCheckSettings {
  double max_bytes_per_second = 0;  // the bound on the RSS slope
  std::string max_slope_text;       // as written ("10MiB/min"), for messages
  // Samples taken before this many seconds into the run are ignored (warm-up:
  // caches filling, pools growing).
  Duration after{0};
};

struct ProcessProbeSettings {
  // Which process: `pid` when set, else the pid in `pid_file` when set, else
  // the process faultdrill launched (re-resolved on every check, since a
  // restart changes it).
  std::optional<int> pid;
  std::string pid_file;
  std::optional<LeakCheckSettings> leak;
};

// Validates a `kind: process` probe's keys (pid, pid_file, leak; located
// errors). Naming neither pid nor pid_file needs a target faultdrill
// launches (`embedded` or `launch`).
absl::StatusOr<ProcessProbeSettings> ParseProcessProbe(const ProbeSpec& spec, const Scenario& scenario);

// The leak verdict on `series` (a probe's series; its "rss_bytes" one is
// judged). Group "probe", metric "rss_slope", unit "MiB/min", comparison
// "<=". Fails with "not enough samples to judge a leak" when fewer than 3
// samples lie after the warm-up.
Verdict JudgeLeak(const std::string& probe_name, const LeakCheckSettings& leak, std::span<const ProbeSeries> series);

class ProcessProbe final : public Probe {
 public:
  // `launched_pid` answers the pid of the launched target (used when the
  // settings name no process). `clock` times the CPU use between samples and
  // must outlive the probe.
  ProcessProbe(std::string name, ProcessProbeSettings settings, std::function<std::optional<int>()> launched_pid,
               std::unique_ptr<ProcReader> reader, Clock& clock);

  // kind `process`, reading /proc on the system clock.
  static absl::StatusOr<std::unique_ptr<Probe>> Create(const ProbeSpec& spec, const ProbeContext& context);

  std::string Describe() const override;
  // rss_bytes, vm_bytes (bytes), cpu_percent (%: 100 is one core busy;
  // from the second sample of the same process on), threads, open_files.
  std::vector<ValueInfo> Values() const override;
  ProbeResult Check() override;
  // The leak verdict when `leak:` is set; none otherwise.
  std::vector<Verdict> Verdicts(std::span<const ProbeSeries> series) const override;

 private:
  // The pid to read now, or why there is none.
  absl::StatusOr<int> CurrentPid();

  struct CpuMark {
    int pid = 0;
    double cpu_seconds = 0;
    Clock::TimePoint at;
  };

  const std::string name_;
  const ProcessProbeSettings settings_;
  const std::function<std::optional<int>()> launched_pid_;
  const std::unique_ptr<ProcReader> reader_;
  Clock& clock_;
  std::optional<CpuMark> last_cpu_;  // the previous sample, for cpu_percent
};

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_PROCESS_PROBE_H_
