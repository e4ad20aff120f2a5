// RunResults of every shape a junit.xml must survive, for the tests that check
// the file against the XSD of the common JUnit format and against GitLab's
// parsing rules: passed, failed, aborted, error, every verdict kind, hostile
// text, very long text.
#ifndef FAULTDRILL_TESTS_REPORTS_JUNIT_SAMPLES_H_
#define FAULTDRILL_TESTS_REPORTS_JUNIT_SAMPLES_H_

#include <string>
#include <vector>

#include "core/run_result.h"
#include "tests/reports/sample_result.h"

namespace faultdrill::sample {

// A failing verdict of every kind the judge, the probes, the golden and shadow
// comparisons, the fault and abort checks and a stress run produce.
inline std::vector<Verdict> EveryVerdictKind() {
  return {
      SampleVerdict("p99 during latency fault", "slo", "during(slow-net)", "p99_latency", "<=", 150, 812.0, "ms", false,
                    "p99 812.0ms > 150.0ms in during(slow-net)", 10),
      SampleVerdict("errors overall", "slo", "all", "error_rate", "<=", 1, 3.73, "%", false,
                    "error rate 3.73% > 1.00% in all", 60),
      SampleVerdict("throughput overall", "slo", "all", "throughput", ">=", 150, 120.5, "req/s", false,
                    "throughput 120.5 req/s < 150.0 req/s in all", 60),
      SampleVerdict("recovers after kill", "recovery", "after(kill-server)", "recovery_time", "<=", 0.5, 0.69, "s",
                    false, "recovery 0.7s > 0.5s after kill-server", 7.7),
      SampleVerdict("after: health probe", "steady-state", "final", "probe", "==", 1, 0.0, "", false,
                    "grpc health of 127.0.0.1:8001 NOT healthy: NOT_SERVING", 5),
      SampleVerdict("continuous: health", "steady-state", "all", "failed_samples", "<=", 0, 2, "", false,
                    "health: 2 of 60 samples failed, the first at 10.0s: not healthy", 60),
      SampleVerdict("rss below 1 GiB", "probe", "all", "probe:server.rss_bytes", "<=", 1024.0 * 1024 * 1024,
                    1.5 * 1024 * 1024 * 1024, "bytes", false,
                    "max of server.rss_bytes 1610612736 bytes > 1073741824 in all", 60),
      SampleVerdict("queue depth in range", "probe", "all", "probe:metrics.queue_depth", "within", 64, 80, "", false,
                    "max of metrics.queue_depth 80 outside [1, 64] in all", 60),
      SampleVerdict("server leak", "probe", "after 10s", "rss_slope", "<=", 1.0, 6.2, "MiB/min", false,
                    "rss grows 6.2 MiB/min > 1.0 MiB/min after the 10s warm-up", 50),
      SampleVerdict("golden outputs match the masters in all", "golden", "all", "differing_responses", "<=", 0, 2, "",
                    false, "2 of 11790 responses differ from the masters in all (at most 0 may)", 60),
      SampleVerdict("shadow: candidate answers like the primary", "shadow", "all", "differing_responses", "<=", 0, 5,
                    "", false, "5 of 400 responses differ from the primary in all (at most 0 may)", 60),
      SampleVerdict("shadow: candidate p99 latency", "shadow", "all", "p99_latency", "<=", 13.2, 40.1, "ms", false,
                    "candidate p99 40.1ms > 13.2ms (the primary's 11.1ms + 10% + 1ms)", 60),
      SampleVerdict("fault corrupt-weights applied and reverted", "fault", "during(corrupt-weights)", "fault", "==", 1,
                    0.0, "", false, "corrupt-weights (corrupt-weights) ended failed: Permission denied", 0),
      SampleVerdict("no abort condition held", "abort", "all", "abort", "==", 0, 1.0, "", false,
                    "error rate 62% >= 50% for 10s", 60),
      SampleVerdict("poison-inputs poison: every poisoned request answered as expected", "fault", "during(poison)",
                    "unexpected_answers", "<=", 0, 3, "", false,
                    "40 poisoned requests, 3 not answered as expected: nan: 2 unexpected (first OK, expected "
                    "INVALID_ARGUMENT), 1 timeouts",
                    5),
      SampleVerdict("capacity at least 400 req/s", "capacity", "all", "capacity_rps", ">=", 400, 350, "req/s", false,
                    "highest rate that held 350.0 req/s < 400.0 req/s", 60),
  };
}

// The golden comparison behind the shadow verdict above.
inline GoldenWindowResult SampleShadowComparison() {
  GoldenWindowResult shadow;
  shadow.window = "all";
  shadow.against = "primary";
  shadow.compared = 400;
  shadow.differing = 5;
  shadow.max_abs_error = 0.25;
  shadow.max_rel_error = 0.5;
  ResponseDiff d;
  d.t_s = 3.5;
  d.request_index = 7;
  d.output = "TEXT";
  d.problem = "text differs at token 3";
  d.side_by_side = {{"[3]", "cat", "dog"}};
  shadow.first_differences = {d};
  return shadow;
}

inline CapacityResult SampleCapacity() {
  CapacityResult c;
  c.criterion = "p99_latency <= 50ms, error_rate <= 1% for 2s";
  c.highest_rate_held_rps = 350;
  c.held_at_s = 34;
  c.broke = true;
  c.broke_at_s = 36;
  c.broke_rate_rps = 380;
  c.breach = "p99 212.4ms > 50ms";
  return c;
}

// A poison-inputs fault that sent two variants.
inline FaultRecord SamplePoisonFault() {
  FaultRecord f;
  f.name = "poison";
  f.kind = "poison-inputs";
  f.description = "replace 10% of requests with nan, wrong-shape";
  f.planned_at_s = 45;
  f.planned_end_s = 50;
  f.applied_at_s = 45.001;
  f.reverted_at_s = 50.002;
  f.state = "reverted";
  f.touches = {"requests to tinylm"};
  f.poison = {{"nan", "INVALID_ARGUMENT", 20, 17, 2, 1, 0, "OK"},
              {"wrong-shape", "INVALID_ARGUMENT", 20, 20, 0, 0, 0, ""}};
  return f;
}

// Every verdict kind, failing; the shadow comparison, poisoned requests and
// capacity behind them.
inline RunResult EveryVerdictKindRunResult() {
  RunResult r = SampleRunResult();
  r.faults.push_back(SamplePoisonFault());
  r.verdicts = EveryVerdictKind();
  r.golden.push_back(SampleShadowComparison());
  r.capacity = SampleCapacity();
  r.command = "faultdrill run scenarios/quarterly-drill.yaml --seed 42";
  return r;
}

inline RunResult PassedRunResult() {
  RunResult r = SampleRunResult();
  for (Verdict& v : r.verdicts) v.passed = true;
  r.faults[2].state = "reverted";
  r.outcome = Outcome::kPassed;
  r.exit_code = 0;
  return r;
}

inline RunResult AbortedRunResult() {
  RunResult r = SampleRunResult();
  r.outcome = Outcome::kAborted;
  r.exit_code = 4;
  r.abort_reason = "error rate 62% >= 50% for 10s; every active fault was reverted";
  return r;
}

// The environment could not run the drill: no verdicts, nothing measured.
inline RunResult ErrorRunResult() {
  RunResult r;
  r.faultdrill_version = "0.1.0";
  r.scenario_name = "quickstart";
  r.scenario_file = "scenarios/quickstart.yaml";
  r.started_at = "2024-03-14T09:26:53.250+01:00";
  r.outcome = Outcome::kError;
  r.exit_code = 3;
  r.abort_reason = "target 127.0.0.1:8001 is unreachable: connection refused";
  return r;
}

// Text far beyond what a report should carry: a 4 MiB verdict message, a
// 1 MiB abort reason, a 100 KiB scenario name and verdict name.
inline RunResult LongTextRunResult() {
  RunResult r = AbortedRunResult();
  r.scenario_name = std::string(100 * 1024, 's');
  r.abort_reason = std::string(1024 * 1024, 'r');
  r.verdicts[2].message = std::string(4 * 1024 * 1024, 'm');
  r.verdicts[2].name = std::string(100 * 1024, 'n');
  r.faults[2].error = std::string(1024 * 1024, 'e');
  r.command = "faultdrill run " + std::string(1024 * 1024, 'c');
  return r;
}

struct NamedRunResult {
  std::string name;
  RunResult result;
};

inline std::vector<NamedRunResult> JunitSamples() {
  RunResult hostile_aborted = HostileRunResult();
  hostile_aborted.outcome = Outcome::kAborted;
  RunResult hostile_kinds = EveryVerdictKindRunResult();
  for (Verdict& v : hostile_kinds.verdicts) {
    v.name += kHostile;
    v.message += kHostile;
    v.metric += kHostile;
  }
  hostile_kinds.command += kHostile;
  return {
      {"passed", PassedRunResult()},
      {"failed", SampleRunResult()},
      {"aborted", AbortedRunResult()},
      {"error", ErrorRunResult()},
      {"every-verdict-kind", EveryVerdictKindRunResult()},
      {"hostile", HostileRunResult()},
      {"hostile-aborted", hostile_aborted},
      {"hostile-verdict-kinds", hostile_kinds},
      {"long-text", LongTextRunResult()},
  };
}

}  // namespace faultdrill::sample

#endif  // FAULTDRILL_TESTS_REPORTS_JUNIT_SAMPLES_H_
