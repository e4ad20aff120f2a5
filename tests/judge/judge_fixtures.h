// Small builders for judge tests: scenarios, timelines, windows and series
// written in a line each.
#ifndef FAULTDRILL_TESTS_JUDGE_JUDGE_FIXTURES_H_
#define FAULTDRILL_TESTS_JUDGE_JUDGE_FIXTURES_H_

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/run_result.h"
#include "core/scenario.h"
#include "core/timeline.h"
#include "gtest/gtest.h"

namespace faultdrill::judge_test {

using std::chrono::milliseconds;
using std::chrono::seconds;

inline WindowResult Measured(std::string name, double start_s, double end_s, uint64_t requests = 1000,
                           uint64_t errors = 0, double p99_ms = 10) {
  WindowResult w;
  w.name = std::move(name);
  w.start_s = start_s;
  w.end_s = end_s;
  w.requests = requests;
  w.errors = errors;
  w.ok = requests - errors;
  w.throughput_rps = end_s > start_s ? double(w.ok) / (end_s - start_s) : 0;
  w.latency.count = requests;
  w.latency.p50_ms = p99_ms / 4;
  w.latency.p90_ms = p99_ms / 2;
  w.latency.p99_ms = p99_ms;
  w.latency.p999_ms = p99_ms * 2;
  w.latency.max_ms = p99_ms * 3;
  // Every call ok: the successful calls' latency is the same; with errors,
  // the test says what each kind took (WithFailedCalls).
  if (w.ok > 0) w.ok_latency = w.latency;
  w.ok_latency.count = w.ok;
  return w;
}

// `w` (from Measured) where the failed calls took `failed_ms` and the
// successful ones `ok_p99_ms` at p99: every call's p99 is set to what the mix
// would show, `all_p99_ms`.
inline WindowResult WithLatencies(WindowResult w, double ok_p99_ms, double failed_p99_ms, double all_p99_ms) {
  w.latency.p99_ms = all_p99_ms;
  w.ok_latency = {};
  if (w.ok > 0) w.ok_latency = LatencySummary{w.ok, ok_p99_ms / 4, ok_p99_ms / 2, ok_p99_ms, ok_p99_ms, ok_p99_ms, ok_p99_ms / 4};
  w.ok_latency.count = w.ok;
  w.failed_latency = {};
  if (w.errors > 0) {
    w.failed_latency = LatencySummary{w.errors, failed_p99_ms, failed_p99_ms, failed_p99_ms, failed_p99_ms, failed_p99_ms,
                                      failed_p99_ms};
  }
  return w;
}

inline SecondSample Healthy(uint32_t second) {
  SecondSample s;
  s.second = second;
  s.requests = 100;
  s.p50_ms = 5;
  s.p99_ms = 20;
  s.max_ms = 30;
  s.ok_latency = SecondLatency{5, 10, 20, 30};
  return s;
}

inline SecondSample Failing(uint32_t second) {
  SecondSample s = Healthy(second);
  s.errors = 50;
  s.errors_by_code["UNAVAILABLE"] = 50;
  return s;
}

inline SecondSample Slow(uint32_t second, double p99_ms) {
  SecondSample s = Healthy(second);
  s.p99_ms = p99_ms;
  s.ok_latency.p99_ms = p99_ms;
  return s;
}

// A series of `length` healthy seconds, except those in `failing`.
inline std::vector<SecondSample> Series(uint32_t length, std::vector<uint32_t> failing = {}) {
  std::vector<SecondSample> out;
  for (uint32_t s = 0; s < length; ++s) {
    bool fails = std::find(failing.begin(), failing.end(), s) != failing.end();
    out.push_back(fails ? Failing(s) : Healthy(s));
  }
  return out;
}

// Seconds [from, to) as a list.
inline std::vector<uint32_t> Range(uint32_t from, uint32_t to) {
  std::vector<uint32_t> out;
  for (uint32_t s = from; s < to; ++s) out.push_back(s);
  return out;
}

inline TimelineFault Kill(std::string name, int at_s) {
  return TimelineFault{std::move(name), "process-kill", seconds(at_s), std::nullopt};
}

inline TimelineFault Latency(std::string name, int at_s, int for_s) {
  return TimelineFault{std::move(name), "network-latency", seconds(at_s), seconds(for_s)};
}

inline Timeline MakeTimeline(int run_s, std::vector<TimelineFault> faults) {
  absl::StatusOr<Timeline> timeline = Timeline::Compile(seconds(run_s), std::move(faults));
  EXPECT_TRUE(timeline.ok()) << timeline.status();
  return timeline.ok() ? *std::move(timeline) : *Timeline::Compile(seconds(run_s), {});
}

inline RunResult Result(double duration_s, std::vector<WindowResult> windows,
                        std::vector<SecondSample> series = {}) {
  RunResult r;
  r.scenario_name = "test";
  r.duration_s = duration_s;
  r.windows = std::move(windows);
  r.series = std::move(series);
  return r;
}

inline SloSpec Slo(std::string name, WindowSpec::Kind kind = WindowSpec::Kind::kAll, std::string fault = "") {
  SloSpec slo;
  slo.named = !name.empty();
  slo.name = std::move(name);
  slo.window.kind = kind;
  slo.window.fault = std::move(fault);
  return slo;
}

inline Scenario WithSlos(std::vector<SloSpec> slos) {
  Scenario s;
  s.name = "test";
  s.slos = std::move(slos);
  return s;
}

}  // namespace faultdrill::judge_test

#endif  // FAULTDRILL_TESTS_JUDGE_JUDGE_FIXTURES_H_
