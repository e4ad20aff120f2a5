#include "probes/process_probe.h"

#include <fmt/format.h>

#include <chrono>
#include <climits>
#include <utility>

#include "probes/leak_slope.h"

namespace faultdrill::probes {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

std::string Mebibytes(double bytes) { return fmt::format("{:.1f} MiB", bytes / kMiB); }

double MiBPerMinute(double bytes_per_second) { return bytes_per_second * 60 / kMiB; }

absl::StatusOr<LeakCheckSettings> ParseLeak(const ParamNode& node, const std::string& context) {
  ParamReader leak(node, context + ": leak");
  if (absl::Status s = leak.CheckKnownKeys({"max_slope", "after"}); !s.ok()) return s;
  LeakCheckSettings settings;
  absl::StatusOr<std::string> text = leak.String("max_slope");
  if (!text.ok()) return text.status();
  absl::StatusOr<double> slope = ParseBytesPerSecond(*text);
  if (!slope.ok()) return leak.Error("max_slope", std::string(slope.status().message()));
  settings.max_bytes_per_second = *slope;
  settings.max_slope_text = *text;
  absl::StatusOr<Duration> after = leak.Dur("after", Duration(0));
  if (!after.ok()) return after.status();
  settings.after = *after;
  return settings;
}

}  // namespace

absl::StatusOr<ProcessProbeSettings> ParseProcessProbe(const ProbeSpec& spec, const Scenario& scenario) {
  const std::string context = fmt::format("probe '{}' (process)", spec.name);
  ParamReader params(spec.params, context);
  if (absl::Status s = params.CheckKnownKeys({"pid", "pid_file", "leak"}); !s.ok()) return s;
  ProcessProbeSettings settings;
  if (params.Has("pid") && params.Has("pid_file")) {
    return params.Error("pid_file", "name the process with pid or with pid_file, not both");
  }
  if (params.Has("pid")) {
    absl::StatusOr<int64_t> pid = params.Int("pid", 1, INT_MAX);
    if (!pid.ok()) return pid.status();
    settings.pid = static_cast<int>(*pid);
  }
  if (params.Has("pid_file")) {
    absl::StatusOr<std::string> path = params.String("pid_file");
    if (!path.ok()) return path.status();
    if (path->empty()) return params.Error("pid_file", "must not be empty");
    settings.pid_file = *path;
  }
  if (!settings.pid && settings.pid_file.empty() && !scenario.target.embedded && !scenario.target.launch) {
    return params.MapError(
        "faultdrill does not launch this scenario's target, so there is no process to watch by default; name one "
        "with pid or pid_file, or let faultdrill start the target (target.launch or target.embedded)");
  }
  absl::StatusOr<const ParamNode*> leak = params.Map("leak");
  if (!leak.ok()) return leak.status();
  if (*leak != nullptr) {
    absl::StatusOr<LeakCheckSettings> parsed = ParseLeak(**leak, context);
    if (!parsed.ok()) return parsed.status();
    settings.leak = *std::move(parsed);
  }
  return settings;
}

Verdict JudgeLeak(const std::string& probe_name, const LeakCheckSettings& leak, std::span<const ProbeSeries> series) {
  const double after_s = ToSeconds(leak.after);
  Verdict verdict;
  verdict.name = fmt::format("{} leak", probe_name);
  verdict.group = "probe";
  verdict.window = leak.after.count() > 0 ? fmt::format("after {}", FormatDuration(leak.after)) : "all";
  verdict.metric = "rss_slope";
  verdict.comparison = "<=";
  verdict.threshold = MiBPerMinute(leak.max_bytes_per_second);
  verdict.unit = "MiB/min";

  std::vector<std::array<double, 2>> points;
  for (const ProbeSeries& s : series) {
    if (s.value != "rss_bytes") continue;
    for (const auto& point : s.points) {
      if (point[0] >= after_s) points.push_back(point);
    }
  }
  const std::string warm_up =
      leak.after.count() > 0 ? fmt::format(" after the {} warm-up", FormatDuration(leak.after)) : "";
  std::optional<LineFit> fit = points.size() >= 3 ? FitLine(points) : std::nullopt;
  if (!fit || fit->n < 3) {
    verdict.passed = false;
    verdict.message = fmt::format(
        "not enough samples to judge a leak: {} RSS sample(s){}, at least 3 at distinct times are needed "
        "(run longer or sample more often)",
        points.size(), warm_up);
    return verdict;
  }
  verdict.duration_s = points.back()[0] - points.front()[0];
  verdict.measured = MiBPerMinute(fit->slope);
  verdict.passed = fit->slope <= leak.max_bytes_per_second;
  verdict.message =
      fmt::format("RSS slope {:.2f} MiB/min {} {} (least squares over {} samples{}, r² {:.2f})", *verdict.measured,
                  verdict.passed ? "<=" : ">", leak.max_slope_text, fit->n, warm_up, fit->r_squared);
  return verdict;
}

ProcessProbe::ProcessProbe(std::string name, ProcessProbeSettings settings,
                           std::function<std::optional<int>()> launched_pid, std::unique_ptr<ProcReader> reader,
                           Clock& clock)
    : name_(std::move(name)),
      settings_(std::move(settings)),
      launched_pid_(std::move(launched_pid)),
      reader_(std::move(reader)),
      clock_(clock) {}

absl::StatusOr<std::unique_ptr<Probe>> ProcessProbe::Create(const ProbeSpec& spec, const ProbeContext& context) {
  absl::StatusOr<ProcessProbeSettings> settings = ParseProcessProbe(spec, context.scenario);
  if (!settings.ok()) return settings.status();
  return std::unique_ptr<Probe>(std::make_unique<ProcessProbe>(spec.name, *std::move(settings), context.launched_pid,
                                                               MakeProcFsReader(), SystemClock()));
}

std::string ProcessProbe::Describe() const {
  std::string what = settings_.pid                 ? fmt::format("process {}", *settings_.pid)
                     : !settings_.pid_file.empty() ? fmt::format("process of pid file {}", settings_.pid_file)
                                                   : std::string("the launched target's process");
  if (settings_.leak) {
    what += fmt::format(" (leak check: RSS slope <= {}", settings_.leak->max_slope_text);
    if (settings_.leak->after.count() > 0) what += fmt::format(" after {}", FormatDuration(settings_.leak->after));
    what += ")";
  }
  return what;
}

std::vector<ValueInfo> ProcessProbe::Values() const {
  return {{"rss_bytes", "bytes"}, {"vm_bytes", "bytes"}, {"cpu_percent", "%"}, {"threads", ""}, {"open_files", ""}};
}

absl::StatusOr<int> ProcessProbe::CurrentPid() {
  if (settings_.pid) return *settings_.pid;
  if (!settings_.pid_file.empty()) return reader_->ReadPidFile(settings_.pid_file);
  std::optional<int> pid = launched_pid_ ? launched_pid_() : std::nullopt;
  if (!pid) return absl::NotFoundError("the launched target is not running");
  return *pid;
}

ProbeResult ProcessProbe::Check() {
  const Clock::TimePoint start = clock_.Now();
  ProbeResult result;
  auto finish = [&](bool healthy, std::string detail) {
    result.healthy = healthy;
    result.detail = std::move(detail);
    result.took = clock_.Now() - start;
    return result;
  };
  absl::StatusOr<int> pid = CurrentPid();
  if (!pid.ok()) {
    last_cpu_.reset();
    return finish(false, std::string(pid.status().message()));
  }
  absl::StatusOr<ProcessSample> sample = reader_->Read(*pid);
  if (!sample.ok()) {
    last_cpu_.reset();
    if (absl::IsNotFound(sample.status())) return finish(false, fmt::format("process {} is not running", *pid));
    return finish(false, fmt::format("process {}: {}", *pid, std::string(sample.status().message())));
  }
  if (sample->state == 'Z') {
    last_cpu_.reset();
    return finish(false, fmt::format("process {} has exited (a zombie its parent has not reaped yet)", *pid));
  }

  const Clock::TimePoint now = clock_.Now();
  result.values.push_back({"rss_bytes", static_cast<double>(sample->rss_bytes)});
  result.values.push_back({"vm_bytes", static_cast<double>(sample->vm_bytes)});
  std::string cpu_text;
  // CPU use over the time since the previous sample of the same process; a
  // restarted process (new pid, or a counter that went back) starts afresh.
  if (last_cpu_ && last_cpu_->pid == *pid && sample->cpu_seconds >= last_cpu_->cpu_seconds && now > last_cpu_->at) {
    const double wall_s = ToSeconds(now - last_cpu_->at);
    const double percent = 100.0 * (sample->cpu_seconds - last_cpu_->cpu_seconds) / wall_s;
    result.values.push_back({"cpu_percent", percent});
    cpu_text = fmt::format(", cpu {:.1f}%", percent);
  }
  last_cpu_ = CpuMark{*pid, sample->cpu_seconds, now};
  result.values.push_back({"threads", static_cast<double>(sample->threads)});
  std::string files_text;
  if (sample->open_files) {
    result.values.push_back({"open_files", static_cast<double>(*sample->open_files)});
    files_text = fmt::format(", {} open files", *sample->open_files);
  }
  return finish(true,
                fmt::format("process {} running ({}), rss {}{}, {} threads{}", *pid, sample->state,
                            Mebibytes(static_cast<double>(sample->rss_bytes)), cpu_text, sample->threads, files_text));
}

std::vector<Verdict> ProcessProbe::Verdicts(std::span<const ProbeSeries> series) const {
  if (!settings_.leak) return {};
  return {JudgeLeak(name_, *settings_.leak, series)};
}

}  // namespace faultdrill::probes
