// What watches a drill while it runs: the probe sampler (every probe value
// becomes a series), the continuous steady-state checks, the abort
// conditions, which stop the drill through `abort` when one holds, and the
// capacity criterion (`capacity: {stop: true}`), which stops the load through
// `abort` too once it broke, but is no abort: the run is judged as usual.
//
// Load conditions are judged every `load_interval` on the requests that
// completed in it; probe conditions on every sample, on the sampler's thread,
// so a drill stops within one sampling interval of the condition being met.
// The capacity criterion is judged every `load_interval` on the seconds that
// have settled (judge/capacity.h), with the same function that judges the
// finished run, so the live stop and the reported capacity agree.
#ifndef FAULTDRILL_CLI_DRILL_MONITORS_H_
#define FAULTDRILL_CLI_DRILL_MONITORS_H_

#include <atomic>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "cli/compiled_scenario.h"
#include "core/clock.h"
#include "core/event_log.h"
#include "judge/abort_monitor.h"
#include "judge/probe_judge.h"
#include "load/recorder.h"
#include "probes/probe_sampler.h"

namespace faultdrill::cli {

class DrillMonitors {
 public:
  static constexpr Duration kLoadInterval = std::chrono::seconds(1);

  // Everything must outlive the monitors.
  DrillMonitors(const CompiledScenario& compiled, Clock& clock, EventLog& events, std::stop_source abort);
  ~DrillMonitors();  // stops
  DrillMonitors(const DrillMonitors&) = delete;
  DrillMonitors& operator=(const DrillMonitors&) = delete;

  // Starts sampling the probes, and judging the load's abort conditions on
  // `recorder` every kLoadInterval; times count from `start`.
  void Start(Clock::TimePoint start, load::Recorder& recorder);
  // Stops every thread (a probe check in progress finishes first).
  void Stop();

  // Why an abort condition stopped the drill, if one did.
  std::optional<std::string> abort_reason() const { return abort_monitor_.reason(); }
  // Set once the capacity criterion broke and stopped the load.
  bool capacity_stopped() const { return capacity_stopped_.load(); }

  std::vector<ProbeSeries> Series() const { return sampler_.Series(); }
  // The continuous checks' verdicts and the probes' own (the leak check).
  std::vector<Verdict> Verdicts() const;

 private:
  void OnSample(size_t index, Duration t, const probes::ProbeResult& result);
  void WatchLoad(std::stop_token stop, Clock::TimePoint start, load::Recorder& recorder);
  void Abort(const std::string& reason);
  // Stops the load when the settled seconds show the capacity criterion broke.
  void WatchCapacity(Duration elapsed, const load::Recorder& recorder);

  const CompiledScenario& compiled_;
  Clock& clock_;
  EventLog& events_;
  std::stop_source abort_;
  std::vector<probes::SampledProbe> sampled_;
  std::vector<std::string> names_;  // of sampled_, for the observers
  judge::ContinuousChecks continuous_;
  judge::AbortMonitor abort_monitor_;
  const bool capacity_stop_;               // the scenario asks to stop once capacity broke
  const std::vector<double> offered_rps_;  // capacity: the planned rate of every second
  std::atomic<bool> capacity_stopped_{false};
  probes::ProbeSampler sampler_;
  std::jthread load_watch_;
};

}  // namespace faultdrill::cli

#endif  // FAULTDRILL_CLI_DRILL_MONITORS_H_
