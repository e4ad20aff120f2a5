// A synthetic long run for report tests and benchmarks: a one-hour soak at
// 500 req/s with a fault every 90 s (kills, latency, CPU hogs, poisoned
// inputs, weight corruption), three probes sampled every second, a verdict
// trio per fault, hundreds of events. Deterministic (no randomness, only a
// fixed arithmetic wobble), so the rendered report's size is too.
#ifndef FAULTDRILL_TESTS_REPORTS_SOAK_RESULT_H_
#define FAULTDRILL_TESTS_REPORTS_SOAK_RESULT_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "core/run_result.h"
#include "fmt/format.h"

namespace faultdrill::sample {

inline constexpr int kSoakFaultEvery = 90;    // seconds between fault starts
inline constexpr int kSoakFaultLength = 20;   // seconds each fault is in force

inline FaultRecord SoakFault(int index) {
  static constexpr const char* kKinds[] = {"process-kill", "network-latency", "cpu-hog", "poison-inputs",
                                           "corrupt-weights"};
  FaultRecord f;
  f.kind = kKinds[index % 5];
  f.name = fmt::format("{}-{}", f.kind, index);
  f.planned_at_s = 30.0 + kSoakFaultEvery * index;
  f.planned_end_s = f.planned_at_s + kSoakFaultLength;
  f.applied_at_s = f.planned_at_s + 0.003;
  f.reverted_at_s = *f.planned_end_s + 0.2;
  f.state = "reverted";
  f.description = fmt::format("{} number {} for {}s", f.kind, index, kSoakFaultLength);
  f.touches = {fmt::format("pid {}", 4000 + index), "127.0.0.1:8001"};
  f.counters = {{"applied", 1}, {"reverted", 1}};
  f.recovery_s = 0.5 + (index % 4);
  f.recovery_horizon = "the next fault started";
  if (f.kind == "poison-inputs") {
    f.poison = {PoisonOutcome{"nan", "INVALID_ARGUMENT", 400, 400, 0, 0, 0, ""},
                PoisonOutcome{"wrong-shape", "INVALID_ARGUMENT", 400, 396, 4, 0, 0, "INTERNAL"},
                PoisonOutcome{"huge", "INVALID_ARGUMENT|RESOURCE_EXHAUSTED", 400, 390, 0, 10, 0, ""}};
  }
  return f;
}

// `seconds` of soak (3600: one hour).
inline RunResult SoakRunResult(int seconds = 3600) {
  RunResult r;
  r.faultdrill_version = "0.1.0";
  r.scenario_name = "soak";
  r.scenario_file = "scenarios/soak.yaml";
  r.command = "faultdrill run scenarios/soak.yaml --seed 7 --set load.duration=1h";
  r.seed = 7;
  r.started_at = "2024-06-01T02:00:00Z";
  r.duration_s = seconds;
  r.outcome = Outcome::kFailed;
  r.exit_code = 1;
  r.target = RunResult::Target{"127.0.0.1:8001", "tinylm", true};
  r.load = RunResult::Load{"open", 500, 0, uint64_t(seconds) * 500, uint64_t(seconds) * 500 - 40, 499.9};
  const int faults = (seconds - 30) / kSoakFaultEvery;
  for (int i = 0; i < faults; ++i) r.faults.push_back(SoakFault(i));

  for (int s = 0; s < seconds; ++s) {
    SecondSample x;
    x.second = uint32_t(s);
    x.requests = 500;
    const double wobble = 1.0 + 0.2 * std::sin(s * 0.37) + 0.1 * std::sin(s * 0.011);
    x.p50_ms = 4.0 * wobble;
    x.p90_ms = 7.0 * wobble;
    x.p99_ms = 11.0 * wobble + (s % 997 == 0 ? 400 : 0);  // rare spikes
    const int in_fault = (s - 30) % kSoakFaultEvery;
    if (s >= 30 && in_fault < kSoakFaultLength && (s - 30) / kSoakFaultEvery < faults) {
      const int kind = ((s - 30) / kSoakFaultEvery) % 5;
      if (kind == 0 && in_fault < 3) x.errors_by_code["UNAVAILABLE"] = 450;
      if (kind == 1) x.p99_ms += 100, x.p90_ms += 90, x.p50_ms += 80, x.errors_by_code["DEADLINE_EXCEEDED"] = 3;
      if (kind == 2) x.errors_by_code["RESOURCE_EXHAUSTED"] = 20 + in_fault;
      if (kind == 3) x.errors_by_code["INVALID_ARGUMENT"] = 50, x.errors_by_code["INTERNAL"] = in_fault % 7 == 0;
    }
    for (const auto& [code, count] : x.errors_by_code) x.errors += count;
    x.max_ms = x.p99_ms * 1.5;
    if (x.ok() > 0) x.ok_latency = SecondLatency{x.p50_ms, x.p90_ms, x.p99_ms, x.max_ms};
    if (x.errors > 0) x.failed_latency = SecondLatency{0.4, 0.5, 0.6, 0.7};
    r.series.push_back(x);
  }

  ProbeSeries healthy{"server", "process", "healthy", "", {}}, rss{"server", "process", "rss_bytes", "bytes", {}},
      cpu{"server", "process", "cpu_percent", "%", {}}, gpu_ok{"gpu", "gpu", "healthy", "", {}},
      gpu_mem{"gpu", "gpu", "memory_used_bytes", "bytes", {}}, queue{"metrics", "prometheus", "queue_depth", "", {}};
  for (int s = 0; s < seconds; ++s) {
    const double t = s + 0.25;
    const bool killed = s >= 30 && (s - 30) % (5 * kSoakFaultEvery) < 3;
    healthy.points.push_back({t, killed ? 0.0 : 1.0});
    rss.points.push_back({t, 2e8 + 5e3 * s + 1e6 * std::sin(s * 0.05)});
    cpu.points.push_back({t, 40 + 10 * std::sin(s * 0.2)});
    gpu_ok.points.push_back({t, 1.0});
    gpu_mem.points.push_back({t, 6e9 + 1e8 * std::sin(s * 0.01)});
    queue.points.push_back({t, double((s * 7) % 13)});
  }
  r.probes = {healthy, rss, cpu, gpu_ok, gpu_mem, queue};

  r.windows.push_back(WindowResult{"all", 0, double(seconds), r.load.completed, r.load.completed - 40, 40, {}, 499.9,
                                   LatencySummary{r.load.completed, 4, 7, 12, 90, 500, 4.5},
                                   LatencySummary{r.load.completed - 40, 4, 7, 12, 90, 500, 4.5},
                                   LatencySummary{40, 0.4, 0.5, 0.6, 0.6, 0.7, 0.45}, {}});
  for (const FaultRecord& f : r.faults) {
    r.windows.push_back(WindowResult{"during(" + f.name + ")", *f.applied_at_s, *f.reverted_at_s, 10000, 9940, 60,
                                     {{"UNAVAILABLE", 60}}, 497, LatencySummary{10000, 5, 9, 40, 120, 300, 6},
                                     LatencySummary{9940, 5, 9, 40, 120, 300, 6},
                                     LatencySummary{60, 0.4, 0.5, 0.6, 0.6, 0.7, 0.45}, {}});
    const auto verdict = [&](std::string metric, std::string unit, double threshold, double measured) {
      Verdict v;
      v.name = fmt::format("{} {}", f.name, metric);
      v.group = "slo";
      v.window = "during(" + f.name + ")";
      v.metric = std::move(metric);
      v.comparison = "<=";
      v.threshold = threshold;
      v.measured = measured;
      v.unit = std::move(unit);
      v.passed = measured <= threshold;
      v.message = fmt::format("{} {} {} {}", v.metric, measured, v.passed ? "<=" : ">", threshold);
      v.duration_s = kSoakFaultLength;
      return v;
    };
    r.verdicts.push_back(verdict("p99_latency", "ms", 150, f.kind == "network-latency" ? 180 : 40));
    r.verdicts.push_back(verdict("error_rate", "%", 1, 0.6));
    r.verdicts.push_back(verdict("recovery_time", "s", 5, *f.recovery_s));
    for (const char* what : {"apply", "applied", "revert", "reverted"}) {
      r.events.push_back(Event{*f.applied_at_s, "injector:" + f.name, fmt::format("{} {}", what, f.description)});
    }
  }
  for (int s = 0; s < seconds; s += 10) {
    r.events.push_back(Event{double(s), "probe:server", fmt::format("rss {} MiB", 190 + s / 100)});
  }
  std::stable_sort(r.events.begin(), r.events.end(), [](const Event& a, const Event& b) { return a.t_s < b.t_s; });
  r.score = ResilienceScore{87.5, {{"slo", 2, uint64_t(2 * faults), uint64_t(3 * faults)}}, "100 * passed / all"};
  r.recovery_definition = "Recovery time: from the fault's end until the error rate stayed under 1%.";
  return r;
}

}  // namespace faultdrill::sample

#endif  // FAULTDRILL_TESTS_REPORTS_SOAK_RESULT_H_
