#include "load/recorder.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace faultdrill::load {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

Window MakeWindow(std::string name, Duration start, Duration end) { return Window{std::move(name), start, end}; }

Completion Done(Duration intended, Duration latency, grpc::StatusCode code = grpc::StatusCode::OK,
                Duration service = Duration(-1)) {
  if (service < Duration(0)) service = latency;
  return Completion{intended, intended + latency - service, intended + latency, code};
}

const WindowResult& Find(const std::vector<WindowResult>& results, const std::string& name) {
  for (const WindowResult& r : results) {
    if (r.name == name) return r;
  }
  static WindowResult none;
  ADD_FAILURE() << "no window " << name;
  return none;
}

TEST(Recorder, AttributesByIntendedTimeToEveryContainingWindow) {
  Recorder recorder({MakeWindow("all", seconds(0), seconds(10)), MakeWindow("before", seconds(0), seconds(5)),
                     MakeWindow("during(x)", seconds(5), seconds(7))});
  // Intended in "before" but completing during x: belongs to before.
  recorder.Record(Done(milliseconds(4900), milliseconds(300)));
  recorder.Record(Done(milliseconds(5000), milliseconds(10)));
  recorder.Record(Done(milliseconds(6999), milliseconds(10), grpc::StatusCode::UNAVAILABLE));
  const auto results = recorder.WindowResults(seconds(10));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(Find(results, "all").requests, 3u);
  EXPECT_EQ(Find(results, "before").requests, 1u);
  EXPECT_NEAR(Find(results, "before").latency.max_ms, 300, 1e-9);
  const WindowResult& during = Find(results, "during(x)");
  EXPECT_EQ(during.requests, 2u);
  EXPECT_EQ(during.ok, 1u);
  EXPECT_EQ(during.errors, 1u);
  EXPECT_EQ(during.errors_by_code.at("UNAVAILABLE"), 1u);
  EXPECT_DOUBLE_EQ(during.throughput_rps, 0.5);  // 1 ok over 2 s
  EXPECT_DOUBLE_EQ(during.start_s, 5);
  EXPECT_DOUBLE_EQ(during.end_s, 7);
}

TEST(Recorder, SeparatesCorrectedLatencyFromServiceTime) {
  Recorder recorder({MakeWindow("all", seconds(0), seconds(10))});
  // Sent 900 ms late, served in 5 ms.
  recorder.Record(Completion{seconds(1), milliseconds(1900), milliseconds(1905), grpc::StatusCode::OK});
  const WindowResult r = recorder.WindowResults(seconds(10))[0];
  EXPECT_NEAR(r.latency.max_ms, 905, 1e-9);
  EXPECT_NEAR(r.service_time.max_ms, 5, 1e-9);
}

TEST(Recorder, CutsWindowsAtTheActualRunLength) {
  Recorder recorder({MakeWindow("all", seconds(0), seconds(10))});
  for (int i = 0; i < 40; ++i) recorder.Record(Done(milliseconds(100 * i), milliseconds(1)));
  const WindowResult r = recorder.WindowResults(seconds(4))[0];
  EXPECT_DOUBLE_EQ(r.end_s, 4);
  EXPECT_DOUBLE_EQ(r.throughput_rps, 10);
}

TEST(Recorder, SeriesCountsEachSecondByIntendedTime) {
  Recorder recorder({});
  recorder.Record(Done(milliseconds(100), milliseconds(2500)));  // completes in second 2
  recorder.Record(Done(milliseconds(999), milliseconds(10), grpc::StatusCode::DEADLINE_EXCEEDED));
  recorder.Record(Done(milliseconds(2000), milliseconds(20)));
  const auto series = recorder.Series();
  ASSERT_EQ(series.size(), 3u);
  EXPECT_EQ(series[0].second, 0u);
  EXPECT_EQ(series[0].requests, 2u);
  EXPECT_EQ(series[0].errors, 1u);
  EXPECT_EQ(series[0].errors_by_code.at("DEADLINE_EXCEEDED"), 1u);
  EXPECT_NEAR(series[0].max_ms, 2500, 1e-9);
  EXPECT_EQ(series[1].requests, 0u);  // dense: empty seconds are present
  EXPECT_EQ(series[2].requests, 1u);
  EXPECT_NEAR(series[2].p99_ms, 20, 20 * LatencyHistogram::kMaxRelativeError);
}

TEST(Recorder, OutOfOrderCompletionsWithinTheOpenSecondsAreExact) {
  Recorder recorder({}, RecorderOptions{.open_seconds = 4});
  recorder.Record(Done(milliseconds(5500), milliseconds(1)));
  recorder.Record(Done(milliseconds(3100), milliseconds(2000)));  // older second, still open
  recorder.Record(Done(milliseconds(2200), milliseconds(3000)));
  EXPECT_EQ(recorder.late_completions(), 0u);
  const auto series = recorder.Series();
  ASSERT_EQ(series.size(), 6u);
  EXPECT_EQ(series[2].requests, 1u);
  EXPECT_EQ(series[3].requests, 1u);
  EXPECT_EQ(series[5].requests, 1u);
}

TEST(Recorder, CompletionForAFoldedSecondCountsInWindowsAndAsLate) {
  Recorder recorder({MakeWindow("all", seconds(0), seconds(100))}, RecorderOptions{.open_seconds = 4});
  recorder.Record(Done(milliseconds(500), milliseconds(1)));
  recorder.Record(Done(seconds(20), milliseconds(1)));  // folds seconds 0..16
  recorder.Record(Done(milliseconds(700), seconds(20)));  // second 0 already folded
  EXPECT_EQ(recorder.late_completions(), 1u);
  EXPECT_EQ(recorder.WindowResults(seconds(100))[0].requests, 3u);
  EXPECT_EQ(recorder.Series()[0].requests, 1u);
  EXPECT_EQ(recorder.Live().late_completions, 1u);
}

TEST(Recorder, RetainedOpenSecondsStayBoundedOverTenThousandSeconds) {
  Recorder recorder({MakeWindow("all", seconds(0), seconds(10000))}, RecorderOptions{.open_seconds = 6});
  size_t max_open = 0;
  size_t bytes_at_100 = 0;
  for (int s = 0; s < 10000; ++s) {
    for (int i = 0; i < 10; ++i) {
      // Completions arrive up to two seconds out of order.
      const int second = std::max(0, s - (i % 3));
      recorder.Record(Done(seconds(second) + milliseconds(97 * i), milliseconds(1 + i)));
    }
    max_open = std::max(max_open, recorder.open_second_count());
    if (s == 100) bytes_at_100 = recorder.RetainedBytes();
  }
  EXPECT_LE(max_open, 6u);
  EXPECT_EQ(recorder.late_completions(), 0u);
  // Only the compact series grows: about 60 bytes per second (every call,
  // successful and failed latency), up to twice that in vector capacity;
  // never a histogram (17 KB) per second.
  const double per_second = double(recorder.RetainedBytes() - bytes_at_100) / 9900.0;
  EXPECT_LT(per_second, 128.0);
  EXPECT_EQ(recorder.Series().size(), 10000u);
}

TEST(Recorder, LiveShowsTotalsInFlightAndLastFullSecond) {
  Recorder recorder({});
  for (int i = 0; i < 30; ++i) recorder.NoteSent(milliseconds(100 * i), milliseconds(100 * i));
  for (int i = 0; i < 25; ++i) {
    recorder.Record(Done(milliseconds(100 * i), milliseconds(5), i == 3 ? grpc::StatusCode::INTERNAL
                                                                         : grpc::StatusCode::OK));
  }
  const LiveStats live = recorder.Live();
  EXPECT_EQ(live.sent, 30u);
  EXPECT_EQ(live.completed, 25u);
  EXPECT_EQ(live.errors, 1u);
  EXPECT_EQ(live.in_flight, 5u);
  EXPECT_EQ(live.elapsed, milliseconds(2900));
  EXPECT_EQ(live.last_second_requests, 10u);  // second 1
  EXPECT_NEAR(live.p99_ms, 5, 5 * LatencyHistogram::kMaxRelativeError);
}

TEST(Recorder, ConcurrentRecordsAreAllCounted) {
  // Enough open seconds that thread skew cannot make a completion late.
  Recorder recorder({MakeWindow("all", seconds(0), seconds(100))}, RecorderOptions{.open_seconds = 32});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&recorder, t] {
      for (int i = 0; i < 20000; ++i) recorder.Record(Done(milliseconds(i + t), milliseconds(1)));
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(recorder.WindowResults(seconds(100))[0].requests, 80000u);
  uint64_t series_total = 0;
  for (const SecondSample& s : recorder.Series()) series_total += s.requests;
  EXPECT_EQ(series_total, 80000u);
}

TEST(Recorder, FailedCallsDoNotEnterTheLatencyHistogram) {
  // The kill window: 10 calls served in 20 ms, then the server is down and
  // 90 calls fail fast with UNAVAILABLE in 0.4 ms.
  Recorder recorder({MakeWindow("during(kill)", seconds(0), seconds(2))});
  for (int i = 0; i < 10; ++i) recorder.Record(Done(milliseconds(10 * i), milliseconds(20)));
  for (int i = 0; i < 90; ++i) {
    recorder.Record(Done(milliseconds(100 + 10 * i), microseconds(400), grpc::StatusCode::UNAVAILABLE));
  }
  const WindowResult r = recorder.WindowResults(seconds(2))[0];
  EXPECT_EQ(r.ok_latency.count, 10u);
  EXPECT_NEAR(r.ok_latency.p99_ms, 20, 20 * LatencyHistogram::kMaxRelativeError);
  EXPECT_NEAR(r.ok_latency.p50_ms, 20, 20 * LatencyHistogram::kMaxRelativeError);
  EXPECT_EQ(r.failed_latency.count, 90u);
  EXPECT_NEAR(r.failed_latency.max_ms, 0.4, 1e-9);
  // Every call together, as before: the fast failures pull p50 down to 0.4 ms.
  EXPECT_EQ(r.latency.count, 100u);
  EXPECT_NEAR(r.latency.p50_ms, 0.4, 0.4 * LatencyHistogram::kMaxRelativeError);
  EXPECT_NEAR(r.latency.max_ms, 20, 1e-9);
  EXPECT_EQ(r.service_time.count, 100u);
}

TEST(Recorder, AWindowWhereEveryCallFailedHasNoSuccessfulLatency) {
  Recorder recorder({MakeWindow("during(kill)", seconds(0), seconds(2))});
  for (int i = 0; i < 50; ++i) {
    recorder.Record(Done(milliseconds(20 * i), microseconds(400), grpc::StatusCode::UNAVAILABLE));
  }
  const WindowResult r = recorder.WindowResults(seconds(2))[0];
  EXPECT_EQ(r.ok, 0u);
  EXPECT_EQ(r.ok_latency.count, 0u);
  EXPECT_EQ(r.ok_latency.p99_ms, 0);
  EXPECT_EQ(r.failed_latency.count, 50u);
  EXPECT_EQ(r.latency.count, 50u);
}

TEST(Recorder, SeriesKeepsSuccessfulAndFailedLatencyApartInOpenAndFoldedSeconds) {
  Recorder recorder({}, RecorderOptions{.open_seconds = 4});
  auto second_of_mixed_calls = [&](int second) {
    for (int i = 0; i < 10; ++i) recorder.Record(Done(seconds(second) + milliseconds(i), milliseconds(30)));
    for (int i = 0; i < 30; ++i) {
      recorder.Record(Done(seconds(second) + milliseconds(100 + i), microseconds(500), grpc::StatusCode::UNAVAILABLE));
    }
  };
  second_of_mixed_calls(0);
  recorder.Record(Done(seconds(1), microseconds(500), grpc::StatusCode::UNAVAILABLE));  // nothing succeeded in 1
  second_of_mixed_calls(9);  // folds seconds 0 and 1; 9 stays open
  const std::vector<SecondSample> series = recorder.Series();
  ASSERT_EQ(series.size(), 10u);
  for (uint32_t second : {0u, 9u}) {
    const SecondSample& s = series[second];
    EXPECT_EQ(s.ok(), 10u) << second;
    EXPECT_NEAR(s.ok_latency.p99_ms, 30, 30 * LatencyHistogram::kMaxRelativeError) << second;
    EXPECT_NEAR(s.ok_latency.p50_ms, 30, 30 * LatencyHistogram::kMaxRelativeError) << second;
    EXPECT_NEAR(s.failed_latency.max_ms, 0.5, 1e-6) << second;
    EXPECT_NEAR(s.p50_ms, 0.5, 0.5 * LatencyHistogram::kMaxRelativeError) << second;  // every call
    EXPECT_NEAR(s.max_ms, 30, 1e-4) << second;
  }
  EXPECT_EQ(series[1].ok(), 0u);
  EXPECT_EQ(series[1].ok_latency.p99_ms, 0);
  EXPECT_NEAR(series[1].failed_latency.p99_ms, 0.5, 1e-6);
  EXPECT_NEAR(series[1].p99_ms, 0.5, 1e-6);
}

TEST(Recorder, LiveP99IsOfTheSuccessfulCalls) {
  Recorder recorder({});
  for (int i = 0; i < 10; ++i) recorder.Record(Done(milliseconds(10 * i), milliseconds(8)));
  for (int i = 0; i < 90; ++i) {
    recorder.Record(Done(milliseconds(100 + 10 * i), seconds(1), grpc::StatusCode::DEADLINE_EXCEEDED));
  }
  const LiveStats live = recorder.Live();
  EXPECT_EQ(live.errors, 90u);
  EXPECT_NEAR(live.p99_ms, 8, 8 * LatencyHistogram::kMaxRelativeError);
}

TEST(Recorder, IntervalWhereNothingSucceededHasNoP99) {
  Recorder recorder({});
  for (int i = 0; i < 5; ++i) {
    recorder.Record(Done(milliseconds(10 * i), microseconds(400), grpc::StatusCode::UNAVAILABLE));
  }
  const IntervalStats interval = recorder.TakeInterval();
  EXPECT_EQ(interval.completed, 5u);
  EXPECT_EQ(interval.ok(), 0u);
  EXPECT_EQ(interval.p99, Duration(0));
}

TEST(RecorderOptions, OpenSecondsCoverTwiceTheDeadlinePlusTwo) {
  EXPECT_EQ(RecorderOptions::ForDeadline(seconds(2)).open_seconds, 6);
  EXPECT_EQ(RecorderOptions::ForDeadline(milliseconds(2500)).open_seconds, 8);
}

}  // namespace
}  // namespace faultdrill::load

namespace faultdrill::load {
namespace {

TEST(Recorder, TakeIntervalCountsWhatCompletedSinceTheLastTake) {
  Recorder recorder({Window{"all", Duration(0), std::chrono::seconds(10)}});
  recorder.Record({std::chrono::seconds(1), std::chrono::seconds(1), std::chrono::milliseconds(1010)});
  recorder.Record({std::chrono::seconds(1), std::chrono::seconds(1), std::chrono::milliseconds(1200),
                   grpc::StatusCode::UNAVAILABLE});
  IntervalStats first = recorder.TakeInterval();
  EXPECT_EQ(first.completed, 2u);
  EXPECT_EQ(first.errors, 1u);
  EXPECT_DOUBLE_EQ(first.error_rate(), 0.5);
  EXPECT_EQ(first.ok(), 1u);
  EXPECT_NEAR(ToMillis(first.p99), 10, 1);  // the successful call's; the failed one took 200 ms
  IntervalStats second = recorder.TakeInterval();
  EXPECT_EQ(second.completed, 0u);
  EXPECT_EQ(second.error_rate(), 0.0);
  EXPECT_EQ(second.p99, Duration(0));
  // The windows still count everything.
  EXPECT_EQ(recorder.WindowResults(std::chrono::seconds(10))[0].requests, 2u);
}

}  // namespace
}  // namespace faultdrill::load
