#include "cli/drill_monitors.h"

#include <fmt/format.h>

#include <algorithm>

#include "judge/capacity.h"

namespace faultdrill::cli {
namespace {

// The probes sampled through the run: every probe of `probes:`, then the
// steady-state probes marked continuous.
std::vector<probes::SampledProbe> SampledProbes(const CompiledScenario& compiled) {
  const Scenario& s = compiled.scenario;
  std::vector<probes::SampledProbe> out;
  for (size_t i = 0; i < s.probes.size(); ++i) {
    out.push_back({compiled.probes[i].get(), s.probes[i].name, s.probes[i].kind, s.probes[i].interval});
  }
  for (size_t i = 0; i < s.steady_state.probes.size(); ++i) {
    const ProbeSpec& spec = s.steady_state.probes[i];
    if (!spec.continuous) continue;
    out.push_back({compiled.continuous_probes[i].get(), "steady-" + spec.name, spec.kind, spec.interval});
  }
  return out;
}

std::vector<judge::ContinuousChecks::ProbeCheck> ContinuousCheckList(const Scenario& s) {
  std::vector<judge::ContinuousChecks::ProbeCheck> checks;
  for (const ProbeSpec& spec : s.steady_state.probes) {
    if (spec.continuous) checks.push_back({"steady-" + spec.name, fmt::format("{} probe", spec.name), std::nullopt});
  }
  for (const SloSpec& slo : s.steady_state.slos) {
    if (slo.continuous && slo.probe) checks.push_back({slo.probe->probe, slo.name, slo.probe});
  }
  return checks;
}

std::vector<std::pair<std::string, double>> ValuePairs(const probes::ProbeResult& result) {
  std::vector<std::pair<std::string, double>> values;
  values.reserve(result.values.size() + 1);
  values.emplace_back("healthy", result.healthy ? 1.0 : 0.0);
  for (const probes::ProbeValue& v : result.values) values.emplace_back(v.name, v.value);
  return values;
}

}  // namespace

DrillMonitors::DrillMonitors(const CompiledScenario& compiled, Clock& clock, EventLog& events,
                             std::stop_source abort)
    : compiled_(compiled),
      clock_(clock),
      events_(events),
      abort_(std::move(abort)),
      sampled_(SampledProbes(compiled)),
      continuous_(ContinuousCheckList(compiled.scenario)),
      abort_monitor_(compiled.scenario.abort_when),
      capacity_stop_(compiled.scenario.capacity && compiled.scenario.capacity->stop),
      offered_rps_(capacity_stop_ ? judge::OfferedRates(compiled.scenario.load,
                                                        size_t(ToSeconds(compiled.scenario.load.duration)) + 1)
                                  : std::vector<double>()),
      sampler_(sampled_, clock,
               [this](size_t index, Duration t, const probes::ProbeResult& result) { OnSample(index, t, result); }) {
  for (const probes::SampledProbe& p : sampled_) names_.push_back(p.name);
}

DrillMonitors::~DrillMonitors() { Stop(); }

void DrillMonitors::Start(Clock::TimePoint start, load::Recorder& recorder) {
  sampler_.Start(start);
  if (abort_monitor_.empty() && !capacity_stop_) return;
  load_watch_ = std::jthread([this, start, &recorder](std::stop_token stop) { WatchLoad(stop, start, recorder); });
}

void DrillMonitors::Stop() {
  sampler_.Stop();
  if (load_watch_.joinable()) {
    load_watch_.request_stop();
    load_watch_.join();
  }
}

void DrillMonitors::OnSample(size_t index, Duration t, const probes::ProbeResult& result) {
  if (continuous_.empty() && abort_monitor_.empty()) return;
  const std::vector<std::pair<std::string, double>> values = ValuePairs(result);
  continuous_.Observe(names_[index], ToSeconds(t), result.healthy, result.detail, values);
  if (auto reason = abort_monitor_.ObserveProbe(names_[index], t, values)) Abort(*reason);
}

void DrillMonitors::WatchLoad(std::stop_token stop, Clock::TimePoint start, load::Recorder& recorder) {
  if (!clock_.SleepUntil(start, stop)) return;
  recorder.TakeInterval();  // nothing before the start counts
  Clock::TimePoint next = start + kLoadInterval;
  while (clock_.SleepUntil(next, stop)) {
    load::IntervalStats interval = recorder.TakeInterval();
    if (auto reason = abort_monitor_.ObserveLoad(next - start, kLoadInterval, interval.completed, interval.errors,
                                                 interval.p99)) {
      Abort(*reason);
    }
    if (capacity_stop_) WatchCapacity(next - start, recorder);
    next += kLoadInterval;
  }
}

void DrillMonitors::Abort(const std::string& reason) {
  events_.Add("runner", fmt::format("aborting: {}", reason));
  abort_.request_stop();
}

void DrillMonitors::WatchCapacity(Duration elapsed, const load::Recorder& recorder) {
  if (capacity_stopped_.load()) return;
  const CapacitySpec& spec = *compiled_.scenario.capacity;
  std::vector<SecondSample> settled = recorder.Series();
  settled.resize(std::min(settled.size(), judge::SettledSeconds(elapsed, compiled_.scenario.load.deadline)));
  const CapacityResult capacity = judge::JudgeCapacity(spec, settled, offered_rps_);
  if (!capacity.broke) return;
  capacity_stopped_.store(true);
  events_.Add("runner", fmt::format("capacity criterion ({}) broke at {:.0f}s at {:.1f} req/s offered: {}; "
                                    "stopping the load (the run is judged as usual)",
                                    capacity.criterion, capacity.broke_at_s, capacity.broke_rate_rps,
                                    capacity.breach));
  abort_.request_stop();
}

std::vector<Verdict> DrillMonitors::Verdicts() const {
  std::vector<Verdict> out = continuous_.Verdicts();
  for (size_t i = 0; i < sampled_.size(); ++i) {
    std::vector<ProbeSeries> series = sampler_.SeriesOf(i);
    for (Verdict& v : sampled_[i].probe->Verdicts(series)) out.push_back(std::move(v));
  }
  return out;
}

}  // namespace faultdrill::cli
