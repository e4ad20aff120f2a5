// Everything a run produced, and the single source for every report: JSON,
// JUnit and HTML are all rendered from a RunResult (reports read nothing else).
// Times are seconds from the start of the load unless named otherwise.
#ifndef FAULTDRILL_CORE_RUN_RESULT_H_
#define FAULTDRILL_CORE_RUN_RESULT_H_

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
struct WindowResult {
  std::string name;  // "all", "before", "during(x)", "after(x)", "final"
  double start_s = 0, end_s = 0;
  uint64_t requests = 0;  // completed (ok + errors)
  uint64_t ok = 0;
  uint64_t errors = 0;
  std::map<std::string, uint64_t> errors_by_code;  // gRPC code name -> count
  double throughput_rps = 0;                        // ok / window length
  LatencySummary latency;       // from the intended send time (coordinated-omission corrected)
  LatencySummary service_time;  // from the actual send time (uncorrected)

  double error_rate() const { return requests ? double(errors) / double(requests) : 0.0; }
};

// One second of the run, for plots and recovery.
struct SecondSample {
  uint32_t second = 0;  // [second, second+1) from the start of the load
  uint64_t requests = 0;
  uint64_t errors = 0;
  std::map<std::string, uint64_t> errors_by_code;
  double p50_ms = 0, p99_ms = 0, max_ms = 0;  // corrected latency
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

  const WindowResult* FindWindow(std::string_view name) const;
};

nlohmann::json ToJson(const RunResult& result);
// Strict: a missing or mistyped field is InvalidArgument naming the JSON path.
absl::StatusOr<RunResult> RunResultFromJson(const nlohmann::json& json);

}  // namespace faultdrill

#endif  // FAULTDRILL_CORE_RUN_RESULT_H_
