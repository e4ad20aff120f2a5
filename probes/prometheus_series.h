// Turns successive scrapes of a metrics page into a probe's values: each
// SeriesSpec selects samples by name and a subset of labels and reduces them
// to one number per scrape, as a PromQL expression would:
//
//   value:     aggregate(metric{labels})               sum (default), max, min, avg
//   rate:      aggregate(rate(metric{labels}))         per second, per series
//   quantile:  histogram_quantile(q, sum by (le)(increase(metric_bucket{labels})))
//
// Rates and quantiles compare a scrape with the previous one in which the
// spec matched something (a scrape that failed or matched nothing is passed
// over, so the next interval is longer), so the first scrape reports neither. A counter that went down was reset (the
// target restarted): its increase counts from 0, as Prometheus does. A series
// that appears after the first scrape also counts from 0 (counters start at 0
// when they are created). Quantiles interpolate linearly inside the bucket,
// as Prometheus' histogram_quantile does; no observations in the interval
// means no value.
//
// A value that cannot be formed this time (nothing matches, first scrape, a
// NaN or infinite result) is left out of the result and explained in a note.
// Thread-compatible.
#ifndef FAULTDRILL_PROBES_PROMETHEUS_SERIES_H_
#define FAULTDRILL_PROBES_PROMETHEUS_SERIES_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "probes/probe.h"
#include "probes/prometheus_text.h"

namespace faultdrill::probes {

struct SeriesSpec {
  enum class Aggregate { kSum, kMax, kMin, kAvg };

  std::string name;  // the probe value's name
  std::string unit;
  // The sample name (value, rate), or the histogram's family name (quantile:
  // its `<metric>_bucket` samples are read).
  std::string metric;
  // Every one must match; an empty value matches a sample without the label.
  std::vector<std::pair<std::string, std::string>> labels;
  Aggregate aggregate = Aggregate::kSum;
  bool rate = false;
  std::optional<double> quantile;  // 0..1; set for a histogram quantile

  // "sum(rate(faultdrill_requests_total{code=\"OK\"}))", for details.
  std::string ToString() const;
};

class SeriesTracker {
 public:
  explicit SeriesTracker(std::vector<SeriesSpec> specs);

  // The values of one successful scrape taken at `at` (later than the
  // previous one's). Appends a line to `notes` for every value left out.
  std::vector<ProbeValue> Update(const Exposition& scrape, Clock::TimePoint at, std::vector<std::string>* notes);

  const std::vector<SeriesSpec>& specs() const { return specs_; }

 private:
  // What a rate or quantile compares with: the counters of the last scrape
  // in which the spec matched something, by series (its sorted labels).
  struct Previous {
    std::optional<Clock::TimePoint> at;
    std::map<std::string, double> values;
  };

  const std::vector<SeriesSpec> specs_;
  std::vector<Previous> previous_;  // one per spec
};

// histogram_quantile over cumulative bucket counts by upper bound ("le"), as
// Prometheus computes it; nullopt when there is no +Inf bucket, fewer than two
// buckets, or no observations.
std::optional<double> HistogramQuantile(double q, std::map<double, double> cumulative_by_upper_bound);

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_PROMETHEUS_SERIES_H_
