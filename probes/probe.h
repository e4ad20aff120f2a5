// A probe asks the target one question ("are you healthy?") and answers with a
// result; the runner calls probes for the steady-state checks before the first
// fault and after the last. Probes never throw and never hang: each check has a
// deadline.
#ifndef FAULTDRILL_PROBES_PROBE_H_
#define FAULTDRILL_PROBES_PROBE_H_

#include <string>

#include "core/duration.h"

namespace faultdrill::probes {

struct ProbeResult {
  bool healthy = false;
  std::string detail;  // what was seen, e.g. "live, ready, model classifier ready"
  Duration took{0};
};

class Probe {
 public:
  virtual ~Probe() = default;
  // E.g. "health of 127.0.0.1:8001 (model classifier)".
  virtual std::string Describe() const = 0;
  // One check, bounded by the probe's own timeout. Thread-safe.
  virtual ProbeResult Check() = 0;
};

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_PROBE_H_
