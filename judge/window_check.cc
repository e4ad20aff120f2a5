#include "judge/window_check.h"

#include <algorithm>

#include "core/duration.h"
#include "fmt/format.h"
#include "judge/verdict_format.h"

namespace faultdrill::judge {
namespace {

Threshold Latency(std::string_view key, std::string_view label, Duration limit,
                  double (*measure)(const WindowResult&)) {
  return Threshold{key, key, label, kAtMost, ToMillis(limit), "ms", measure};
}

}  // namespace

std::vector<Threshold> WindowThresholds(const SloSpec& slo) {
  std::vector<Threshold> out;
  if (slo.p50_latency) {
    out.push_back(Latency("p50_latency", "p50", *slo.p50_latency,
                          [](const WindowResult& w) { return w.latency.p50_ms; }));
  }
  if (slo.p90_latency) {
    out.push_back(Latency("p90_latency", "p90", *slo.p90_latency,
                          [](const WindowResult& w) { return w.latency.p90_ms; }));
  }
  if (slo.p99_latency) {
    out.push_back(Latency("p99_latency", "p99", *slo.p99_latency,
                          [](const WindowResult& w) { return w.latency.p99_ms; }));
  }
  if (slo.p999_latency) {
    out.push_back(Latency("p999_latency", "p99.9", *slo.p999_latency,
                          [](const WindowResult& w) { return w.latency.p999_ms; }));
  }
  if (slo.error_rate) {
    out.push_back(Threshold{"error_rate", "error_rate", "error rate", kAtMost, *slo.error_rate * 100.0,
                            "%", [](const WindowResult& w) { return w.error_rate() * 100.0; }});
  }
  if (slo.min_throughput) {
    out.push_back(Threshold{"min_throughput", "throughput", "throughput", kAtLeast,
                            slo.min_throughput->per_second, "req/s",
                            [](const WindowResult& w) { return w.throughput_rps; }});
  }
  return out;
}

int ThresholdCount(const SloSpec& slo) {
  return static_cast<int>(WindowThresholds(slo).size()) + (slo.recovery_time ? 1 : 0) + (slo.probe ? 1 : 0);
}

std::string VerdictName(std::string_view prefix, const SloSpec& slo, std::string_view key, std::string_view what,
                        std::string_view window_name) {
  if (!slo.named || slo.name.empty()) {
    return prefix.empty() ? fmt::format("{} in {}", what, window_name) : fmt::format("{}{}", prefix, what);
  }
  std::string base = slo.name;
  if (ThresholdCount(slo) > 1) base = fmt::format("{} — {}", base, key);
  return fmt::format("{}{}", prefix, base);
}

std::string ThresholdText(const Threshold& threshold) {
  return fmt::format("{} {} {}", threshold.key, threshold.comparison, FormatValue(threshold.threshold, threshold.unit));
}

Verdict CheckThreshold(const Threshold& threshold, std::string_view window_name,
                       const WindowResult* window) {
  Verdict v;
  v.window = std::string(window_name);
  v.metric = std::string(threshold.metric);
  v.comparison = std::string(threshold.comparison);
  v.threshold = threshold.threshold;
  v.unit = std::string(threshold.unit);
  const std::string wanted = fmt::format("{} {} {}", threshold.label, threshold.comparison,
                                         FormatValue(threshold.threshold, threshold.unit));
  if (window == nullptr) {
    v.message = fmt::format("window {} was not measured ({} could not be checked)", window_name, wanted);
    return v;
  }
  v.duration_s = std::max(0.0, window->end_s - window->start_s);
  if (window->requests == 0) {
    v.message = fmt::format("no requests in window {} ({} could not be checked)", window_name, wanted);
    return v;
  }
  const double measured = threshold.measure(*window);
  v.measured = measured;
  v.passed = Satisfies(measured, threshold.comparison, threshold.threshold);
  v.message = fmt::format("{} {} {} {} in {}", threshold.label, FormatValue(measured, threshold.unit),
                          v.passed ? threshold.comparison : Violated(threshold.comparison),
                          FormatValue(threshold.threshold, threshold.unit), window_name);
  return v;
}

std::string UniqueNames::Claim(std::string name) {
  auto taken = [this](const std::string& n) { return std::find(used_.begin(), used_.end(), n) != used_.end(); };
  std::string unique = name;
  for (int n = 2; taken(unique); ++n) unique = fmt::format("{} ({})", name, n);
  used_.push_back(unique);
  return unique;
}

}  // namespace faultdrill::judge
