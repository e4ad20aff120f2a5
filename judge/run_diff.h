// `faultdrill diff BASE.json NEW.json`: what got worse (or better) between two
// runs of a scenario. A pure function of two RunResults; the table and
// Markdown renderings are in reports/diff_report.h.
//
// Compared, each where both runs have it (matched by name):
//   - per window: p50/p90/p99 corrected latency of the successful calls (as
//     latency SLOs judge it; a window that had successful calls in the base
//     and none now is a regression), error rate, throughput;
//   - per fault: recovery time (recovered -> not recovered is a regression);
//   - per golden/shadow window: the number of differing responses;
//   - per verdict: passed -> failed;
//   - the resilience score and a stress run's capacity.
// A change is a regression only beyond its threshold (relative and absolute,
// so that noise on tiny numbers does not fail a pipeline); improvements are
// reported the same way. What only one run has is listed, never judged.
#ifndef FAULTDRILL_JUDGE_RUN_DIFF_H_
#define FAULTDRILL_JUDGE_RUN_DIFF_H_

#include <optional>
#include <string>
#include <vector>

#include "core/run_result.h"

namespace faultdrill::judge {

struct DiffThresholds {
  double latency_increase = 0.10;     // fraction of the base value ...
  double latency_floor_ms = 1.0;      // ... and at least this much
  double error_rate_increase = 0.005;  // absolute (0.005: half a percentage point)
  double throughput_decrease = 0.10;  // fraction of the base value
  double recovery_increase = 0.20;    // fraction of the base value ...
  double recovery_floor_s = 0.5;      // ... and at least this much
  double score_decrease = 5.0;        // points out of 100
  double capacity_decrease = 0.10;    // fraction of the base rate
  uint64_t golden_increase = 0;       // more differing responses than this many extra
};

enum class Change { kRegression, kImprovement, kUnchanged, kOnlyInBase, kOnlyInNew };
std::string_view ChangeName(Change change);  // "regression", "improvement", "unchanged", "only in base", ...

struct DiffRow {
  std::string area;     // "latency", "error rate", "throughput", "recovery", "golden", "verdict", "score", "capacity"
  std::string subject;  // "p99 in during(kill-server)", "kill-server", "fast before the fault"
  std::optional<double> base;  // absent: not in that run, or not measured (a fault that did not recover)
  std::optional<double> now;
  std::string unit;  // "ms", "%", "req/s", "s", "responses", "" (verdicts: 1 passed, 0 failed)
  Change change = Change::kUnchanged;
  std::string note;  // why: "+35.2% (limit +10%)", "did not recover", "passed -> failed"
};

struct RunDiff {
  std::string base_label, now_label;  // "quickstart @ 2026-11-20T10:00:00Z"
  std::vector<std::string> warnings;  // "the runs are of different scenarios: a vs b"
  std::vector<DiffRow> rows;          // in report order: score, verdicts, latency, ... ; regressions not moved
  size_t regressions = 0;
  size_t improvements = 0;
};

RunDiff DiffRuns(const RunResult& base, const RunResult& now, const DiffThresholds& thresholds = {});

}  // namespace faultdrill::judge

#endif  // FAULTDRILL_JUDGE_RUN_DIFF_H_
