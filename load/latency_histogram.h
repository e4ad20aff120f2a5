// A fixed-size log-linear latency histogram (HdrHistogram-style).
//
// Values are durations in nanoseconds. Below 128 ns every nanosecond has its
// own bucket; above, every power of two [2^k, 2^(k+1)) is split into 64 equal
// buckets, so a bucket is at most 1/64 of its lower bound wide. Percentiles
// report a bucket's midpoint (clamped to the recorded min/max), so the relative
// error of any reported value is at most kMaxRelativeError (1/128 ≈ 0.78%), and
// the absolute error below 128 ns is under 1 ns. Values up to kMaxTrackable
// (about 275 s) are resolved; larger ones land in the top bucket while Max()
// stays exact.
//
// Memory is fixed (about 17 KB, no heap); Record is O(1) and never allocates.
// Not thread-safe: callers serialise access (the Recorder holds a lock).
#ifndef FAULTDRILL_LOAD_LATENCY_HISTOGRAM_H_
#define FAULTDRILL_LOAD_LATENCY_HISTOGRAM_H_

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "core/duration.h"
#include "core/run_result.h"

namespace faultdrill::load {

class LatencyHistogram {
 public:
  static constexpr int kLinearBits = 7;                        // 128 one-ns buckets
  static constexpr int kSubBits = 6;                           // 64 buckets per octave
  static constexpr int kTopExponent = 38;                      // resolves [0, 2^38 ns)
  static constexpr size_t kLinearBuckets = size_t{1} << kLinearBits;
  static constexpr size_t kSubBuckets = size_t{1} << kSubBits;
  static constexpr size_t kBucketCount =
      kLinearBuckets + (kTopExponent - kLinearBits) * kSubBuckets;  // 2112
  static constexpr Duration kMaxTrackable{(int64_t{1} << kTopExponent) - 1};
  static constexpr double kMaxRelativeError = 1.0 / 128;

  LatencyHistogram() = default;

  // Negative values count as 0; values above kMaxTrackable count in the top bucket.
  void Record(Duration value) { RecordN(value, 1); }
  void RecordN(Duration value, uint64_t n);

  // The value at quantile q in [0, 1] (clamped): the smallest recorded bucket
  // whose cumulative count reaches ceil(q * Count()), reported as the bucket's
  // midpoint clamped to [Min(), Max()]. Percentile(1) == Max(). 0 when empty.
  Duration Percentile(double q) const;
  Duration Min() const { return count_ ? Duration(min_) : Duration(0); }
  Duration Max() const { return Duration(max_); }
  Duration Mean() const;
  uint64_t Count() const { return count_; }

  void Merge(const LatencyHistogram& other);
  // Clears only the range of buckets that was used, so reusing a histogram for
  // a few values is cheap.
  void Reset();

  // Milliseconds summary as core/run_result.h reports it (all zero when empty).
  LatencySummary Summary() const;

  // Bucket geometry, exposed for tests and benchmarks.
  static size_t BucketIndex(uint64_t ns) {
    if (ns < kLinearBuckets) return static_cast<size_t>(ns);
    const int exponent = std::bit_width(ns) - 1;  // >= kLinearBits
    if (exponent >= kTopExponent) return kBucketCount - 1;
    const int shift = exponent - kSubBits;
    const uint64_t sub = (ns >> shift) - kSubBuckets;  // [0, 64)
    return kLinearBuckets + size_t(exponent - kLinearBits) * kSubBuckets + size_t(sub);
  }
  static uint64_t BucketLow(size_t index);
  static uint64_t BucketWidth(size_t index);

 private:
  std::array<uint64_t, kBucketCount> counts_{};
  uint64_t count_ = 0;
  uint64_t sum_ns_ = 0;  // saturating
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
  size_t low_index_ = kBucketCount;  // [low_index_, high_index_] holds every non-zero bucket
  size_t high_index_ = 0;
};

inline void LatencyHistogram::RecordN(Duration value, uint64_t n) {
  const uint64_t ns = value.count() > 0 ? static_cast<uint64_t>(value.count()) : 0;
  const size_t index = BucketIndex(ns);
  counts_[index] += n;
  count_ += n;
  const uint64_t add = ns * n;
  sum_ns_ = (sum_ns_ + add < sum_ns_) ? UINT64_MAX : sum_ns_ + add;
  if (ns < min_) min_ = ns;
  if (ns > max_) max_ = ns;
  if (index < low_index_) low_index_ = index;
  if (index > high_index_) high_index_ = index;
}

}  // namespace faultdrill::load

#endif  // FAULTDRILL_LOAD_LATENCY_HISTOGRAM_H_
