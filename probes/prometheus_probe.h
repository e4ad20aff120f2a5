// `prometheus`: scrapes a metrics endpoint (Prometheus text format over
// HTTP), selects series by name and labels, and reports them as values:
// plain values, per-second rates of counters, histogram quantiles.
//
//   probes:
//     - name: server
//       kind: prometheus
//       url: http://127.0.0.1:9100/metrics   # default: the embedded server's metrics
//       timeout: 1s
//       series:
//         - {name: requests_per_s, metric: faultdrill_requests_total, rate: true}
//         - {name: errors_per_s, metric: faultdrill_request_errors_total, rate: true}
//         - {name: queue_depth, metric: faultdrill_queue_depth, aggregate: max}
//         - {name: ok_tinylm, metric: faultdrill_requests_total, labels: {model: tinylm, code: OK}}
//         - {name: p99_seconds, histogram: faultdrill_request_duration_seconds, quantile: 0.99}
//
// Without `series`, the values are those of the reference server
// (faultdrill-model-server --metrics-port): requests_per_s, errors_per_s
// (rates of faultdrill_requests_total and faultdrill_request_errors_total),
// queue_depth (max of faultdrill_queue_depth), p99_seconds (of
// faultdrill_request_duration_seconds) and models_ready (sum of
// faultdrill_model_ready).
//
// A series entry: `name` (the value's name: lowercase letters, digits, '_'),
// then either `metric` (a sample name) with `labels` (a subset to match;
// "" matches a missing label), `aggregate` (sum|max|min|avg over the
// matching samples, default sum), `rate` (per-second rate of a counter
// between scrapes) — or `histogram` (a histogram's name) with `quantile`
// (0..1) and `labels`. `unit` defaults to "1/s" for rates, "s" for
// quantiles of a histogram named *_seconds, else "". See
// probes/prometheus_series.h for how values are computed.
//
// The URL's host must be loopback or listed in target.allow_hosts, as for
// the load. Without `url` the probe asks the run for the target's metrics
// endpoint when it checks (ProbeContext::target_metrics_url); when there is
// none, the check fails with "the target exposes no metrics endpoint; set url".
//
// Healthy: the scrape succeeded and parsed. Malformed lines are skipped and
// reported in the detail (one odd line does not blind the probe); a value
// that could not be formed this time is left out and explained there too.
#ifndef FAULTDRILL_PROBES_PROMETHEUS_PROBE_H_
#define FAULTDRILL_PROBES_PROMETHEUS_PROBE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/clock.h"
#include "core/scenario.h"
#include "probes/http_fetch.h"
#include "probes/probe.h"
#include "probes/prometheus_series.h"
#include "probes/prometheus_text.h"
#include "probes/registry.h"

namespace faultdrill::probes {

struct PrometheusProbeSettings {
  std::optional<HttpUrl> url;            // unset: the target's metrics endpoint, asked at check time
  std::vector<std::string> allow_hosts;  // besides loopback (target.allow_hosts)
  FetchLimits fetch;                     // fetch.timeout is `timeout`
  ParseLimits parse;
  std::vector<SeriesSpec> series;
};

// Validates a `kind: prometheus` entry (located file:line:col errors).
absl::StatusOr<PrometheusProbeSettings> ParsePrometheusProbe(const ProbeSpec& spec, const Scenario& scenario);


class PrometheusProbe final : public Probe {
 public:
  // The registry's factory: validates, builds with the real fetcher and clock.
  static absl::StatusOr<std::unique_ptr<Probe>> Create(const ProbeSpec& spec, const ProbeContext& context);

  // `default_url` is asked on every check when settings.url is unset (empty:
  // none). `clock` must outlive the probe.
  PrometheusProbe(PrometheusProbeSettings settings, std::function<std::string()> default_url,
                  std::unique_ptr<HttpFetcher> fetcher, const Clock& clock);

  std::string Describe() const override;
  std::vector<ValueInfo> Values() const override;
  ProbeResult Check() override;

 private:
  // The URL to scrape now, or why there is none.
  absl::StatusOr<HttpUrl> UrlNow() const;

  // Constant after construction.
  const PrometheusProbeSettings settings_;
  const std::function<std::string()> default_url_;
  const std::unique_ptr<HttpFetcher> fetcher_;
  const Clock& clock_;

  SeriesTracker tracker_;
};

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_PROMETHEUS_PROBE_H_
