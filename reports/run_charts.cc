#include "reports/run_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <utility>

#include "fmt/format.h"
#include "reports/report_text.h"

namespace faultdrill::reports {
namespace {

constexpr char kP50Color[] = "#3b82c4";
constexpr char kP99Color[] = "#d9622b";
constexpr char kOkColor[] = "#2f855a";
constexpr char kErrorColor[] = "#c53030";
constexpr char kProbeColor[] = "#6b46c1";
constexpr int kProbeChartHeight = 220;
// A bound on the seconds plotted (about 11 days), against a corrupt duration.
constexpr double kMaxPlottedSeconds = 1e6;

double RunLength(const RunResult& result) {
  double end = std::isfinite(result.duration_s) ? result.duration_s : 0;
  for (const SecondSample& s : result.series) end = std::max(end, double(s.second) + 1);
  return end;
}

// Health samples as up and down stretches, merged: each sample holds until
// the next one; the last for as long as the interval before it (1 s alone).
std::vector<StripSegment> ExactSegments(const std::vector<std::array<double, 2>>& points) {
  std::vector<std::pair<double, bool>> samples;
  for (const auto& [t, v] : points) {
    if (std::isfinite(t) && !std::isnan(v)) samples.emplace_back(t, v >= 0.5);
  }
  std::stable_sort(samples.begin(), samples.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<StripSegment> segments;
  for (size_t i = 0; i < samples.size(); ++i) {
    const auto [t, up] = samples[i];
    const double to = i + 1 < samples.size() ? samples[i + 1].first : t + (i > 0 ? t - samples[i - 1].first : 1.0);
    if (!segments.empty() && segments.back().up == up) {
      segments.back().to_s = to;
    } else {
      segments.push_back(StripSegment{t, to, up});
    }
  }
  return segments;
}

// At most `slices` segments: the stretch covered is cut into equal slices; a
// slice that any down segment touches is down, one that only up segments
// touch is up, an untouched one is left blank.
std::vector<StripSegment> SlicedSegments(const std::vector<StripSegment>& exact, size_t slices) {
  const double start = exact.front().from_s, end = exact.back().to_s;
  const double width = (end - start) / double(slices);
  if (!(width > 0)) {
    const bool up = std::all_of(exact.begin(), exact.end(), [](const StripSegment& s) { return s.up; });
    return {StripSegment{start, end, up}};
  }
  auto slice_of = [&](double t) {
    return static_cast<size_t>(std::clamp(std::floor((t - start) / width), 0.0, double(slices - 1)));
  };
  enum : int8_t { kBlank = -1, kDown = 0, kUp = 1 };
  std::vector<int8_t> state(slices, kBlank);
  for (const StripSegment& s : exact) {
    const size_t last = slice_of(std::max(s.from_s, s.to_s - width * 1e-6));  // the end is exclusive
    for (size_t b = slice_of(s.from_s); b <= last; ++b) {
      if (!s.up) {
        state[b] = kDown;
      } else if (state[b] == kBlank) {
        state[b] = kUp;
      }
    }
  }
  std::vector<StripSegment> segments;
  for (size_t b = 0; b < slices; ++b) {
    if (state[b] == kBlank) continue;
    const double from = start + width * double(b), to = start + width * double(b + 1);
    const bool up = state[b] == kUp;
    if (!segments.empty() && segments.back().up == up && segments.back().to_s == from) {
      segments.back().to_s = to;
    } else {
      segments.push_back(StripSegment{from, to, up});
    }
  }
  return segments;
}

}  // namespace

std::vector<ChartBand> FaultBands(const RunResult& result) {
  std::vector<ChartBand> bands;
  for (const FaultRecord& f : result.faults) {
    ChartBand band;
    band.from_s = f.applied_at_s.value_or(f.planned_at_s);
    const std::optional<double> end = f.applied_at_s ? f.reverted_at_s : f.planned_end_s;
    band.to_s = end.value_or(band.from_s);
    band.label = f.state == "failed" ? f.name + " (failed)" : f.name;
    bands.push_back(band);
  }
  return bands;
}

ChartSpec LatencyChart(const RunResult& result) {
  ChartSpec spec;
  spec.title = "Latency per second (p50 and p99)";
  spec.y_label = "ms";
  spec.x_max_s = RunLength(result);
  spec.bands = FaultBands(result);
  ChartSeries p50{"p50", kP50Color, {}}, p99{"p99", kP99Color, {}};
  double lowest = INFINITY, highest = 0;
  std::vector<SecondSample> series = result.series;
  std::sort(series.begin(), series.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  for (const SecondSample& s : series) {
    if (s.requests == 0) continue;
    const double x = s.second + 0.5;
    p50.points.emplace_back(x, s.p50_ms);
    p99.points.emplace_back(x, s.p99_ms);
    if (s.p50_ms > 0) lowest = std::min(lowest, s.p50_ms);
    highest = std::max(highest, s.p99_ms);
  }
  spec.log_y = std::isfinite(lowest) && highest > 20 * lowest;
  spec.series = {std::move(p50), std::move(p99)};
  return spec;
}

ChartSpec ThroughputChart(const RunResult& result) {
  ChartSpec spec;
  spec.title = "Throughput and errors per second";
  spec.y_label = "req/s";
  spec.x_max_s = RunLength(result);
  spec.bands = FaultBands(result);
  std::map<uint32_t, const SecondSample*> by_second;
  for (const SecondSample& s : result.series) by_second[s.second] = &s;
  ChartSeries ok{"ok/s", kOkColor, {}}, errors{"errors/s", kErrorColor, {}};
  // A run of 20.0001 s has 20 whole seconds, not a 21st with nothing in it.
  const auto seconds =
      static_cast<uint32_t>(std::ceil(std::max(0.0, std::min(spec.x_max_s, kMaxPlottedSeconds) - 0.01)));
  for (uint32_t second = 0; second < seconds; ++second) {
    auto it = by_second.find(second);
    const uint64_t requests = it == by_second.end() ? 0 : it->second->requests;
    const uint64_t failed = it == by_second.end() ? 0 : std::min(it->second->errors, requests);
    ok.points.emplace_back(second + 0.5, double(requests - failed));
    errors.points.emplace_back(second + 0.5, double(failed));
  }
  spec.series = {std::move(ok), std::move(errors)};
  return spec;
}

bool IsHealthSeries(const ProbeSeries& series) { return series.value == "healthy"; }

ChartSpec ProbeChart(const RunResult& result, const ProbeSeries& series) {
  ChartSpec spec;
  spec.title = fmt::format("{} {} over time", series.probe, series.value);
  spec.x_max_s = RunLength(result);
  spec.bands = FaultBands(result);
  spec.height = kProbeChartHeight;
  double largest = 0;
  for (const auto& [t, v] : series.points) {
    if (std::isfinite(v)) largest = std::max(largest, std::abs(v));
  }
  const DisplayUnit unit = ScaleUnit(series.unit, largest);
  spec.y_label = unit.label.empty() ? "count" : unit.label;
  std::vector<std::pair<double, double>> points;
  points.reserve(series.points.size());
  for (const auto& [t, v] : series.points) points.emplace_back(t, v / unit.divisor);
  spec.series = {ChartSeries{series.value, kProbeColor, DownsampleMinMax(points, kMaxDrawnPoints)}};
  return spec;
}

StripSpec ProbeHealthStrip(const RunResult& result) {
  StripSpec spec;
  spec.title = "Probe health over time";
  spec.x_max_s = RunLength(result);
  spec.bands = FaultBands(result);
  for (const ProbeSeries& series : result.probes) {
    if (!IsHealthSeries(series)) continue;
    std::vector<StripSegment> segments = ExactSegments(series.points);
    if (segments.size() > kMaxDrawnPoints) segments = SlicedSegments(segments, kMaxDrawnPoints);
    spec.tracks.push_back(StripTrack{series.probe, std::move(segments)});
  }
  return spec;
}

}  // namespace faultdrill::reports
