// Everything a run produced, and the single source for every report: JSON,
// JUnit and HTML are all rendered from a RunResult (reports read nothing else).
// Times are seconds from the start of the load unless named otherwise.
#ifndef FAULTDRILL_CORE_RUN_RESULT_H_
#define FAULTDRILL_CORE_RUN_RESULT_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json_fwd.hpp"

namespace faultdrill {

enum class Outcome { kPassed, kFailed, kAborted, kError };
std::string_view OutcomeName(Outcome outcome);  // "passed", "failed", "aborted", "error"

// Latency percentiles in milliseconds. All zero when there were no samples.
struct LatencySummary {
  uint64_t count = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0, mean_ms = 0;
};

// Counts and latencies of the requests whose *intended* send time fell in a window.
// Latency objectives judge `ok_latency` (successful calls) unless the
// scenario says `latency_of: all`: a call that failed fast is not latency of
// the service (judge/window_check.h).
struct WindowResult {
  std::string name;  // "all", "before", "during(x)", "after(x)", "final"
  double start_s = 0, end_s = 0;
  uint64_t requests = 0;  // completed (ok + errors)
  uint64_t ok = 0;
  uint64_t errors = 0;
  std::map<std::string, uint64_t> errors_by_code;  // gRPC code name -> count
  double throughput_rps = 0;                        // ok / window length
  LatencySummary latency;         // every call, from the intended send time (coordinated-omission corrected)
  LatencySummary ok_latency;      // the successful calls only (count == ok); all zero when none succeeded
  LatencySummary failed_latency;  // the failed calls only (count == errors); all zero without errors
  LatencySummary service_time;    // every call, from the actual send time (uncorrected)

  double error_rate() const { return requests ? double(errors) / double(requests) : 0.0; }
};

// Corrected latency percentiles of the calls of one kind in one second, in ms.
struct SecondLatency {
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
};

// One second of the run, for plots and recovery.
struct SecondSample {
  uint32_t second = 0;  // [second, second+1) from the start of the load
  uint64_t requests = 0;
  uint64_t errors = 0;
  std::map<std::string, uint64_t> errors_by_code;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;  // corrected latency of every call
  // The successful calls only: meaningful when ok() > 0 (all zero otherwise:
  // a second where nothing succeeded has no successful latency, a gap, not 0).
  SecondLatency ok_latency;
  // The failed calls only: meaningful when errors > 0.
  SecondLatency failed_latency;

  uint64_t ok() const { return requests >= errors ? requests - errors : 0; }
};

// poison-inputs: how the poisoned requests of one variant were answered.
struct PoisonOutcome {
  std::string variant;   // "nan", "wrong-shape", ...
  std::string expected;  // the expected answers, e.g. "INVALID_ARGUMENT" or "OK|INVALID_ARGUMENT"
  int64_t sent = 0;
  int64_t as_expected = 0;
  int64_t unexpected = 0;
  int64_t timeouts = 0;
  int64_t crashes = 0;            // answered UNAVAILABLE: the server went away
  std::string first_unexpected;  // the first unexpected code, when any
};

struct FaultRecord {
  std::string name;
  std::string kind;
  std::string description;  // what it does, e.g. "SIGKILL pid 1234, restart after 2s"
  double planned_at_s = 0;
  std::optional<double> planned_end_s;
  std::optional<double> applied_at_s;   // actual
  std::optional<double> reverted_at_s;  // actual
  std::string state;                    // "pending", "applied", "reverted", "failed"
  std::string error;                    // when failed
  std::map<std::string, int64_t> counters;  // injector-specific (signals_sent, restarts, ...)
  // Seconds from the fault's end until the service was healthy again and
  // stayed so (RunResult::recovery_definition); absent when it did not
  // recover before `recovery_horizon`, or was not measured (aborted run).
  std::optional<double> recovery_s;
  std::string recovery_horizon;  // what ended the measurement: "the run ended", "<fault> started"
  // What the fault touched (Injector::Touches), for the injector log.
  std::vector<std::string> touches;
  // poison-inputs only: one row per variant sent.
  std::vector<PoisonOutcome> poison;
};

// One value one probe sampled through the run, e.g. the server's rss_bytes.
struct ProbeSeries {
  std::string probe;  // the probe's name
  std::string kind;   // "process", "prometheus", ...
  std::string value;  // "rss_bytes"
  std::string unit;   // "bytes", "%", "1/s", "C", "" (a count)
  std::vector<std::array<double, 2>> points;  // [t_s, value], in time order
};

// One response whose outputs differed from the expected ones.
struct ResponseDiff {
  double t_s = 0;              // intended send time
  uint64_t request_index = 0;  // in the request set
  std::string output;          // the output tensor's name ("" for a response-level problem)
  std::string problem;         // "max abs error 3.1e-3 at [0,2]", "shape [1,4] vs [1,3]", "missing output X"
  // The first differing elements: {index, expected, actual}.
  std::vector<std::array<std::string, 3>> side_by_side;
};

// Golden-master (or shadow) comparison over one window.
struct GoldenWindowResult {
  std::string window;             // "all", "during(x)", ...
  std::string against;            // "masters" or "primary" (shadow comparison)
  uint64_t compared = 0;          // responses compared
  uint64_t differing = 0;         // of those, how many differed
  uint64_t without_master = 0;    // responses that had nothing to compare against
  double max_abs_error = 0;
  double max_rel_error = 0;
  uint64_t max_ulp = 0;
  uint64_t argmax_disagreements = 0;  // rows
  uint64_t top_k_disagreements = 0;   // rows
  uint64_t max_edit_distance = 0;     // tokens
  std::vector<ResponseDiff> first_differences;  // a few, in arrival order
};

// A 0-100 summary of a run's verdicts so drills can be compared over time:
// 100 * sum(weight of passed verdicts) / sum(weight of all verdicts).
struct ScoreGroup {
  std::string group;  // a Verdict::group
  double weight = 0;  // per verdict
  uint64_t passed = 0;
  uint64_t total = 0;
};
struct ResilienceScore {
  double score = 0;
  std::vector<ScoreGroup> groups;
  std::string formula;  // shown in the report
};

// A stress run's answer (scenario `capacity:`): the highest offered rate at
// which the capacity criterion still held, second by second.
struct CapacityResult {
  std::string criterion;       // "p99_latency <= 50ms, error_rate <= 1% for 2s"
  double highest_rate_held_rps = 0;  // offered requests/s of the best second that held
  double held_at_s = 0;              // that second's start
  bool broke = false;                // the criterion stopped holding before the end
  double broke_at_s = 0;             // the first second of the breach that lasted `for`
  double broke_rate_rps = 0;         // the offered rate there
  std::string breach;                // "p99 212.4ms > 50ms", when it broke
};

struct Verdict {
  std::string name;    // unique within a run; becomes the JUnit testcase name
  std::string group;   // "slo", "steady-state", "recovery"; the JUnit classname suffix
  std::string window;  // the window judged, e.g. "during(kill-server)"
  std::string metric;  // "p99_latency", "error_rate", "throughput", "recovery_time", "probe"
  std::string comparison;  // "<=" or ">="
  double threshold = 0;
  std::optional<double> measured;  // absent when it could not be measured
  std::string unit;                // "ms", "%", "req/s", "s", ""
  bool passed = false;
  std::string message;  // one line for humans: "p99 812.0ms > 150.0ms in during(x)"
  double duration_s = 0;  // the judged window's length (JUnit testcase time)
};

struct Event {
  double t_s = 0;
  std::string source;  // "runner", "injector:<name>", "probe:<kind>", "target"
  std::string message;
};

struct RunResult {
  std::string faultdrill_version;
  std::string scenario_name;
  std::string scenario_file;
  uint64_t seed = 0;
  std::string started_at;  // ISO 8601 UTC wall time
  // The command that reproduces the run: "faultdrill run scenarios/x.yaml --seed 42 --set ...",
  // each argument shell-quoted when it needs it. Empty for results written before it existed.
  std::string command;
  double duration_s = 0;   // load duration actually run
  Outcome outcome = Outcome::kError;
  int exit_code = 0;
  std::string abort_reason;  // when aborted or error

  struct Target {
    std::string endpoint;
    std::string model;
    bool embedded = false;
  } target;

  struct Load {
    std::string mode;  // "open" or "closed"
    double rate_rps = 0;       // open: configured start rate
    int concurrency = 0;       // closed
    uint64_t sent = 0;
    uint64_t completed = 0;
    double achieved_rps = 0;
  } load;

  std::vector<WindowResult> windows;
  std::vector<SecondSample> series;
  std::vector<FaultRecord> faults;
  std::vector<Verdict> verdicts;
  std::vector<Event> events;
  std::vector<ProbeSeries> probes;
  std::vector<GoldenWindowResult> golden;
  std::optional<ResilienceScore> score;
  std::optional<CapacityResult> capacity;
  std::string recovery_definition;  // how FaultRecord::recovery_s was measured

  const WindowResult* FindWindow(std::string_view name) const;
};

// result.json's `schema_version` (docs/result-json.md). Fields added without
// breaking readers keep the version; a reader accepts exactly this version.
inline constexpr int kResultSchemaVersion = 1;

nlohmann::json ToJson(const RunResult& result);
// Strict: a missing or mistyped field is InvalidArgument naming the JSON path.
absl::StatusOr<RunResult> RunResultFromJson(const nlohmann::json& json);

}  // namespace faultdrill

#endif  // FAULTDRILL_CORE_RUN_RESULT_H_
