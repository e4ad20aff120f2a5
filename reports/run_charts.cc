#include "reports/run_charts.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace faultdrill::reports {
namespace {

constexpr char kP50Color[] = "#3b82c4";
constexpr char kP99Color[] = "#d9622b";
constexpr char kOkColor[] = "#2f855a";
constexpr char kErrorColor[] = "#c53030";
// A bound on the seconds plotted (about 11 days), against a corrupt duration.
constexpr double kMaxPlottedSeconds = 1e6;

double RunLength(const RunResult& result) {
  double end = std::isfinite(result.duration_s) ? result.duration_s : 0;
  for (const SecondSample& s : result.series) end = std::max(end, double(s.second) + 1);
  return end;
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

}  // namespace faultdrill::reports
