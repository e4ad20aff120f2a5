#include "probes/prometheus_series.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string_view>
#include <unordered_map>

#include "fmt/format.h"

namespace faultdrill::probes {
namespace {

std::string_view AggregateName(SeriesSpec::Aggregate aggregate) {
  switch (aggregate) {
    case SeriesSpec::Aggregate::kSum:
      return "sum";
    case SeriesSpec::Aggregate::kMax:
      return "max";
    case SeriesSpec::Aggregate::kMin:
      return "min";
    case SeriesSpec::Aggregate::kAvg:
      return "avg";
  }
  return "sum";
}

bool Matches(const Sample& sample, const SeriesSpec& spec) {
  for (const auto& [label, wanted] : spec.labels) {
    const std::string* value = sample.Label(label);
    if (std::string_view(value != nullptr ? *value : std::string()) != wanted) return false;
  }
  return true;
}

// The sample's labels, sorted, in one string ("code\x1fOK\x1e...").
std::string KeyOf(const Sample& sample) {
  std::vector<const std::pair<std::string, std::string>*> labels;
  labels.reserve(sample.labels.size());
  for (const auto& label : sample.labels) labels.push_back(&label);
  std::sort(labels.begin(), labels.end(), [](auto* a, auto* b) { return a->first < b->first; });
  std::string key;
  for (const auto* label : labels) fmt::format_to(std::back_inserter(key), "{}\x1f{}\x1e", label->first, label->second);
  return key;
}

double Reduce(SeriesSpec::Aggregate aggregate, const std::vector<double>& values) {
  double result = aggregate == SeriesSpec::Aggregate::kMax   ? -INFINITY
                  : aggregate == SeriesSpec::Aggregate::kMin ? INFINITY
                                                             : 0.0;
  for (double value : values) {
    switch (aggregate) {
      case SeriesSpec::Aggregate::kMax:
        result = std::isnan(value) ? value : std::max(result, value);
        break;
      case SeriesSpec::Aggregate::kMin:
        result = std::isnan(value) ? value : std::min(result, value);
        break;
      case SeriesSpec::Aggregate::kSum:
      case SeriesSpec::Aggregate::kAvg:
        result += value;
        break;
    }
    if (std::isnan(result)) return result;
  }
  if (aggregate == SeriesSpec::Aggregate::kAvg) result /= static_cast<double>(values.size());
  return result;
}

// How much a counter grew since `previous` (none: it is new and counts from
// 0); a counter that went down was reset and counts from 0 too.
double Increase(double now, const double* previous) {
  if (previous == nullptr || now < *previous) return now;
  return now - *previous;
}

}  // namespace

std::string SeriesSpec::ToString() const {
  std::string selector = quantile ? metric + "_bucket" : metric;
  if (!labels.empty()) {
    selector += "{";
    for (size_t i = 0; i < labels.size(); ++i) {
      fmt::format_to(std::back_inserter(selector), "{}{}=\"{}\"", i == 0 ? "" : ",", labels[i].first, labels[i].second);
    }
    selector += "}";
  }
  if (quantile) return fmt::format("histogram_quantile({}, sum by (le)(increase({})))", *quantile, selector);
  if (rate) return fmt::format("{}(rate({}))", AggregateName(aggregate), selector);
  return fmt::format("{}({})", AggregateName(aggregate), selector);
}

SeriesTracker::SeriesTracker(std::vector<SeriesSpec> specs) : specs_(std::move(specs)), previous_(specs_.size()) {}

std::vector<ProbeValue> SeriesTracker::Update(const Exposition& scrape, Clock::TimePoint at,
                                              std::vector<std::string>* notes) {
  std::unordered_map<std::string_view, std::vector<const Sample*>> by_name;
  for (const Sample& sample : scrape.samples) by_name[sample.name].push_back(&sample);

  std::vector<ProbeValue> values;
  for (size_t i = 0; i < specs_.size(); ++i) {
    const SeriesSpec& spec = specs_[i];
    const auto found = by_name.find(spec.quantile ? spec.metric + "_bucket" : spec.metric);
    // By series: a series written twice counts once (the last one).
    std::map<std::string, const Sample*> matching;
    if (found != by_name.end()) {
      for (const Sample* sample : found->second) {
        if (Matches(*sample, spec)) matching[KeyOf(*sample)] = sample;
      }
    }
    auto leave_out = [&](std::string_view why) { notes->push_back(fmt::format("{}: {}", spec.name, why)); };
    if (matching.empty()) {
      leave_out(fmt::format("no sample matches {}", spec.ToString()));
      continue;
    }
    Previous& previous = previous_[i];
    std::optional<double> seconds;
    if (previous.at) seconds = std::chrono::duration<double>(at - *previous.at).count();
    auto increase = [&](const std::string& key, double now) {
      const auto before = previous.values.find(key);
      return Increase(now, before == previous.values.end() ? nullptr : &before->second);
    };

    std::optional<double> value;
    if (!spec.rate && !spec.quantile) {
      std::vector<double> samples;
      for (const auto& [key, sample] : matching) samples.push_back(sample->value);
      value = Reduce(spec.aggregate, samples);
    } else if (!seconds) {
      leave_out("no value before the second scrape");
    } else if (*seconds <= 0) {
      leave_out("no time passed since the previous scrape");
    } else if (spec.rate) {
      std::vector<double> rates;
      for (const auto& [key, sample] : matching) rates.push_back(increase(key, sample->value) / *seconds);
      value = Reduce(spec.aggregate, rates);
    } else {
      std::map<double, double> buckets;  // increase by upper bound, summed over series
      for (const auto& [key, sample] : matching) {
        const std::string* le = sample->Label("le");
        std::optional<double> upper = le != nullptr ? ParsePrometheusValue(*le) : std::nullopt;
        if (!upper || std::isnan(*upper)) continue;
        buckets[*upper] += increase(key, sample->value);
      }
      value = HistogramQuantile(*spec.quantile, std::move(buckets));
      if (!value) leave_out(fmt::format("no observations in {} since the previous scrape", spec.metric));
    }
    if (value && !std::isfinite(*value)) {
      leave_out(fmt::format("{} is {}", spec.ToString(), *value));
      value.reset();
    }
    if (value) values.push_back({spec.name, *value});

    if (spec.rate || spec.quantile) {
      previous.at = at;
      previous.values.clear();
      for (const auto& [key, sample] : matching) previous.values[key] = sample->value;
    }
  }
  return values;
}

std::optional<double> HistogramQuantile(double q, std::map<double, double> cumulative_by_upper_bound) {
  if (cumulative_by_upper_bound.size() < 2) return std::nullopt;
  if (!std::isinf(cumulative_by_upper_bound.rbegin()->first)) return std::nullopt;
  std::vector<std::pair<double, double>> buckets(cumulative_by_upper_bound.begin(), cumulative_by_upper_bound.end());
  // Counts must not decrease with the bound; scrapes racing observations can
  // break that slightly, and Prometheus repairs it the same way.
  for (size_t i = 1; i < buckets.size(); ++i) buckets[i].second = std::max(buckets[i].second, buckets[i - 1].second);
  const double observations = buckets.back().second;
  if (!(observations > 0)) return std::nullopt;
  if (q < 0) return -INFINITY;
  if (q > 1) return INFINITY;
  double rank = q * observations;
  size_t b = 0;
  while (b < buckets.size() && buckets[b].second < rank) ++b;
  if (b >= buckets.size() - 1) return buckets[buckets.size() - 2].first;
  if (b == 0 && buckets[0].first <= 0) return buckets[0].first;
  double start = 0;
  double end = buckets[b].first;
  double count = buckets[b].second;
  if (b > 0) {
    start = buckets[b - 1].first;
    count -= buckets[b - 1].second;
    rank -= buckets[b - 1].second;
  }
  return start + (end - start) * (rank / count);
}

}  // namespace faultdrill::probes
