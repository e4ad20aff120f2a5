// A probe asks the target (or the machine) one question and answers with a
// result: healthy or not, and a few numeric values ("rss_bytes",
// "queue_depth"). The runner calls probes for the steady-state checks before
// the first fault and after the last, and samples the probes of a scenario's
// `probes:` section on their interval through the whole run; every value
// becomes a series in the RunResult that SLOs, steady-state checks and abort
// conditions can bound. Probes never throw and never hang: each check has a
// deadline.
#ifndef FAULTDRILL_PROBES_PROBE_H_
#define FAULTDRILL_PROBES_PROBE_H_

#include <span>
#include <string>
#include <vector>

#include "core/duration.h"
#include "core/run_result.h"

namespace faultdrill::probes {

// A value a probe reports on every sample (when it can be read).
struct ValueInfo {
  std::string name;  // "rss_bytes"; lowercase letters, digits and '_'
  std::string unit;  // "bytes", "%", "1/s", "C", "s", "" (a count)
};

struct ProbeValue {
  std::string name;  // one of Values()
  double value = 0;
};

struct ProbeResult {
  // The probe's own judgement: health: live and ready; process: running;
  // command: exit code and output as expected; gpu: a device answered; ...
  bool healthy = false;
  std::string detail;  // what was seen, e.g. "live, ready, model classifier ready"
  Duration took{0};
  // The readings of this sample, a subset of Values() (a value that could
  // not be read this time is left out, not reported as 0).
  std::vector<ProbeValue> values;
};

class Probe {
 public:
  virtual ~Probe() = default;
  // E.g. "health of 127.0.0.1:8001 (model classifier)".
  virtual std::string Describe() const = 0;
  // The values Check() may report, fixed at construction. Every probe also
  // gets a "healthy" series (1 or 0) from the sampler; it is not listed here.
  virtual std::vector<ValueInfo> Values() const { return {}; }
  // One check, bounded by the probe's own timeout. Thread-compatible: the
  // runner calls it from one thread at a time.
  virtual ProbeResult Check() = 0;
  // Verdicts the probe makes on its own series after the run (the process
  // probe's leak check). `series` holds this probe's series only.
  virtual std::vector<Verdict> Verdicts(std::span<const ProbeSeries> series) const { return {}; }
};

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_PROBE_H_
