#include "load/latency_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace faultdrill::load {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

// The exact percentile with the histogram's rank rule: the ceil(q*n)-th smallest.
int64_t ExactPercentile(std::vector<int64_t> values, double q) {
  std::sort(values.begin(), values.end());
  size_t rank = size_t(std::ceil(q * double(values.size())));
  rank = std::clamp<size_t>(rank, 1, values.size());
  return values[rank - 1];
}

void ExpectWithinStatedError(int64_t exact, Duration got) {
  const double tolerance = double(exact) * LatencyHistogram::kMaxRelativeError + 1.0;
  EXPECT_NEAR(double(got.count()), double(exact), tolerance) << "exact " << exact;
}

TEST(LatencyHistogram, EmptyReportsZeros) {
  LatencyHistogram h;
  EXPECT_EQ(h.Count(), 0u);
  EXPECT_EQ(h.Percentile(0.99), nanoseconds(0));
  EXPECT_EQ(h.Max(), nanoseconds(0));
  EXPECT_EQ(h.Mean(), nanoseconds(0));
  EXPECT_EQ(h.Summary().count, 0u);
  EXPECT_EQ(h.Summary().p99_ms, 0.0);
}

TEST(LatencyHistogram, PercentilesMatchExactWithinStatedErrorForLogUniformSamples) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> exponent(0, std::log(150e9));  // 1 ns .. 150 s
  std::vector<int64_t> values;
  LatencyHistogram h;
  for (int i = 0; i < 100000; ++i) {
    const int64_t v = int64_t(std::exp(exponent(rng)));
    values.push_back(v);
    h.Record(nanoseconds(v));
  }
  for (double q : {0.0, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999, 1.0}) {
    SCOPED_TRACE(q);
    ExpectWithinStatedError(ExactPercentile(values, q), h.Percentile(q));
  }
  EXPECT_EQ(h.Max(), nanoseconds(*std::max_element(values.begin(), values.end())));
  EXPECT_EQ(h.Count(), values.size());
}

TEST(LatencyHistogram, PercentilesMatchExactForTypicalRpcLatencies) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> latency(std::log(2e6), 0.6);  // around 2 ms
  std::vector<int64_t> values;
  LatencyHistogram h;
  for (int i = 0; i < 50000; ++i) {
    const int64_t v = int64_t(latency(rng));
    values.push_back(v);
    h.Record(nanoseconds(v));
  }
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    SCOPED_TRACE(q);
    ExpectWithinStatedError(ExactPercentile(values, q), h.Percentile(q));
  }
  double sum = 0;
  for (int64_t v : values) sum += double(v);
  EXPECT_NEAR(double(h.Mean().count()), sum / double(values.size()), 1.0);
}

TEST(LatencyHistogram, ResolvesExtremesZeroOneMicrosecondAndTwoMinutes) {
  LatencyHistogram h;
  h.Record(nanoseconds(0));
  EXPECT_EQ(h.Percentile(1.0), nanoseconds(0));
  h.Record(microseconds(1));
  h.Record(seconds(120));
  EXPECT_EQ(h.Percentile(0.0), nanoseconds(0));
  ExpectWithinStatedError(1000, h.Percentile(0.5));
  EXPECT_EQ(h.Percentile(1.0), seconds(120));
  EXPECT_EQ(h.Max(), seconds(120));
}

TEST(LatencyHistogram, BucketsAreNarrowEnoughEverywhere) {
  // At most 1 ns wide below 128 ns, then at most 1/64 of the lower bound.
  for (size_t i = 0; i < LatencyHistogram::kBucketCount; ++i) {
    const uint64_t low = LatencyHistogram::BucketLow(i);
    const uint64_t width = LatencyHistogram::BucketWidth(i);
    if (low < 128) {
      EXPECT_EQ(width, 1u);
    } else {
      EXPECT_LE(double(width), double(low) / 64) << i;
    }
    EXPECT_EQ(LatencyHistogram::BucketIndex(low), i);
    EXPECT_EQ(LatencyHistogram::BucketIndex(low + width - 1), i);
  }
  EXPECT_GE(LatencyHistogram::kMaxTrackable, seconds(120));
}

TEST(LatencyHistogram, ValuesBeyondRangeLandInTopBucketAndMaxStaysExact) {
  LatencyHistogram h;
  h.Record(seconds(1000));
  h.Record(nanoseconds(-5));  // clock oddities count as zero
  EXPECT_EQ(h.Max(), seconds(1000));
  EXPECT_EQ(h.Percentile(1.0), seconds(1000));
  EXPECT_EQ(h.Min(), nanoseconds(0));
}

TEST(LatencyHistogram, MergeEqualsRecordingEverythingInOne) {
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int64_t> ms(0, 5000);
  LatencyHistogram a, b, all;
  for (int i = 0; i < 10000; ++i) {
    const auto v = microseconds(ms(rng) * 37);
    (i % 3 ? a : b).Record(v);
    all.Record(v);
  }
  a.Merge(b);
  EXPECT_EQ(a.Count(), all.Count());
  EXPECT_EQ(a.Max(), all.Max());
  EXPECT_EQ(a.Min(), all.Min());
  EXPECT_EQ(a.Mean(), all.Mean());
  for (double q : {0.1, 0.5, 0.99}) EXPECT_EQ(a.Percentile(q), all.Percentile(q));
}

TEST(LatencyHistogram, ResetMakesItEmptyAndReusable) {
  LatencyHistogram h;
  h.Record(milliseconds(5));
  h.Record(seconds(3));
  h.Reset();
  EXPECT_EQ(h.Count(), 0u);
  EXPECT_EQ(h.Max(), nanoseconds(0));
  h.Record(milliseconds(2));
  EXPECT_EQ(h.Count(), 1u);
  EXPECT_EQ(h.Percentile(0.99), milliseconds(2));
}

TEST(LatencyHistogram, SummaryIsInMilliseconds) {
  LatencyHistogram h;
  for (int i = 1; i <= 100; ++i) h.Record(milliseconds(i));
  const LatencySummary s = h.Summary();
  EXPECT_EQ(s.count, 100u);
  EXPECT_NEAR(s.p50_ms, 50, 50 * LatencyHistogram::kMaxRelativeError);
  EXPECT_NEAR(s.p99_ms, 99, 99 * LatencyHistogram::kMaxRelativeError);
  EXPECT_DOUBLE_EQ(s.max_ms, 100);
  EXPECT_NEAR(s.mean_ms, 50.5, 1e-6);
}

}  // namespace
}  // namespace faultdrill::load
