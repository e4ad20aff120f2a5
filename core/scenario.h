// The scenario model: one declarative drill, loaded from YAML, validated once,
// and immutable afterwards. See scenarios/schema.json for the format.
#ifndef FAULTDRILL_CORE_SCENARIO_H_
#define FAULTDRILL_CORE_SCENARIO_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/duration.h"
#include "core/param_node.h"
#include "core/source_location.h"

namespace faultdrill {

// A process faultdrill starts and owns (argument vector, never a shell).
struct LaunchSpec {
  std::vector<std::string> command;  // command[0] is looked up on PATH
  Duration ready_timeout = std::chrono::seconds(10);
  std::vector<std::pair<std::string, std::string>> env;  // added to the inherited environment
  SourceLocation where;
};

// The service time of one model of the embedded reference server, set by
// configuration rather than measured (see server/cost_model.h): one run takes
// per_batch + per_input_token * prompt bytes + per_output_token * max_tokens.
struct ModelCostSpec {
  std::string model;  // "tinylm" or "classifier"
  Duration per_batch{0};
  Duration per_input_token{0};
  Duration per_output_token{0};
};

// How the embedded reference server is run. With a cost its capacity is
// workers / service time on any machine that can compute a run within it, so
// scenarios that judge speed or capacity pass or fail alike on fast and slow
// hardware.
struct EmbeddedServerSpec {
  int workers = 2;
  std::vector<ModelCostSpec> cost;
  SourceLocation where;
};

struct TargetSpec {
  // "host:port". Empty when `embedded` (the port is chosen at run time).
  std::string endpoint;
  // faultdrill starts its own reference server (faultdrill-model-server) on a
  // free loopback port with freshly generated weights.
  bool embedded = false;
  // `server:`; only with `embedded` (defaults when absent).
  EmbeddedServerSpec server;
  std::string model;
  std::string model_version;  // empty: the server's default
  std::optional<LaunchSpec> launch;
  // Hosts other than loopback that traffic may go to. Loopback is always allowed.
  std::vector<std::string> allow_hosts;
  SourceLocation where;
};

enum class LoadMode { kOpen, kClosed };

struct RampStep {
  Rate to;
  Duration over;
};

// Synthesises requests for one of the reference server's models.
struct GeneratorSpec {
  std::string model;  // "tinylm" or "classifier"
  int batch = 1;      // classifier: rows per request
  int max_tokens = 8;  // tinylm: tokens to generate
  SourceLocation where;
};

struct LoadSpec {
  // JSONL of KServe v2 JSON inference requests; absolute, or resolved relative
  // to the scenario file's folder at load time. Empty when `generator` is set.
  std::string requests_file;
  std::optional<GeneratorSpec> generator;
  LoadMode mode = LoadMode::kOpen;
  Rate rate;                   // open loop: starting rate
  std::vector<RampStep> ramp;  // open loop: linear ramps after the start, in order
  int concurrency = 0;         // closed loop: requests in flight
  Duration duration = std::chrono::seconds(10);
  Duration deadline = std::chrono::seconds(2);  // per request
  SourceLocation where;
};

// Which part of a run an SLO judges.
struct WindowSpec {
  enum class Kind { kAll, kBefore, kDuring, kAfter };
  Kind kind = Kind::kAll;
  std::string fault;  // kDuring/kAfter: the fault's name

  // "all", "before", "during(<fault>)", "after(<fault>)".
  std::string ToString() const;
  friend bool operator==(const WindowSpec&, const WindowSpec&) = default;
};

// "p99_latency <= 50ms, error_rate <= 1%": every threshold an SLO sets, as the
// scenario writes them, without the window (an unnamed SLO's default name adds it).
struct SloSpec;
std::string SloThresholdsText(const SloSpec& slo);

// Parses "all", "before", "during(x)", "after(x)" (the fault name is not checked here).
absl::StatusOr<WindowSpec> ParseWindowSpec(std::string_view text);

// A bound on one value a probe samples (probes/probe.h): "the server's
// rss_bytes stays at most 1 GiB". Used by SLOs, steady-state checks and abort
// conditions. Values are plain numbers in the probe value's own unit; the
// scenario may write bytes ("512MiB"), percentages ("80%": 80) or durations
// ("250ms": 0.25 s).
struct ProbeThreshold {
  enum class Stat { kMax, kMin, kMean, kLast };
  std::string probe;  // a name from Scenario::probes
  std::string value;  // one of the probe's values, e.g. "rss_bytes" (checked when the probe is built)
  std::optional<double> max;  // at most
  std::optional<double> min;  // at least
  // Which statistic of the window's samples is judged. Default: kMax when
  // `max` is set, else kMin. abort_when and continuous checks judge each sample.
  Stat stat = Stat::kMax;
  SourceLocation where;

  // "max of server.rss_bytes <= 1073741824"
  std::string ToString() const;
};
std::string_view ProbeStatName(ProbeThreshold::Stat stat);  // "max", "min", "mean", "last"
// A threshold for humans: integers without exponent ("1073741824"), else %g.
std::string FormatQuantity(double value);
// `value` when it is a whole number below 1e15 in magnitude, else nullopt
// (any double: a threshold may be 1e300, and casting that to an integer is
// undefined). constexpr so that a test can prove it in a constant expression.
constexpr std::optional<int64_t> WholeQuantity(double value) {
  if (!(value > -1e15 && value < 1e15)) return std::nullopt;  // NaN too
  const auto whole = static_cast<int64_t>(value);
  if (static_cast<double>(whole) != value) return std::nullopt;
  return whole;
}

// Which calls a latency objective judges (`latency_of:`). A call that failed
// fast (the server is down: UNAVAILABLE in under a millisecond) is not
// latency of the service, and counted in would make p99 drop while nothing
// is served; failures are what error_rate judges.
enum class LatencyOf {
  kOk,   // `ok` (the default): the successful calls only
  kAll,  // `all`: every completed call, failed ones (and timeouts) included
};
std::string_view LatencyOfName(LatencyOf of);  // "ok", "all"

// One objective. Every threshold that is set becomes one verdict.
struct SloSpec {
  std::string name;    // defaults to a description of the thresholds
  bool named = false;  // the scenario gave `name`; else verdicts are named by their thresholds
  WindowSpec window;
  std::optional<Duration> p50_latency;
  std::optional<Duration> p90_latency;
  std::optional<Duration> p99_latency;
  std::optional<Duration> p999_latency;
  LatencyOf latency_of = LatencyOf::kOk;  // which calls the latency thresholds above judge
  std::optional<double> error_rate;  // fraction, at most
  std::optional<Rate> min_throughput;  // successful requests per second, at least
  // The time from a fault's end (or a kill) until the service stays healthy
  // (per-second error rate and p99 within the steady-state SLOs) to the end of
  // the window after it. Applies to `recovery_fault`, or to every fault when empty.
  std::optional<Duration> recovery_time;
  std::string recovery_fault;
  // `probe: NAME, value: V, max|min: X[, stat: max|min|mean|last]`: a bound on
  // a sampled probe value over the window (one verdict).
  std::optional<ProbeThreshold> probe;
  // steady_state only: also checked on every probe sample during the run.
  bool continuous = false;
  SourceLocation where;
};

// A probe: in `probes:` (named, sampled every `interval` through the whole
// run) or inline in steady_state (checked before and after; `continuous`
// also samples it through the run).
struct ProbeSpec {
  std::string name;  // unique among the scenario's probes; inline steady-state probes: "<kind>"
  std::string kind;  // e.g. "health", "process", "prometheus"
  Duration interval = std::chrono::seconds(1);
  bool continuous = false;  // steady_state entries only
  ParamNode params;  // the probe's own keys (everything but name/kind/interval/continuous)
  SourceLocation where;
};

// Checked before the first fault and after the last one.
struct SteadyStateSpec {
  std::vector<ProbeSpec> probes;
  std::vector<SloSpec> slos;  // judged on the "before" window and on the last second(s) of the run
};

// One `abort_when` condition: the drill stops early, reverts every fault and
// exits 4 when it holds for `hold` (`for:`) without a break. Load conditions
// are judged every second on the requests that completed in it; probe
// conditions on every sample of the probe.
struct AbortCondition {
  std::optional<double> error_rate;           // fraction: above it
  std::optional<Duration> p99_latency;        // corrected p99 of the successful calls above it, or none succeeded
  std::optional<ProbeThreshold> probe;        // outside its bound
  Duration hold{0};                           // `for:`; 0: the first time it holds
  SourceLocation where;

  // "error_rate > 50% for 10s"
  std::string ToString() const;
};

// `capacity:`: a stress run's question, "what is the highest offered rate at
// which this still holds?". Judged second by second on the requests whose
// intended send time fell in that second (judge/capacity.h); the offered rate
// is the load's planned rate there, so it needs an open loop. At least one of
// p99_latency and error_rate is set.
struct CapacitySpec {
  std::optional<Duration> p99_latency;  // a second breaches when its successful calls' corrected p99 is above it
  std::optional<double> error_rate;     // fraction: a second breaches when more of its requests failed
  Duration hold = std::chrono::seconds(2);  // `for:`: a breach counts once it lasts this long
  bool stop = true;                         // stop the load once it broke (judged normally, not aborted)
  std::optional<Rate> min_rate;             // a verdict: the highest rate held is at least this
  SourceLocation where;

  // "p99_latency <= 50ms, error_rate <= 1% for 2s"
  std::string ToString() const;
};

// How outputs are compared with their masters (golden/). Unset fields take
// the defaults of the data type: floats abs 1e-6 / rel 1e-5, integers and
// BYTES exactly. A float element passes when ANY set float rule passes:
// |a-e| <= abs, |a-e| <= rel*|e|, or ulp_distance(a,e) <= ulp.
struct ToleranceSpec {
  std::optional<double> abs;
  std::optional<double> rel;
  std::optional<uint64_t> ulp;
  bool exact = false;          // bit-for-bit, even for floats
  std::optional<int> top_k;    // classifiers: the top k class indexes agree (per row, last axis)
  bool argmax = false;         // classifiers: the argmax of every row agrees
  // Generated text (BYTES) or token ids (integers): compare as token sequences
  // (BYTES split on whitespace), report the first differing token and the
  // edit distance; pass when the distance is at most this.
  std::optional<uint64_t> max_edit_distance;
  SourceLocation where;
};

struct GoldenSpec {
  std::string masters;  // the masters file, resolved relative to the scenario's folder
  ToleranceSpec tolerance;  // every output
  std::vector<std::pair<std::string, ToleranceSpec>> outputs;  // per output name, replaces `tolerance`
  bool nan_equal = true;  // `nan: equal|differ`: NaN matches NaN at the same place
  // Windows that get a verdict ("all", "before", "during(x)", ...); default all.
  std::vector<WindowSpec> windows;
  uint64_t max_differing = 0;  // responses that may differ before the verdict fails
  // `golden record`: masters for the first N requests of the load's request
  // set (0: every one). Requests without a master count as "without master".
  uint64_t record_requests = 0;
  SourceLocation where;

  const ToleranceSpec& ToleranceFor(std::string_view output) const;
};

// Shadow comparison: every request also goes to the candidate, whose outputs
// are compared with the primary target's (with the golden tolerances, or the
// defaults) and whose latency is judged against the primary's.
struct CandidateSpec {
  std::string endpoint;        // "host:port"; empty when embedded
  bool embedded = false;       // a second reference server
  std::optional<LaunchSpec> launch;
  // The candidate's p99 may be at most the primary's * (1 + latency_slack) + 1 ms.
  double latency_slack = 0.2;
  double max_error_rate_increase = 0.001;  // fraction, over the primary's
  SourceLocation where;
};

struct FaultSpec {
  std::string kind;  // e.g. "process-kill"
  // Unique within the scenario. Defaults to `kind` when only one fault has that kind.
  std::string name;
  Duration at{0};                     // from the start of the load
  std::optional<Duration> duration;   // "for:"; absent for instantaneous faults
  ParamNode params;                   // kind-specific keys (everything else)
  SourceLocation where;
};

struct Scenario {
  std::string name;
  std::string file;       // path as given
  std::string directory;  // folder of `file`, for relative paths
  std::string description;
  uint64_t seed = 1;
  TargetSpec target;
  LoadSpec load;
  SteadyStateSpec steady_state;
  std::vector<FaultSpec> faults;
  std::vector<SloSpec> slos;
  std::vector<ProbeSpec> probes;  // sampled through the run
  std::vector<AbortCondition> abort_when;
  std::optional<GoldenSpec> golden;
  std::optional<CandidateSpec> candidate;
  std::optional<CapacitySpec> capacity;  // stress runs

  const FaultSpec* FindFault(std::string_view name) const;
  const ProbeSpec* FindProbe(std::string_view name) const;
};

// One `--set key=value` override, applied to the YAML tree before validation.
// Keys are dotted paths with numeric indexes for lists: "load.rate",
// "faults.0.at", "target.endpoint". A key whose parent does not exist is an error.
struct Override {
  std::string key;
  std::string value;
};

// Applies `overrides` in order to a parsed scenario tree (ParseYamlDocument),
// as ParseScenario does before validation. Values are parsed as YAML, so
// "[a, b]" sets a list; values and new keys are located at "--set <key>".
// Errors: InvalidArgument "--set <key>: <problem>" (e.g. "no such key 'nope'").
absl::Status ApplyOverrides(ParamNode& root, const std::vector<Override>& overrides);

// Loads and validates a scenario. Every problem is InvalidArgument with
// "file:line:col: message" (the first problem found). Checks: YAML syntax,
// unknown keys, wrong types, missing required keys, bad durations/rates/percents,
// impossible values (negative or zero rates, faults at or past the end, duplicate
// fault names, SLO windows naming unknown faults, closed loop without
// concurrency, ...). Kind-specific fault keys are checked later by the injector
// registry, which also reports file:line:col.
absl::StatusOr<Scenario> LoadScenarioFile(const std::string& path,
                                          const std::vector<Override>& overrides = {});
absl::StatusOr<Scenario> ParseScenario(std::string_view yaml_text, const std::string& file_name,
                                       const std::vector<Override>& overrides = {});

}  // namespace faultdrill

#endif  // FAULTDRILL_CORE_SCENARIO_H_
