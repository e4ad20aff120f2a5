// Samples probes on their intervals through a run and keeps what they saw as
// series (RunResult::probes): one point per sample per value, plus a
// "healthy" series (1 or 0) for every probe.
//
// Each probe runs on its own thread, so a slow probe (a scrape that waits
// for its timeout) never delays another. Sample n of a probe is taken at
// start + n * interval on the Clock; a check that overruns its interval
// skips the samples it missed rather than bunching them up.
//
// Every sample is also handed to the observer (continuous steady-state
// checks, abort conditions) on the probe's thread, as soon as it is taken.
//
// Memory: one point (16 bytes) per value per sample: a probe with 4 values
// sampled every second for an hour keeps about 300 KB.
//
// Thread-safety: Start and Stop from one thread; Series from any thread.
// The probes, the clock and the observer must outlive the sampler.
#ifndef FAULTDRILL_PROBES_PROBE_SAMPLER_H_
#define FAULTDRILL_PROBES_PROBE_SAMPLER_H_

#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "core/clock.h"
#include "core/duration.h"
#include "core/run_result.h"
#include "probes/probe.h"

namespace faultdrill::probes {

struct SampledProbe {
  Probe* probe = nullptr;
  std::string name;  // the series' probe name
  std::string kind;
  Duration interval = std::chrono::seconds(1);
};

class ProbeSampler {
 public:
  // (probe index, time since start, what it saw).
  using Observer = std::function<void(size_t probe, Duration t, const ProbeResult& result)>;

  ProbeSampler(std::vector<SampledProbe> probes, Clock& clock, Observer observer = nullptr);
  ~ProbeSampler();  // stops
  ProbeSampler(const ProbeSampler&) = delete;
  ProbeSampler& operator=(const ProbeSampler&) = delete;

  // Starts sampling; times are offsets from `start`. The first sample of
  // each probe is taken at `start` (or at once when that has passed).
  void Start(Clock::TimePoint start);
  // Stops and joins the threads; a check in progress finishes first (it is
  // bounded by the probe's timeout).
  void Stop();

  // Every series, probes in constructor order, each probe's values in the
  // order it reported them first ("healthy" first).
  std::vector<ProbeSeries> Series() const;
  // The series of probe `index` only.
  std::vector<ProbeSeries> SeriesOf(size_t index) const;

  uint64_t samples_taken() const;

 private:
  struct Track {
    std::vector<ProbeSeries> series;  // "healthy" first
    uint64_t samples = 0;
  };
  void RunProbe(size_t index, std::stop_token stop);
  void Record(size_t index, Duration t, const ProbeResult& result);

  // Constant after construction (start_ after Start).
  const std::vector<SampledProbe> probes_;
  Clock& clock_;
  const Observer observer_;
  Clock::TimePoint start_{};

  mutable std::mutex mu_;
  std::vector<Track> tracks_ ABSL_GUARDED_BY(mu_);

  std::vector<std::jthread> threads_;
};

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_PROBE_SAMPLER_H_
