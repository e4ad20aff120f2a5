#include "probes/probe_sampler.h"

#include <algorithm>

namespace faultdrill::probes {

ProbeSampler::ProbeSampler(std::vector<SampledProbe> probes, Clock& clock, Observer observer)
    : probes_(std::move(probes)), clock_(clock), observer_(std::move(observer)) {
  tracks_.resize(probes_.size());
  for (size_t i = 0; i < probes_.size(); ++i) {
    const SampledProbe& p = probes_[i];
    tracks_[i].series.push_back(ProbeSeries{p.name, p.kind, "healthy", "", {}});
    for (const ValueInfo& value : p.probe->Values()) {
      tracks_[i].series.push_back(ProbeSeries{p.name, p.kind, value.name, value.unit, {}});
    }
  }
}

ProbeSampler::~ProbeSampler() { Stop(); }

void ProbeSampler::Start(Clock::TimePoint start) {
  start_ = start;
  for (size_t i = 0; i < probes_.size(); ++i) {
    threads_.emplace_back([this, i](std::stop_token stop) { RunProbe(i, stop); });
  }
}

void ProbeSampler::Stop() {
  for (std::jthread& thread : threads_) thread.request_stop();
  threads_.clear();  // joins
}

void ProbeSampler::RunProbe(size_t index, std::stop_token stop) {
  const SampledProbe& p = probes_[index];
  Clock::TimePoint next = start_;
  while (clock_.SleepUntil(next, stop)) {
    const Duration t = clock_.Now() - start_;
    ProbeResult result = p.probe->Check();
    Record(index, t, result);
    if (observer_) observer_(index, t, result);
    // The next slot after now: a check that overran skips what it missed.
    const Clock::TimePoint now = clock_.Now();
    next += p.interval;
    if (next <= now) next += p.interval * ((now - next) / p.interval + 1);
  }
}

void ProbeSampler::Record(size_t index, Duration t, const ProbeResult& result) {
  const double t_s = ToSeconds(t);
  std::lock_guard lock(mu_);
  Track& track = tracks_[index];
  ++track.samples;
  track.series[0].points.push_back({t_s, result.healthy ? 1.0 : 0.0});
  for (const ProbeValue& value : result.values) {
    auto it = std::find_if(track.series.begin(), track.series.end(),
                           [&](const ProbeSeries& s) { return s.value == value.name; });
    if (it == track.series.end()) {  // a value Values() did not list: keep it anyway
      const SampledProbe& p = probes_[index];
      track.series.push_back(ProbeSeries{p.name, p.kind, value.name, "", {}});
      it = track.series.end() - 1;
    }
    it->points.push_back({t_s, value.value});
  }
}

std::vector<ProbeSeries> ProbeSampler::Series() const {
  std::lock_guard lock(mu_);
  std::vector<ProbeSeries> all;
  for (const Track& track : tracks_) all.insert(all.end(), track.series.begin(), track.series.end());
  return all;
}

std::vector<ProbeSeries> ProbeSampler::SeriesOf(size_t index) const {
  std::lock_guard lock(mu_);
  return tracks_.at(index).series;
}

uint64_t ProbeSampler::samples_taken() const {
  std::lock_guard lock(mu_);
  uint64_t total = 0;
  for (const Track& track : tracks_) total += track.samples;
  return total;
}

}  // namespace faultdrill::probes
