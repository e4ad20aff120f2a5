// `faultdrill diff BASE.json NEW.json`: the regressions between two runs, as a
// table, optionally as Markdown for a merge-request comment; exit 1 on any.
#include <ostream>

#include "cli/commands.h"
#include "cli/diff_format.h"
#include "cli/exit_codes.h"
#include "core/durable_file.h"
#include "core/duration.h"
#include "fmt/format.h"
#include "reports/json_report.h"

namespace faultdrill::cli {
namespace {

// Sets `*out` from `text` ("10%"; a bare number in [0, 1] is a fraction) unless empty.
absl::Status SetPercent(const std::string& flag, const std::string& text, double* out) {
  if (text.empty()) return absl::OkStatus();
  absl::StatusOr<double> value = ParsePercent(text);
  if (!value.ok()) return absl::InvalidArgumentError(fmt::format("--{}: {}", flag, std::string(value.status().message())));
  *out = *value;
  return absl::OkStatus();
}

// Sets `*out` (in `scale` units per second: 1000 for ms) from a duration unless empty.
absl::Status SetDuration(const std::string& flag, const std::string& text, double scale, double* out) {
  if (text.empty()) return absl::OkStatus();
  absl::StatusOr<Duration> value = ParseDuration(text);
  if (!value.ok()) return absl::InvalidArgumentError(fmt::format("--{}: {}", flag, std::string(value.status().message())));
  *out = ToSeconds(*value) * scale;
  return absl::OkStatus();
}

absl::StatusOr<judge::DiffThresholds> Thresholds(const DiffOptions& o) {
  judge::DiffThresholds t;
  absl::Status s;
  s.Update(SetPercent("max-latency-increase", o.max_latency_increase, &t.latency_increase));
  s.Update(SetDuration("min-latency-change", o.min_latency_change, 1000, &t.latency_floor_ms));
  s.Update(SetPercent("max-error-rate-increase", o.max_error_rate_increase, &t.error_rate_increase));
  s.Update(SetPercent("max-throughput-decrease", o.max_throughput_decrease, &t.throughput_decrease));
  s.Update(SetPercent("max-recovery-increase", o.max_recovery_increase, &t.recovery_increase));
  s.Update(SetDuration("min-recovery-change", o.min_recovery_change, 1, &t.recovery_floor_s));
  s.Update(SetPercent("max-capacity-decrease", o.max_capacity_decrease, &t.capacity_decrease));
  if (o.max_score_decrease) {
    if (!(*o.max_score_decrease >= 0 && *o.max_score_decrease <= 100)) {
      s.Update(absl::InvalidArgumentError("--max-score-decrease: must be between 0 and 100 points"));
    }
    t.score_decrease = *o.max_score_decrease;
  }
  if (!s.ok()) return s;
  return t;
}

}  // namespace

int Diff(const DiffOptions& options, std::ostream& out, std::ostream& err) {
  absl::StatusOr<judge::DiffThresholds> thresholds = Thresholds(options);
  if (!thresholds.ok()) {
    err << "faultdrill: " << thresholds.status().message() << "\n";
    return kExitInvalid;
  }
  absl::StatusOr<RunResult> base = reports::ReadJsonReport(options.base);
  absl::StatusOr<RunResult> now = base.ok() ? reports::ReadJsonReport(options.now) : base;
  if (!now.ok()) {
    err << "faultdrill: " << now.status().message() << "\n";
    return kExitInvalid;
  }
  const judge::RunDiff diff = judge::DiffRuns(*base, *now, *thresholds);
  if (options.markdown == "-") {
    out << FormatDiffMarkdown(diff);
  } else {
    out << FormatDiffTable(diff, options.all, options.colour);
    if (!options.markdown.empty()) {
      if (absl::Status s = WriteFileAtomically(options.markdown, FormatDiffMarkdown(diff)); !s.ok()) {
        err << "faultdrill: cannot write " << options.markdown << ": " << s.message() << "\n";
        return kExitEnvironment;
      }
      out << "  markdown: " << options.markdown << "\n";
    }
  }
  return diff.regressions > 0 ? kExitFailed : kExitPassed;
}

}  // namespace faultdrill::cli
