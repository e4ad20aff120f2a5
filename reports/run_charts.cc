#include "reports/run_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "fmt/format.h"
#include "reports/report_text.h"

namespace faultdrill::reports {
namespace {

constexpr char kP50Color[] = "#3b82c4";
constexpr char kP90Color[] = "#8b5cf6";
constexpr char kP99Color[] = "#d9622b";
constexpr char kFailedColor[] = "#9b2c2c";
constexpr char kOkColor[] = "#2f855a";
constexpr char kErrorColor[] = "#c53030";
constexpr char kProbeColor[] = "#6b46c1";
// One colour per drawn error code, most errors first; the last for "other codes".
constexpr const char* kCodeColors[kMaxErrorCodesDrawn + 1] = {"#c53030", "#dd6b20", "#805ad5", "#2b6cb0",
                                                              "#319795", "#b7791f", "#718096"};
constexpr int kSmallChartHeight = 220;
// A bound on the seconds plotted (about 11 days), against a corrupt duration.
constexpr double kMaxPlottedSeconds = 1e6;

// A series as drawn: at most kMaxDrawnPoints points (the one downsampler for
// every chart of the report).
ChartSeries Drawn(std::string name, std::string color, const std::vector<std::pair<double, double>>& points) {
  return ChartSeries{std::move(name), std::move(color), DownsampleMinMax(points, kMaxDrawnPoints)};
}

// A chart on the run's time axis with its faults shaded.
ChartSpec TimelineChart(const RunResult& result, std::string title, std::string y_label) {
  ChartSpec spec;
  spec.title = std::move(title);
  spec.y_label = std::move(y_label);
  spec.x_max_s = TimelineEnd(result);
  spec.bands = FaultBands(result);
  return spec;
}

// The samples in time order, by second.
std::map<uint32_t, const SecondSample*> BySecond(const RunResult& result) {
  std::map<uint32_t, const SecondSample*> by_second;
  for (const SecondSample& s : result.series) by_second[s.second] = &s;
  return by_second;
}

// The whole seconds of the axis: a run of 20.0001 s has 20, not a 21st with
// nothing in it.
uint32_t WholeSeconds(const RunResult& result) {
  return static_cast<uint32_t>(std::ceil(std::max(0.0, std::min(TimelineEnd(result), kMaxPlottedSeconds) - 0.01)));
}

// The error codes by total count, most first (ties by name).
std::vector<std::string> CodesByCount(const RunResult& result) {
  std::map<std::string, uint64_t> totals;
  for (const SecondSample& s : result.series) {
    for (const auto& [code, count] : s.errors_by_code) totals[code] += count;
  }
  std::vector<std::pair<std::string, uint64_t>> sorted(totals.begin(), totals.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> codes;
  for (const auto& [code, total] : sorted) {
    if (total > 0) codes.push_back(code);
  }
  return codes;
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

double TimelineEnd(const RunResult& result) {
  double end = std::isfinite(result.duration_s) ? result.duration_s : 0;
  for (const SecondSample& s : result.series) end = std::max(end, double(s.second) + 1);
  return end;
}

std::vector<ChartBand> FaultBands(const RunResult& result) {
  std::vector<ChartBand> bands;
  for (const FaultRecord& f : result.faults) {
    ChartBand band;
    band.key = std::to_string(bands.size() + 1);  // its row in the injector log
    band.from_s = f.applied_at_s.value_or(f.planned_at_s);
    const std::optional<double> end = f.applied_at_s ? f.reverted_at_s : f.planned_end_s;
    band.to_s = end.value_or(band.from_s);
    band.label = f.state == "failed" ? f.name + " (failed)" : f.name;
    bands.push_back(band);
  }
  return bands;
}

ChartSpec LatencyChart(const RunResult& result) {
  ChartSpec spec = TimelineChart(result, "Latency per second: successful calls (p50, p90, p99), failed calls (p99)",
                                 "latency (ms)");
  const std::map<uint32_t, const SecondSample*> by_second = BySecond(result);
  std::vector<std::pair<double, double>> p50, p90, p99, failed;
  double lowest = INFINITY, highest = 0;
  bool has_p90 = false, has_failed = false;
  const uint32_t seconds = WholeSeconds(result);
  for (uint32_t second = 0; second < seconds; ++second) {
    auto it = by_second.find(second);
    const SecondSample* s = it == by_second.end() ? nullptr : it->second;
    const double x = second + 0.5;
    if (s != nullptr && s->ok() > 0) {
      const SecondLatency& ok = s->ok_latency;
      p50.emplace_back(x, ok.p50_ms);
      p90.emplace_back(x, ok.p90_ms);
      p99.emplace_back(x, ok.p99_ms);
      has_p90 = has_p90 || ok.p90_ms > 0;
      if (ok.p50_ms > 0) lowest = std::min(lowest, ok.p50_ms);
      highest = std::max(highest, ok.p99_ms);
    } else {  // nothing succeeded: no latency to draw, a gap
      for (auto* line : {&p50, &p90, &p99}) line->emplace_back(x, kGap);
    }
    if (s != nullptr && s->errors > 0) {
      failed.emplace_back(x, s->failed_latency.p99_ms);
      has_failed = true;
      if (s->failed_latency.p99_ms > 0) lowest = std::min(lowest, s->failed_latency.p99_ms);
      highest = std::max(highest, s->failed_latency.p99_ms);
    } else {
      failed.emplace_back(x, kGap);
    }
  }
  spec.log_y = std::isfinite(lowest) && highest > 20 * lowest;
  spec.series.push_back(Drawn("p50", kP50Color, p50));
  if (has_p90) spec.series.push_back(Drawn("p90", kP90Color, p90));
  spec.series.push_back(Drawn("p99", kP99Color, p99));
  if (has_failed) spec.series.push_back(Drawn("failed p99", kFailedColor, failed));
  return spec;
}

ChartSpec ThroughputChart(const RunResult& result) {
  ChartSpec spec = TimelineChart(result, "Throughput and errors per second", "requests per second (req/s)");
  spec.height = kSmallChartHeight + 20;
  const std::map<uint32_t, const SecondSample*> by_second = BySecond(result);
  std::vector<std::pair<double, double>> ok, errors;
  const uint32_t seconds = WholeSeconds(result);
  for (uint32_t second = 0; second < seconds; ++second) {
    auto it = by_second.find(second);
    const uint64_t requests = it == by_second.end() ? 0 : it->second->requests;
    const uint64_t failed = it == by_second.end() ? 0 : std::min(it->second->errors, requests);
    ok.emplace_back(second + 0.5, double(requests - failed));
    errors.emplace_back(second + 0.5, double(failed));
  }
  spec.series = {Drawn("ok/s", kOkColor, ok), Drawn("errors/s", kErrorColor, errors)};
  return spec;
}

ChartSpec ErrorsByCodeChart(const RunResult& result) {
  ChartSpec spec = TimelineChart(result, "Errors per second by gRPC status code", "errors per second (req/s)");
  spec.height = kSmallChartHeight;
  const std::vector<std::string> codes = CodesByCount(result);
  if (codes.empty()) return spec;
  const size_t drawn = codes.size() > kMaxErrorCodesDrawn ? kMaxErrorCodesDrawn - 1 : codes.size();
  const bool other = drawn < codes.size();
  std::vector<std::vector<std::pair<double, double>>> lines(drawn + (other ? 1 : 0));
  const std::map<uint32_t, const SecondSample*> by_second = BySecond(result);
  const uint32_t seconds = WholeSeconds(result);
  for (uint32_t second = 0; second < seconds; ++second) {
    auto it = by_second.find(second);
    uint64_t rest = 0;
    if (it != by_second.end()) {
      for (const auto& [code, count] : it->second->errors_by_code) rest += count;
    }
    for (size_t i = 0; i < drawn; ++i) {
      uint64_t count = 0;
      if (it != by_second.end()) {
        auto found = it->second->errors_by_code.find(codes[i]);
        if (found != it->second->errors_by_code.end()) count = found->second;
      }
      lines[i].emplace_back(second + 0.5, double(count));
      rest -= count;
    }
    if (other) lines[drawn].emplace_back(second + 0.5, double(rest));
  }
  for (size_t i = 0; i < drawn; ++i) spec.series.push_back(Drawn(codes[i], kCodeColors[i], lines[i]));
  if (other) {
    spec.series.push_back(
        Drawn(fmt::format("{} other codes", codes.size() - drawn), kCodeColors[kMaxErrorCodesDrawn], lines[drawn]));
  }
  return spec;
}

bool IsHealthSeries(const ProbeSeries& series) { return series.value == "healthy"; }

ChartSpec ProbeChart(const RunResult& result, const ProbeSeries& series) {
  double largest = 0;
  for (const auto& [t, v] : series.points) {
    if (std::isfinite(v)) largest = std::max(largest, std::abs(v));
  }
  const DisplayUnit unit = ScaleUnit(series.unit, largest);
  ChartSpec spec = TimelineChart(result, fmt::format("{} {} over time", series.probe, series.value),
                                 fmt::format("{} ({})", series.value, unit.label.empty() ? "count" : unit.label));
  spec.height = kSmallChartHeight;
  std::vector<std::pair<double, double>> points;
  points.reserve(series.points.size());
  for (const auto& [t, v] : series.points) points.emplace_back(t, v / unit.divisor);
  spec.series = {Drawn(series.value, kProbeColor, points)};
  return spec;
}

StripSpec ProbeHealthStrip(const RunResult& result) {
  StripSpec spec;
  spec.title = "Probe health over time";
  spec.x_max_s = TimelineEnd(result);
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
