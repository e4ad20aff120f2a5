// Cost of recording latencies: the log-linear LatencyHistogram against a
// boost::histogram with a log axis of the same resolution, and the Recorder
// (lock, windows, per-second ring) single- and multi-threaded.
#include <benchmark/benchmark.h>

#include <boost/histogram.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "load/latency_histogram.h"
#include "load/recorder.h"

namespace faultdrill::load {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

// Latencies around 2 ms with a long tail, precomputed so RNG cost is not measured.
const std::vector<int64_t>& Samples() {
  static const std::vector<int64_t> samples = [] {
    std::mt19937_64 rng(1);
    std::lognormal_distribution<double> latency(std::log(2e6), 1.0);
    std::vector<int64_t> v(1 << 16);
    for (auto& x : v) x = int64_t(latency(rng));
    return v;
  }();
  return samples;
}

void BM_LogLinearRecord(benchmark::State& state) {
  LatencyHistogram h;
  const auto& samples = Samples();
  size_t i = 0;
  for (auto _ : state) {
    h.Record(nanoseconds(samples[i++ & 0xffff]));
  }
  benchmark::DoNotOptimize(h.Count());
}
BENCHMARK(BM_LogLinearRecord);

// Same resolution: bins whose width is ~1/64 of their value from 1 ns to 2^38 ns.
auto MakeBoostLogHistogram() {
  namespace bh = boost::histogram;
  const unsigned bins = unsigned(std::ceil(38 * std::log(2.0) / std::log1p(1.0 / 64)));
  return bh::make_histogram_with(bh::dense_storage<uint64_t>(),
                                 bh::axis::regular<double, bh::axis::transform::log>(bins, 1.0, double(1ull << 38)));
}

void BM_BoostLogAxisRecord(benchmark::State& state) {
  auto h = MakeBoostLogHistogram();
  const auto& samples = Samples();
  size_t i = 0;
  for (auto _ : state) {
    h(double(samples[i++ & 0xffff]));
  }
  benchmark::DoNotOptimize(h.at(0));
  state.counters["bins"] = double(h.axis().size());
}
BENCHMARK(BM_BoostLogAxisRecord);

void BM_LogLinearPercentile(benchmark::State& state) {
  LatencyHistogram h;
  for (int64_t v : Samples()) h.Record(nanoseconds(v));
  for (auto _ : state) benchmark::DoNotOptimize(h.Percentile(0.99));
}
BENCHMARK(BM_LogLinearPercentile);

void BM_BoostLogAxisPercentile(benchmark::State& state) {
  auto h = MakeBoostLogHistogram();
  for (int64_t v : Samples()) h(double(v));
  for (auto _ : state) {
    const double total = boost::histogram::algorithm::sum(h);
    double seen = 0, value = 0;
    for (auto&& x : boost::histogram::indexed(h)) {
      seen += *x;
      if (seen >= 0.99 * total) {
        value = x.bin().center();
        break;
      }
    }
    benchmark::DoNotOptimize(value);
  }
}
BENCHMARK(BM_BoostLogAxisPercentile);

std::vector<Window> TenWindows() {
  std::vector<Window> windows = {{"all", seconds(0), seconds(3600)}, {"before", seconds(0), seconds(10)}};
  for (int i = 0; i < 4; ++i) {
    windows.push_back({"during", seconds(10 + 20 * i), seconds(20 + 20 * i)});
    windows.push_back({"after", seconds(20 + 20 * i), seconds(3600)});
  }
  return windows;
}

// One Recorder shared by all benchmark threads, as gRPC completion threads share it.
Recorder* shared_recorder = nullptr;

void BM_RecorderRecord(benchmark::State& state) {
  if (state.thread_index() == 0) shared_recorder = new Recorder(TenWindows(), RecorderOptions::ForDeadline(seconds(2)));
  const auto& samples = Samples();
  // Intended times advance at 10k/s per thread over the hour.
  int64_t n = state.thread_index();
  for (auto _ : state) {
    const Duration intended = nanoseconds((n * 100'000) % 3'600'000'000'000);
    const Duration latency(samples[size_t(n) & 0xffff]);
    shared_recorder->Record({intended, intended, intended + latency, grpc::StatusCode::OK});
    n += state.threads();
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    delete shared_recorder;
    shared_recorder = nullptr;
  }
}
BENCHMARK(BM_RecorderRecord)->Threads(1)->Threads(2)->Threads(4)->UseRealTime();

}  // namespace
}  // namespace faultdrill::load

BENCHMARK_MAIN();
