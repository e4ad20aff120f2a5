#include "probes/prometheus_probe.h"

#include <algorithm>

#include "core/allowed_hosts.h"
#include "fmt/format.h"

namespace faultdrill::probes {
namespace {

bool IsValueName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// [a-zA-Z_:][a-zA-Z0-9_:]* (metric) or [a-zA-Z_][a-zA-Z0-9_]* (label).
bool IsPrometheusName(std::string_view name, bool metric) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (metric && c == ':') ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseLabels(const ParamReader& r) {
  std::vector<std::pair<std::string, std::string>> labels;
  auto map = r.Map("labels");
  if (!map.ok()) return map.status();
  if (*map == nullptr) return labels;
  const ParamNode& node = **map;
  for (size_t i = 0; i < node.entries.size(); ++i) {
    const auto& [name, value] = node.entries[i];
    const SourceLocation& key_where = i < node.key_where.size() ? node.key_where[i] : node.where;
    if (!IsPrometheusName(name, /*metric=*/false)) {
      return LocatedError(
          key_where, fmt::format("{}: labels: '{}' is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)", r.context(), name));
    }
    if (value.kind != ParamNode::Kind::kScalar) {
      return LocatedError(value.where, fmt::format("{}: labels: {}: expected a string, got {}", r.context(), name,
                                                   ParamKindName(value.kind)));
    }
    labels.emplace_back(name, value.scalar);
  }
  return labels;
}

absl::StatusOr<SeriesSpec> ParseSeries(const ParamNode& item, const std::string& context) {
  if (item.kind != ParamNode::Kind::kMap) {
    return LocatedError(item.where, fmt::format("{}: expected a map like {{name: requests_per_s, metric: "
                                                "requests_total, rate: true}}, got {}",
                                                context, ParamKindName(item.kind)));
  }
  ParamReader r(item, context);
  if (absl::Status s =
          r.CheckKnownKeys({"name", "metric", "histogram", "quantile", "labels", "aggregate", "rate", "unit"});
      !s.ok()) {
    return s;
  }
  SeriesSpec spec;
  auto name = r.String("name");
  if (!name.ok()) return name.status();
  if (!IsValueName(*name) || *name == "healthy") {
    return r.Error("name", "must be lowercase letters, digits and '_' (and not 'healthy', which every probe reports)");
  }
  spec.name = *name;

  const bool histogram = r.Has("histogram");
  if (histogram == r.Has("metric")) {
    return histogram
               ? r.Error("histogram", "give either `metric` or `histogram`, not both")
               : r.MapError("needs `metric` (a sample name) or `histogram` (a histogram's name, with `quantile`)");
  }
  auto metric = r.String(histogram ? "histogram" : "metric");
  if (!metric.ok()) return metric.status();
  if (!IsPrometheusName(*metric, /*metric=*/true)) {
    return r.Error(histogram ? "histogram" : "metric", "is not a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
  }
  if (histogram && metric->ends_with("_bucket")) {
    return r.Error("histogram", "name the histogram itself, without the _bucket suffix");
  }
  spec.metric = *metric;

  auto labels = ParseLabels(r);
  if (!labels.ok()) return labels.status();
  spec.labels = *std::move(labels);

  if (histogram) {
    for (const char* key : {"aggregate", "rate"}) {
      if (r.Has(key)) return r.Error(key, "does not apply to a histogram quantile");
    }
    for (const auto& [label, value] : spec.labels) {
      if (label == "le") return r.Error("labels", "cannot select on 'le': the quantile is computed over the buckets");
    }
    auto quantile = r.Double("quantile", 0, 1);
    if (!quantile.ok()) return quantile.status();
    spec.quantile = *quantile;
  } else {
    if (r.Has("quantile")) return r.Error("quantile", "applies to a `histogram`, not to a `metric`");
    auto aggregate = r.Choice("aggregate", {"sum", "max", "min", "avg"}, "sum");
    if (!aggregate.ok()) return aggregate.status();
    spec.aggregate = *aggregate == "max"   ? SeriesSpec::Aggregate::kMax
                     : *aggregate == "min" ? SeriesSpec::Aggregate::kMin
                     : *aggregate == "avg" ? SeriesSpec::Aggregate::kAvg
                                           : SeriesSpec::Aggregate::kSum;
    auto rate = r.Bool("rate", false);
    if (!rate.ok()) return rate.status();
    spec.rate = *rate;
  }
  const std::string default_unit = spec.rate ? "1/s" : histogram && spec.metric.ends_with("_seconds") ? "s" : "";
  auto unit = r.String("unit", default_unit);
  if (!unit.ok()) return unit.status();
  spec.unit = *unit;
  return spec;
}

// What `faultdrill-model-server --metrics-port` exposes, as values.
std::vector<SeriesSpec> ReferenceServerSeries() {
  std::vector<SeriesSpec> series(5);
  series[0] = {.name = "requests_per_s", .unit = "1/s", .metric = "faultdrill_requests_total", .rate = true};
  series[1] = {.name = "errors_per_s", .unit = "1/s", .metric = "faultdrill_request_errors_total", .rate = true};
  series[2] = {.name = "queue_depth", .metric = "faultdrill_queue_depth", .aggregate = SeriesSpec::Aggregate::kMax};
  series[3] = {.name = "p99_seconds", .unit = "s", .metric = "faultdrill_request_duration_seconds", .quantile = 0.99};
  series[4] = {.name = "models_ready", .metric = "faultdrill_model_ready"};
  return series;
}

absl::StatusOr<HttpUrl> AllowedUrl(const std::string& text, const std::vector<std::string>& allow_hosts) {
  auto url = ParseHttpUrl(text);
  if (!url.ok()) return url.status();
  if (!HostAllowed(url->host, allow_hosts)) {
    return absl::InvalidArgumentError(fmt::format(
        "'{}' is not on loopback; list {} under target.allow_hosts to let probes reach it", url->host, url->host));
  }
  return url;
}

}  // namespace

absl::StatusOr<PrometheusProbeSettings> ParsePrometheusProbe(const ProbeSpec& spec, const Scenario& scenario) {
  const std::string context = fmt::format("probe '{}' (prometheus)", spec.name);
  ParamReader params(spec.params, context);
  if (absl::Status s = params.CheckKnownKeys({"kind", "url", "timeout", "series"}); !s.ok()) return s;
  PrometheusProbeSettings settings;
  settings.allow_hosts = scenario.target.allow_hosts;
  if (params.Has("url")) {
    auto text = params.String("url");
    if (!text.ok()) return text.status();
    auto url = AllowedUrl(*text, settings.allow_hosts);
    if (!url.ok()) return params.Error("url", std::string(url.status().message()));
    settings.url = *std::move(url);
  }
  auto timeout = params.Dur("timeout", std::chrono::seconds(1));
  if (!timeout.ok()) return timeout.status();
  if (timeout->count() <= 0) return params.Error("timeout", "must be greater than zero");
  settings.fetch.timeout = *timeout;

  auto list = params.List("series");
  if (!list.ok()) return list.status();
  if (*list == nullptr) {
    settings.series = ReferenceServerSeries();
    return settings;
  }
  if ((*list)->items.empty()) return params.Error("series", "must name at least one series");
  for (size_t i = 0; i < (*list)->items.size(); ++i) {
    auto series = ParseSeries((*list)->items[i], fmt::format("{}: series {}", context, i + 1));
    if (!series.ok()) return series.status();
    for (const SeriesSpec& earlier : settings.series) {
      if (earlier.name == series->name) {
        return LocatedError((*list)->items[i].where,
                            fmt::format("{}: series {}: name '{}' is used twice", context, i + 1, series->name));
      }
    }
    settings.series.push_back(*std::move(series));
  }
  return settings;
}

absl::StatusOr<std::unique_ptr<Probe>> PrometheusProbe::Create(const ProbeSpec& spec, const ProbeContext& context) {
  auto settings = ParsePrometheusProbe(spec, context.scenario);
  if (!settings.ok()) return settings.status();
  return std::make_unique<PrometheusProbe>(*std::move(settings), context.target_metrics_url, MakeHttpFetcher(),
                                           SystemClock());
}

PrometheusProbe::PrometheusProbe(PrometheusProbeSettings settings, std::function<std::string()> default_url,
                                 std::unique_ptr<HttpFetcher> fetcher, const Clock& clock)
    : settings_(std::move(settings)),
      default_url_(std::move(default_url)),
      fetcher_(std::move(fetcher)),
      clock_(clock),
      tracker_(settings_.series) {}

std::string PrometheusProbe::Describe() const {
  if (settings_.url) return fmt::format("prometheus metrics at {}", settings_.url->ToString());
  return "prometheus metrics of the target";
}

std::vector<ValueInfo> PrometheusProbe::Values() const {
  std::vector<ValueInfo> values;
  for (const SeriesSpec& series : settings_.series) values.push_back({series.name, series.unit});
  return values;
}

absl::StatusOr<HttpUrl> PrometheusProbe::UrlNow() const {
  if (settings_.url) return *settings_.url;
  const std::string url = default_url_ ? default_url_() : std::string();
  if (url.empty()) return absl::FailedPreconditionError("the target exposes no metrics endpoint; set url");
  return AllowedUrl(url, settings_.allow_hosts);
}

ProbeResult PrometheusProbe::Check() {
  const Clock::TimePoint start = clock_.Now();
  ProbeResult result;
  auto finish = [&](bool healthy, std::string detail) {
    result.healthy = healthy;
    result.detail = std::move(detail);
    result.took = std::chrono::duration_cast<Duration>(clock_.Now() - start);
    return result;
  };
  auto url = UrlNow();
  if (!url.ok()) return finish(false, std::string(url.status().message()));
  auto response = fetcher_->Get(*url, settings_.fetch);
  if (!response.ok()) return finish(false, std::string(response.status().message()));
  auto exposition = ParsePrometheusText(response->body, BadLines::kSkip, settings_.parse);
  if (!exposition.ok()) {
    return finish(false, fmt::format("{}: {}", url->ToString(), std::string(exposition.status().message())));
  }

  std::vector<std::string> notes;
  result.values = tracker_.Update(*exposition, clock_.Now(), &notes);
  std::string detail = fmt::format("{} samples from {}", exposition->samples.size(), url->ToString());
  if (exposition->skipped_lines > 0) {
    fmt::format_to(std::back_inserter(detail), "; skipped {} malformed line(s)", exposition->skipped_lines);
    if (!exposition->problems.empty()) {
      fmt::format_to(std::back_inserter(detail), ", the first at line {}", exposition->problems.front().ToString());
    }
  }
  for (const std::string& note : notes) fmt::format_to(std::back_inserter(detail), "; {}", note);
  return finish(true, std::move(detail));
}

}  // namespace faultdrill::probes
