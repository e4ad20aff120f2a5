#include "judge/window_check.h"

#include <algorithm>

#include "core/duration.h"
#include "fmt/format.h"
#include "judge/verdict_format.h"

namespace faultdrill::judge {
namespace {

// The percentile `kField` of the window's latency summary `kSummary`.
template <LatencySummary WindowResult::*kSummary, double LatencySummary::*kField>
double Percentile(const WindowResult& w) {
  return (w.*kSummary).*kField;
}

template <double LatencySummary::*kField>
Threshold Latency(std::string_view key, std::string_view label, Duration limit, LatencyOf of) {
  const bool all = of == LatencyOf::kAll;
  Threshold t{key, key, label, kAtMost, ToMillis(limit), "ms",
              all ? &Percentile<&WindowResult::latency, kField> : &Percentile<&WindowResult::ok_latency, kField>};
  t.latency_of = of;
  return t;
}

}  // namespace

std::vector<Threshold> WindowThresholds(const SloSpec& slo) {
  std::vector<Threshold> out;
  const LatencyOf of = slo.latency_of;
  const bool all = of == LatencyOf::kAll;
  if (slo.p50_latency) {
    out.push_back(Latency<&LatencySummary::p50_ms>("p50_latency", all ? "p50 (all calls)" : "p50", *slo.p50_latency, of));
  }
  if (slo.p90_latency) {
    out.push_back(Latency<&LatencySummary::p90_ms>("p90_latency", all ? "p90 (all calls)" : "p90", *slo.p90_latency, of));
  }
  if (slo.p99_latency) {
    out.push_back(Latency<&LatencySummary::p99_ms>("p99_latency", all ? "p99 (all calls)" : "p99", *slo.p99_latency, of));
  }
  if (slo.p999_latency) {
    out.push_back(
        Latency<&LatencySummary::p999_ms>("p999_latency", all ? "p99.9 (all calls)" : "p99.9", *slo.p999_latency, of));
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
  return fmt::format("{} {} {}{}", threshold.key, threshold.comparison, FormatValue(threshold.threshold, threshold.unit),
                     threshold.latency_of == LatencyOf::kAll ? " (all calls)" : "");
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
  if (threshold.latency_of == LatencyOf::kOk && window->ok == 0) {
    v.message = fmt::format("no successful calls in window {}: all {} failed ({} of successful calls could not be "
                            "checked)",
                            window_name, window->requests, wanted);
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
