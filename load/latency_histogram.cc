#include "load/latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace faultdrill::load {

uint64_t LatencyHistogram::BucketLow(size_t index) {
  if (index < kLinearBuckets) return index;
  const size_t octave = (index - kLinearBuckets) / kSubBuckets;
  const size_t sub = (index - kLinearBuckets) % kSubBuckets;
  const int shift = int(octave) + kLinearBits - kSubBits;
  return uint64_t(kSubBuckets + sub) << shift;
}

uint64_t LatencyHistogram::BucketWidth(size_t index) {
  if (index < kLinearBuckets) return 1;
  const size_t octave = (index - kLinearBuckets) / kSubBuckets;
  return uint64_t{1} << (int(octave) + kLinearBits - kSubBits);
}

Duration LatencyHistogram::Percentile(double q) const {
  if (count_ == 0) return Duration(0);
  q = std::clamp(q, 0.0, 1.0);
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * double(count_)));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  if (rank == count_) return Duration(max_);
  uint64_t seen = 0;
  for (size_t i = low_index_; i <= high_index_; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      if (i == kBucketCount - 1) return Duration(max_);  // beyond the resolved range
      const uint64_t mid = BucketLow(i) + BucketWidth(i) / 2;
      return Duration(std::clamp(mid, min_, max_));
    }
  }
  return Duration(max_);
}

Duration LatencyHistogram::Mean() const {
  if (count_ == 0) return Duration(0);
  return Duration(static_cast<int64_t>(double(sum_ns_) / double(count_)));
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  for (size_t i = other.low_index_; i <= other.high_index_; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ns_ = (sum_ns_ + other.sum_ns_ < sum_ns_) ? UINT64_MAX : sum_ns_ + other.sum_ns_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  low_index_ = std::min(low_index_, other.low_index_);
  high_index_ = std::max(high_index_, other.high_index_);
}

void LatencyHistogram::Reset() {
  if (count_ != 0) {
    std::fill(counts_.begin() + low_index_, counts_.begin() + high_index_ + 1, 0);
  }
  count_ = 0;
  sum_ns_ = 0;
  min_ = UINT64_MAX;
  max_ = 0;
  low_index_ = kBucketCount;
  high_index_ = 0;
}

LatencySummary LatencyHistogram::Summary() const {
  LatencySummary s;
  s.count = count_;
  if (count_ == 0) return s;
  s.p50_ms = ToMillis(Percentile(0.50));
  s.p90_ms = ToMillis(Percentile(0.90));
  s.p99_ms = ToMillis(Percentile(0.99));
  s.p999_ms = ToMillis(Percentile(0.999));
  s.max_ms = ToMillis(Max());
  s.mean_ms = ToMillis(Mean());
  return s;
}

}  // namespace faultdrill::load
