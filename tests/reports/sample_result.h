// Representative RunResults for report tests (and for anyone else who needs a
// realistic run without running one): a quarterly drill with a kill, a
// latency fault and a failed weight corruption, with recovery times, probe
// series, a golden-master comparison and a resilience score; and a hostile
// variant whose every string tries to break out of XML and HTML.
#ifndef FAULTDRILL_TESTS_REPORTS_SAMPLE_RESULT_H_
#define FAULTDRILL_TESTS_REPORTS_SAMPLE_RESULT_H_

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/run_result.h"

namespace faultdrill::sample {

inline WindowResult SampleWindow(std::string name, double start_s, double end_s, uint64_t requests, uint64_t errors,
                                 double p50_ms, double p99_ms) {
  WindowResult w;
  w.name = std::move(name);
  w.start_s = start_s;
  w.end_s = end_s;
  w.requests = requests;
  w.errors = errors;
  w.ok = requests - errors;
  if (errors > 0) w.errors_by_code["UNAVAILABLE"] = errors;
  w.throughput_rps = end_s > start_s ? double(w.ok) / (end_s - start_s) : 0;
  w.latency = LatencySummary{requests, p50_ms, p50_ms * 1.6, p99_ms, p99_ms * 1.4, p99_ms * 2, p50_ms * 1.2};
  w.service_time = LatencySummary{requests, p50_ms * 0.9, p50_ms * 1.4, p99_ms * 0.8, p99_ms, p99_ms * 1.5, p50_ms};
  // The successful calls: every call's numbers without failures; slower with
  // them (the failures were fast).
  if (w.ok > 0) w.ok_latency = w.latency;
  if (w.ok > 0 && errors > 0) w.ok_latency = LatencySummary{0, 4.2, 6.8, 12.5, 20, 25, 4.6};
  w.ok_latency.count = w.ok;
  if (errors > 0) w.failed_latency = LatencySummary{errors, 0.4, 0.5, 2.5, 3, 3.5, 0.45};
  return w;
}

inline Verdict SampleVerdict(std::string name, std::string group, std::string window, std::string metric,
                             std::string comparison, double threshold, std::optional<double> measured,
                             std::string unit, bool passed, std::string message, double duration_s) {
  Verdict v;
  v.name = std::move(name);
  v.group = std::move(group);
  v.window = std::move(window);
  v.metric = std::move(metric);
  v.comparison = std::move(comparison);
  v.threshold = threshold;
  v.measured = measured;
  v.unit = std::move(unit);
  v.passed = passed;
  v.message = std::move(message);
  v.duration_s = duration_s;
  return v;
}

// A probe series sampled every second of a 60 s run.
inline ProbeSeries SampleProbeSeries(std::string probe, std::string kind, std::string value, std::string unit,
                                     double (*at)(int second)) {
  ProbeSeries series{std::move(probe), std::move(kind), std::move(value), std::move(unit), {}};
  for (int s = 0; s < 60; ++s) series.points.push_back({double(s), at(s)});
  return series;
}

// Two probes: "health" (down while the server restarts, 10..12 s) and
// "server" (process: healthy, an RSS that grows from 200 MiB, CPU, threads).
inline std::vector<ProbeSeries> SampleProbes() {
  return {
      SampleProbeSeries("health", "health", "healthy", "", [](int s) { return s == 10 || s == 11 ? 0.0 : 1.0; }),
      SampleProbeSeries("server", "process", "healthy", "", [](int s) { return s == 10 ? 0.0 : 1.0; }),
      SampleProbeSeries("server", "process", "rss_bytes", "bytes",
                        [](int s) { return (200.0 + s) * 1024 * 1024; }),
      SampleProbeSeries("server", "process", "cpu_percent", "%",
                        [](int s) { return s >= 20 && s < 30 ? 85.0 : 40.0; }),
      SampleProbeSeries("server", "process", "threads", "", [](int s) { return s >= 10 && s < 12 ? 0.0 : 12.0; }),
  };
}

// The masters matched everywhere but twice during the latency fault.
inline std::vector<GoldenWindowResult> SampleGolden() {
  GoldenWindowResult all;
  all.window = "all";
  all.against = "masters";
  all.compared = 11790;
  all.differing = 2;
  all.without_master = 3;
  all.max_abs_error = 3.1e-3;
  all.max_rel_error = 0.0217;
  all.max_ulp = 41943;
  all.argmax_disagreements = 1;
  all.max_edit_distance = 0;
  ResponseDiff first;
  first.t_s = 23.415;
  first.request_index = 17;
  first.output = "logits";
  first.problem = "2 of 4 elements differ; max abs error 0.0031 at [0,2], max rel error 0.0217, 41943 ULP";
  first.side_by_side = {{"[0,2]", "0.1423", "0.1454"}, {"[0,3]", "-1.25", "-1.2487"}};
  ResponseDiff second;
  second.t_s = 24.02;
  second.request_index = 18;
  second.problem = "missing output probs";
  all.first_differences = {first, second};
  GoldenWindowResult kill;
  kill.window = "during(kill-server)";
  kill.against = "masters";
  kill.compared = 20;
  return {all, kill};
}

// 60 s at 200 req/s against the embedded server: a SIGKILL at 10 s (restart
// after 2 s, errors until 13 s), 100 ms of network latency 20..30 s, and a
// weight corruption at 35 s that failed to apply. Deterministic.
inline RunResult SampleRunResult() {
  RunResult r;
  r.faultdrill_version = "0.1.0";
  r.scenario_name = "quarterly-drill";
  r.scenario_file = "scenarios/quarterly-drill.yaml";
  r.seed = 42;
  r.started_at = "2024-03-14T09:26:53Z";
  r.duration_s = 60;
  r.outcome = Outcome::kFailed;
  r.exit_code = 1;
  r.target = RunResult::Target{"127.0.0.1:8001", "tinylm", true};
  r.load = RunResult::Load{"open", 200, 0, 12000, 11990, 199.8};

  for (uint32_t s = 0; s < 60; ++s) {
    SecondSample x;
    x.second = s;
    x.requests = 200;
    const double wobble = 1.0 + 0.15 * std::sin(s * 0.7);
    x.p50_ms = 4.0 * wobble;
    x.p99_ms = 11.0 * wobble;
    x.ok_latency = SecondLatency{x.p50_ms, 0, x.p99_ms, 0};
    if (s >= 10 && s < 13) {  // killed, restarting: nothing succeeds in second 11
      x.errors = s == 12 ? 60 : s == 11 ? 200 : 190;
      x.errors_by_code["UNAVAILABLE"] = x.errors;
      x.p50_ms = 0.4;
      x.p99_ms = 2.5;
      x.failed_latency = SecondLatency{0.4, 0, 0.6, 0.7};
      if (s == 11) x.ok_latency = {};
    } else if (s >= 20 && s < 30) {  // +100 ms on the network
      x.p50_ms = 104 * wobble;
      x.p99_ms = 128 * wobble + (s == 24 ? 700 : 0);
      x.ok_latency = SecondLatency{x.p50_ms, 0, x.p99_ms, 0};
    }
    x.max_ms = x.p99_ms * 1.8;
    if (x.ok() > 0) x.ok_latency.max_ms = x.ok_latency.p99_ms * 1.8;
    r.series.push_back(x);
  }
  r.series[45].requests = 0;  // a second with nothing completed (a stall)
  r.series[45].p50_ms = r.series[45].p99_ms = r.series[45].max_ms = 0;
  r.series[45].ok_latency = {};

  r.windows = {
      SampleWindow("all", 0, 60, 11800, 440, 4.3, 140),
      SampleWindow("before", 0, 10, 2000, 0, 4.1, 11.2),
      SampleWindow("during(kill-server)", 10, 12, 400, 380, 0.4, 2.5),
      SampleWindow("after(kill-server)", 12, 60, 9400, 60, 4.4, 141),
      SampleWindow("during(slow-net)", 20, 30, 2000, 0, 104.2, 812),
      SampleWindow("after(slow-net)", 30, 60, 5800, 0, 4.0, 12.1),
      SampleWindow("during(corrupt-weights)", 35, 40, 1000, 0, 4.0, 11.9),
      SampleWindow("after(corrupt-weights)", 40, 60, 3800, 0, 4.0, 12.0),
      SampleWindow("final", 55, 60, 1000, 0, 3.9, 11.0),
  };

  FaultRecord kill;
  kill.name = "kill-server";
  kill.kind = "process-kill";
  kill.description = "SIGKILL pid 4242, restart after 2s";
  kill.planned_at_s = 10;
  kill.planned_end_s = 12;
  kill.applied_at_s = 10.002;
  kill.reverted_at_s = 12.31;
  kill.state = "reverted";
  kill.counters = {{"signals_sent", 1}, {"restarts", 1}};
  kill.recovery_s = 0.69;
  kill.recovery_horizon = "slow-net started";
  FaultRecord latency;
  latency.name = "slow-net";
  latency.kind = "network-latency";
  latency.description = "+100ms ±10ms via proxy 127.0.0.1:39121 -> 127.0.0.1:8001";
  latency.planned_at_s = 20;
  latency.planned_end_s = 30;
  latency.applied_at_s = 20.004;
  latency.reverted_at_s = 30.001;
  latency.state = "reverted";
  latency.counters = {{"connections_proxied", 8}, {"bytes_delayed", 1843200}};
  latency.recovery_horizon = "the run ended";  // measured, never recovered
  FaultRecord corrupt;
  corrupt.name = "corrupt-weights";
  corrupt.kind = "corrupt-weights";
  corrupt.description = "flip 16 bits in server/models/tinylm.fdw, then reload";
  corrupt.planned_at_s = 35;
  corrupt.planned_end_s = 40;
  corrupt.state = "failed";
  corrupt.error = "cannot back up server/models/tinylm.fdw: Permission denied";
  r.faults = {kill, latency, corrupt};

  r.verdicts = {
      SampleVerdict("before: steady — p99_latency", "steady-state", "before", "p99_latency", "<=", 50, 11.2, "ms",
                    true, "p99 11.2ms <= 50.0ms in before", 10),
      SampleVerdict("before: steady — error_rate", "steady-state", "before", "error_rate", "<=", 0.1, 0.0, "%", true,
                    "error rate 0.00% <= 0.10% in before", 10),
      SampleVerdict("p99 during latency fault", "slo", "during(slow-net)", "p99_latency", "<=", 150, 812.0, "ms",
                    false, "p99 812.0ms > 150.0ms in during(slow-net)", 10),
      SampleVerdict("recovers after kill", "recovery", "after(kill-server)", "recovery_time", "<=", 5, 0.69, "s",
                    true, "recovery 0.7s <= 5.0s after kill-server (worst of 3 faults)", 7.7),
      SampleVerdict("errors overall", "slo", "all", "error_rate", "<=", 1, 3.73, "%", false,
                    "error rate 3.73% > 1.00% in all", 60),
      SampleVerdict("throughput overall", "slo", "all", "throughput", ">=", 150, 189.3, "req/s", true,
                    "throughput 189.3 req/s >= 150.0 req/s in all", 60),
      SampleVerdict("after: steady — p99_latency", "steady-state", "final", "p99_latency", "<=", 50, 11.0, "ms", true,
                    "p99 11.0ms <= 50.0ms in final", 5),
  };

  // The judge's score of the verdicts above: 3 * 3 + 2 * 1 + 2 * 1 of 3 * 3 + 2 * 3 + 2 * 1.
  r.score = ResilienceScore{100.0 * 13 / 17,
                            {{"steady-state", 3, 3, 3}, {"slo", 2, 1, 3}, {"recovery", 2, 1, 1}},
                            "100 * sum(weight of passed verdicts) / sum(weight of all verdicts)"};
  r.recovery_definition =
      "Recovery time: from the fault's end until the first whole second from which every second had an error "
      "rate of at most 1%; one-second resolution.";
  r.probes = SampleProbes();
  r.golden = SampleGolden();

  r.events = {
      {-1.2, "runner", "target ready after 1.1s (embedded faultdrill-model-server on 127.0.0.1:8001)"},
      {0.0, "runner", "load started: open loop at 200/s for 60s"},
      {10.002, "injector:kill-server", "sent SIGKILL to pid 4242"},
      {12.31, "injector:kill-server", "restarted faultdrill-model-server as pid 4307"},
      {20.004, "injector:slow-net", "proxy 127.0.0.1:39121 adds 100ms ±10ms"},
      {30.001, "injector:slow-net", "proxy closed"},
      {35.0, "injector:corrupt-weights", "failed: cannot back up server/models/tinylm.fdw: Permission denied"},
      {45.0, "probe:health", "SERVING -> NOT_SERVING -> SERVING within 1s"},
      {60.0, "runner", "load stopped: 12000 sent, 11990 completed"},
  };
  return r;
}

// Text that tries every way out of XML and HTML.
inline constexpr char kHostile[] = "<script>alert(\"x&y\")</script> ]]> it's \x01\x1b\x7f bad\xff\xfe utf8 \xF0\x9F\x9A\x80";

// SampleRunResult with hostile text in every string a report prints.
inline RunResult HostileRunResult() {
  RunResult r = SampleRunResult();
  const std::string h = kHostile;
  r.scenario_name = "drill " + h;
  r.scenario_file = "scenarios/" + h + ".yaml";
  r.started_at = h;
  r.abort_reason = "abort " + h;
  r.target.endpoint = h;
  r.target.model = h;
  for (Verdict& v : r.verdicts) {
    v.name += " " + h;
    v.group += h;
    v.window += h;
    v.message += " " + h;
  }
  for (FaultRecord& f : r.faults) {
    f.name += h;
    f.description += h;
    f.error = "error " + h;
    f.counters[h] = 1;
  }
  for (Event& e : r.events) {
    e.source += h;
    e.message += h;
  }
  for (WindowResult& w : r.windows) w.name += h;
  for (FaultRecord& f : r.faults) f.recovery_horizon += h;
  r.recovery_definition += h;
  r.score->formula += h;
  for (ScoreGroup& g : r.score->groups) g.group += h;
  for (ProbeSeries& p : r.probes) {
    p.probe += h;
    p.kind += h;
    p.unit += h;
    if (p.value != "healthy") p.value += h;
  }
  for (GoldenWindowResult& g : r.golden) {
    g.window += h;
    g.against += h;
    for (ResponseDiff& d : g.first_differences) {
      d.output += h;
      d.problem += h;
      for (auto& [index, expected, actual] : d.side_by_side) {
        index += h;
        expected += h;
        actual += h;
      }
    }
  }
  return r;
}

}  // namespace faultdrill::sample

#endif  // FAULTDRILL_TESTS_REPORTS_SAMPLE_RESULT_H_
