// One SLO's window thresholds (latency percentiles, error rate, throughput)
// checked against one measured window. Shared by the SLO and the steady-state
// judges, which differ only in which window, group and name prefix they use.
//
// What each judges:
//   - latency percentiles: the corrected latency of the window's SUCCESSFUL
//     calls (WindowResult::ok_latency), or of every call with the SLO's
//     `latency_of: all` (WindowResult::latency). A call that failed fast is
//     not latency of the service; its failure is what error_rate judges.
//   - error_rate: failed / completed calls; throughput: successful calls per
//     second of the window.
// A threshold that cannot be measured fails, with `measured` absent: a window
// that was not measured, a window without requests, and, for a latency
// threshold on successful calls, a window where no call succeeded ("no
// successful calls in window ..."). That last one cannot pass: an objective
// on how fast the service serves does not hold while it serves nothing (a
// total outage would otherwise pass every latency SLO on its window).
#ifndef FAULTDRILL_JUDGE_WINDOW_CHECK_H_
#define FAULTDRILL_JUDGE_WINDOW_CHECK_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/run_result.h"
#include "core/scenario.h"

namespace faultdrill::judge {

// One threshold an SloSpec sets, in the units verdicts carry.
struct Threshold {
  std::string_view key;         // the scenario key: "p99_latency", "error_rate", "min_throughput"
  std::string_view metric;      // Verdict::metric: "p99_latency", "error_rate", "throughput"
  std::string_view label;       // in messages: "p99", "error rate", "throughput"
  std::string_view comparison;  // "<=" or ">="
  double threshold = 0;         // in `unit`
  std::string_view unit;        // "ms", "%", "req/s"
  double (*measure)(const WindowResult&) = nullptr;  // in `unit`
  // Latency thresholds only: which calls they judge. On the successful calls
  // (LatencyOf::kOk) a window where none succeeded cannot be measured.
  std::optional<LatencyOf> latency_of;
};

// The window thresholds `slo` sets (everything but recovery_time), in verdict order.
std::vector<Threshold> WindowThresholds(const SloSpec& slo);

// How many thresholds `slo` sets, recovery_time included.
int ThresholdCount(const SloSpec& slo);

// `prefix` + the SLO's name, plus " — <key>" when the SLO sets several
// thresholds. An SLO the scenario did not name is named by the threshold
// itself: "<what> in <window judged>", or `prefix` + "<what>" for steady-state
// verdicts (whose prefix names the window), where `what` reads
// "p99_latency <= 100.0 ms".
std::string VerdictName(std::string_view prefix, const SloSpec& slo, std::string_view key, std::string_view what,
                        std::string_view window_name);

// "p99_latency <= 100.0 ms": a threshold as the scenario's key states it;
// "p99_latency <= 100.0 ms (all calls)" for `latency_of: all`.
std::string ThresholdText(const Threshold& threshold);

// Checks `threshold` on `window` (nullptr: the window was not measured). Fills
// every field of the Verdict except name and group.
Verdict CheckThreshold(const Threshold& threshold, std::string_view window_name,
                       const WindowResult* window);

// Makes names unique within one judge call: a repeated name gets " (2)", " (3)", ...
class UniqueNames {
 public:
  std::string Claim(std::string name);

 private:
  std::vector<std::string> used_;
};

}  // namespace faultdrill::judge

#endif  // FAULTDRILL_JUDGE_WINDOW_CHECK_H_
