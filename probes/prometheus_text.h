// A parser for the Prometheus text exposition format, version 0.0.4 (what
// every Prometheus client library serves on /metrics):
//
//   # HELP faultdrill_requests_total Inference requests answered.
//   # TYPE faultdrill_requests_total counter
//   faultdrill_requests_total{model="tinylm",code="OK"} 1027 1700000000000
//
// Every sample line becomes one Sample, histogram `_bucket`/`_sum`/`_count`
// and summary quantile lines included: they are plain samples with their
// labels (`le`, `quantile`), and the caller selects from them by name.
//
// The text comes from a process faultdrill is breaking on purpose, so the
// parser trusts none of it: total bytes, samples, labels per sample and the
// lengths of names and label values are capped (ParseLimits), every step is
// one pass over the text (linear time; the duplicate-label check is linear in
// the labels of one line, which are capped), and a malformed line never
// crashes it. What a bad line does is the caller's choice (BadLines):
//   - kFail: the first bad line is the error, "LINE:COL: expected ...";
//   - kSkip: a bad line is left out, counted and (the first few) described in
//     Exposition::problems, and parsing goes on; this is what a scrape uses, so
//     one odd line from an exporter does not blind a probe, yet it is reported.
// Exceeding a cap on bytes or samples is always an error (ResourceExhausted):
// a partial exposition would silently change what an aggregate means.
//
// Lines end with "\n"; a "\r" before it is dropped (CRLF is tolerated though
// the format does not use it). Values are floats as Go's ParseFloat reads
// them ("1e3", "NaN", "+Inf", "-Inf"); timestamps are integer milliseconds.
// Label values must be valid UTF-8 and may use the escapes \\ \" \n.
#ifndef FAULTDRILL_PROBES_PROMETHEUS_TEXT_H_
#define FAULTDRILL_PROBES_PROMETHEUS_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace faultdrill::probes {

enum class MetricType { kUntyped, kCounter, kGauge, kHistogram, kSummary };
std::string_view MetricTypeName(MetricType type);  // "counter", ...

struct Sample {
  std::string name;  // as written, e.g. "x_bucket"
  // In the order written, unescaped; names are unique within a sample.
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
  std::optional<int64_t> timestamp_ms;

  // The value of label `name`, or nullptr.
  const std::string* Label(std::string_view name) const;
};

// What `# HELP` and `# TYPE` lines said about one metric family.
struct FamilyInfo {
  MetricType type = MetricType::kUntyped;
  std::string help;
  bool type_declared = false;  // a second TYPE (or HELP) line for a name is a bad line
  bool help_declared = false;
};

// One line that was left out (BadLines::kSkip).
struct LineProblem {
  size_t line = 0;      // 1-based
  size_t column = 0;    // 1-based, in bytes
  std::string message;  // "expected '=' after label name \"code\""

  std::string ToString() const;  // "3:17: expected ..."
};

struct Exposition {
  std::vector<Sample> samples;                              // in text order
  std::map<std::string, FamilyInfo, std::less<>> families;  // by family name
  size_t lines = 0;
  size_t skipped_lines = 0;           // BadLines::kSkip only
  std::vector<LineProblem> problems;  // the first ParseLimits::max_problems_kept of them
};

struct ParseLimits {
  size_t max_bytes = 32u << 20;
  size_t max_samples = 500'000;
  size_t max_labels_per_sample = 64;
  size_t max_name_bytes = 256;  // metric and label names
  size_t max_label_value_bytes = 4096;
  size_t max_help_bytes = 4096;
  size_t max_problems_kept = 8;
};

enum class BadLines { kFail, kSkip };

// A sample value as the format writes it ("0.25", "1e3", "NaN", "+Inf"), as
// for a histogram's `le` label; nullopt when it is not one.
std::optional<double> ParsePrometheusValue(std::string_view text);

// Parses `text`. Errors: InvalidArgument "LINE:COL: expected ..." for the
// first bad line (kFail only); ResourceExhausted when the text or its samples
// exceed `limits`. Never throws.
absl::StatusOr<Exposition> ParsePrometheusText(std::string_view text, BadLines bad_lines,
                                               const ParseLimits& limits = {});

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_PROMETHEUS_TEXT_H_
