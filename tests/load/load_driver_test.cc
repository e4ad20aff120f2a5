#include "load/load_driver.h"

#include <gtest/gtest.h>

#include <stop_token>

#include "load/request_source.h"
#include "tests/load/event_clock.h"
#include "tests/load/fake_transport.h"

namespace faultdrill::load {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::EventClock;
using testing::FakeTransport;

LoadSpec OpenSpec(double rate, Duration duration) {
  LoadSpec spec;
  spec.mode = LoadMode::kOpen;
  spec.rate = Rate{rate};
  spec.duration = duration;
  spec.deadline = seconds(2);
  return spec;
}

LoadSpec ClosedSpec(int concurrency, Duration duration) {
  LoadSpec spec;
  spec.mode = LoadMode::kClosed;
  spec.concurrency = concurrency;
  spec.duration = duration;
  spec.deadline = seconds(2);
  return spec;
}

VectorRequestSource TwoRequests() {
  std::vector<inference::ModelInferRequest> requests(2);
  requests[0].set_id("a");
  requests[1].set_id("b");
  return VectorRequestSource(std::move(requests));
}

struct Harness {
  explicit Harness(Duration service, std::vector<Window> windows = {})
      : transport(clock, service), recorder(std::move(windows)) {}

  LoadStats Run(const LoadSpec& spec, LoadDriverOptions options = {}, std::stop_token stop = {}) {
    LoadDriver driver(spec, source, transport, recorder, clock, options);
    if (interceptor) driver.SetInterceptor(interceptor);
    LoadStats stats = driver.Run(clock.Now(), stop);
    // Deliver whatever the drain gave up on, so the driver can be destroyed.
    clock.SleepUntil(clock.Now() + std::chrono::hours(1), {});
    return stats;
  }

  EventClock clock;
  FakeTransport transport;
  Recorder recorder;
  VectorRequestSource source = TwoRequests();
  RequestInterceptor* interceptor = nullptr;
};

TEST(OpenLoopSchedule, LatencyCountsFromIntendedStart) {
  Harness h(milliseconds(1), {Window{"all", seconds(0), seconds(4)}, Window{"stall", seconds(1), seconds(2)}});
  h.transport.StallSendAt(h.clock.Now() + seconds(1), seconds(1));
  const LoadStats stats = h.Run(OpenSpec(1000, seconds(4)));

  EXPECT_EQ(stats.sent, 4000u);
  EXPECT_EQ(stats.completed, 4000u);
  // Everything queued behind the stalled send, but the one due at 1.999 s
  // (1 ms late is within the threshold).
  EXPECT_EQ(stats.late_sends, 998u);
  EXPECT_EQ(stats.max_send_lag, milliseconds(999));
  const auto windows = h.recorder.WindowResults(seconds(4));
  const WindowResult& stall = windows[1];
  EXPECT_EQ(stall.requests, 1000u);
  // Requests queued behind the stall waited up to ~1 s from their intended time...
  EXPECT_GE(stall.latency.p99_ms, 980);
  EXPECT_GE(stall.latency.max_ms, 1000);
  EXPECT_NEAR(stall.latency.p50_ms, 500, 10);
  // ...while the server answered each of them in 1 ms.
  EXPECT_NEAR(stall.service_time.p99_ms, 1, 0.01);
  EXPECT_GE(windows[0].latency.p99_ms, 950);
  EXPECT_NEAR(windows[0].service_time.p99_ms, 1, 0.01);
}

TEST(LoadDriver, CallsThatFailWhileTheServerIsDownAreNotLatency) {
  Harness h(milliseconds(3), {Window{"all", seconds(0), seconds(3)}, Window{"down", seconds(1), seconds(2)}});
  // At 500/s, the calls sent in the second second are refused.
  h.transport.SetStatusFor([](uint64_t call) {
    return call >= 500 && call < 1000 ? grpc::StatusCode::UNAVAILABLE : grpc::StatusCode::OK;
  });
  h.Run(OpenSpec(500, seconds(3)));
  const auto windows = h.recorder.WindowResults(seconds(3));
  const WindowResult& down = windows[1];
  EXPECT_EQ(down.errors, 500u);
  EXPECT_EQ(down.ok_latency.count, 0u);
  EXPECT_EQ(down.failed_latency.count, 500u);
  EXPECT_EQ(windows[0].ok_latency.count, 1000u);
  const std::vector<SecondSample> series = h.recorder.Series();
  ASSERT_GE(series.size(), 3u);
  EXPECT_EQ(series[1].ok(), 0u);
  EXPECT_EQ(series[1].ok_latency.p99_ms, 0);
  EXPECT_NEAR(series[1].failed_latency.p99_ms, 3, 3 * LatencyHistogram::kMaxRelativeError);
  EXPECT_NEAR(series[2].ok_latency.p99_ms, 3, 3 * LatencyHistogram::kMaxRelativeError);
}

TEST(LoadDriver, OpenLoopOnTimeSendsHaveLatencyEqualToServiceTime) {
  Harness h(milliseconds(3), {Window{"all", seconds(0), seconds(2)}});
  const LoadStats stats = h.Run(OpenSpec(500, seconds(2)));
  EXPECT_EQ(stats.sent, 1000u);
  EXPECT_EQ(stats.late_sends, 0u);
  EXPECT_EQ(stats.max_in_flight, 2u);  // 3 ms service at one request per 2 ms
  EXPECT_DOUBLE_EQ(stats.achieved_rps, 500);
  const WindowResult all = h.recorder.WindowResults(seconds(2))[0];
  EXPECT_NEAR(all.latency.max_ms, 3, 1e-9);
  EXPECT_NEAR(all.service_time.max_ms, 3, 1e-9);
  EXPECT_DOUBLE_EQ(all.throughput_rps, 500);
}

TEST(LoadDriver, OpenLoopFollowsTheRamp) {
  Harness h(milliseconds(1));
  LoadSpec spec = OpenSpec(100, seconds(4));
  spec.ramp = {RampStep{Rate{300}, seconds(2)}};
  const LoadStats stats = h.Run(spec);
  EXPECT_EQ(stats.sent, 1000u);  // 400 during the ramp, 600 after
  const auto series = h.recorder.Series();
  ASSERT_EQ(series.size(), 4u);
  EXPECT_EQ(series[0].requests, 150u);
  EXPECT_EQ(series[1].requests, 250u);
  EXPECT_EQ(series[3].requests, 300u);
}

TEST(LoadDriver, InFlightCapDelaysSendsWithoutDroppingAny) {
  Harness h(milliseconds(100), {Window{"all", seconds(0), seconds(1)}});
  LoadDriverOptions options;
  options.max_in_flight = 10;
  const LoadStats stats = h.Run(OpenSpec(1000, seconds(1)), options);
  EXPECT_EQ(stats.sent, 1000u);
  EXPECT_EQ(stats.completed, 1000u);
  EXPECT_LE(h.transport.max_in_flight(), 10u);
  EXPECT_GT(stats.cap_waits, 0u);
  const WindowResult all = h.recorder.WindowResults(seconds(1))[0];
  EXPECT_EQ(all.requests, 1000u);
  // 10 in flight at 100 ms each serve 100/s: the backlog shows in latency.
  EXPECT_GT(all.latency.max_ms, 8000);
  EXPECT_NEAR(all.service_time.max_ms, 100, 1e-9);
}

TEST(LoadDriver, DeadlineRunsFromTheActualSend) {
  Harness h(milliseconds(1));
  h.transport.StallSendAt(h.clock.Now() + milliseconds(10), milliseconds(500));
  h.Run(OpenSpec(100, seconds(1)));
  const auto& deadlines = h.transport.deadlines();
  ASSERT_EQ(deadlines.size(), 100u);
  // Request 2 (intended at 20 ms) went out at 510 ms, behind the stalled send.
  EXPECT_EQ(deadlines[2] - deadlines[0], milliseconds(510));
  EXPECT_EQ(deadlines[60] - deadlines[0], milliseconds(600));
}

TEST(LoadDriver, ClosedLoopKeepsExactlyConcurrencyInFlight) {
  Harness h(milliseconds(10), {Window{"all", seconds(0), seconds(1)}});
  const LoadStats stats = h.Run(ClosedSpec(8, seconds(1)));
  EXPECT_EQ(h.transport.max_in_flight(), 8u);
  EXPECT_EQ(stats.max_in_flight, 8u);
  EXPECT_EQ(stats.sent, 8u * 101);  // at 0, 10, ..., 1000 ms
  EXPECT_EQ(stats.completed, stats.sent);
  EXPECT_EQ(stats.late_sends, 0u);
  // A worker's next request is intended when it is free: latency = service time.
  const WindowResult all = h.recorder.WindowResults(seconds(1))[0];
  EXPECT_NEAR(all.latency.max_ms, 10, 1e-9);
}

TEST(LoadDriver, ClosedLoopKeepsGoingThroughErrors) {
  Harness h(milliseconds(5), {Window{"all", seconds(0), seconds(1)}});
  h.transport.SetStatusFor([](uint64_t call) {
    return call % 4 == 0 ? grpc::StatusCode::RESOURCE_EXHAUSTED : grpc::StatusCode::OK;
  });
  const LoadStats stats = h.Run(ClosedSpec(4, seconds(1)));
  EXPECT_EQ(h.transport.max_in_flight(), 4u);
  EXPECT_EQ(stats.sent, 4u * 201);  // at 0, 5, ..., 1000 ms
  // Calls 800..803 are the ones intended at 1 s, outside the window.
  const WindowResult all = h.recorder.WindowResults(seconds(1))[0];
  EXPECT_EQ(all.requests, 800u);
  EXPECT_EQ(all.errors, 200u);
  EXPECT_EQ(all.errors_by_code.at("RESOURCE_EXHAUSTED"), 200u);
}

TEST(LoadDriver, StopEndsTheLoadEarlyAndSkipsTheDrain) {
  Harness h(milliseconds(1));
  std::stop_source stop;
  h.clock.Schedule(h.clock.Now() + milliseconds(500), [&stop] { stop.request_stop(); });
  const LoadStats stats = h.Run(OpenSpec(1000, seconds(4)), {}, stop.get_token());
  EXPECT_TRUE(stats.stopped);
  EXPECT_GE(stats.sent, 499u);
  EXPECT_LE(stats.sent, 501u);
  EXPECT_EQ(stats.load_length, milliseconds(500));
}

TEST(LoadDriver, DrainGivesUpAfterDeadlinePlusMargin) {
  Harness h(milliseconds(1));
  h.transport.HoldCompletionsUntil(h.clock.Now() + seconds(60));
  const auto start = h.clock.Now();
  LoadDriver driver(OpenSpec(10, seconds(1)), h.source, h.transport, h.recorder, h.clock);
  const LoadStats stats = driver.Run(start, {});
  EXPECT_EQ(stats.sent, 10u);
  EXPECT_EQ(stats.abandoned, 10u);
  EXPECT_EQ(h.clock.Now() - start, seconds(1) + seconds(2) + seconds(1));
  h.clock.SleepUntil(start + seconds(61), {});  // the transport completes them after all
  EXPECT_EQ(h.recorder.Live().completed, 10u);
}

class EveryThirdIsPoison : public RequestInterceptor {
 public:
  const inference::ModelInferRequest* Substitute(uint64_t seq, const inference::ModelInferRequest&) override {
    return seq % 3 == 0 ? &poison : nullptr;
  }
  void OnSubstitutedComplete(const SubstitutedCall& call) override {
    if (call.request == &poison) completions.push_back(call);
  }
  inference::ModelInferRequest poison;
  std::vector<SubstitutedCall> completions;
};

TEST(LoadDriver, InterceptorSubstitutesRequests) {
  Harness h(milliseconds(1));
  EveryThirdIsPoison interceptor;
  h.interceptor = &interceptor;
  h.Run(OpenSpec(100, milliseconds(100)));
  const auto& sent = h.transport.requests();
  ASSERT_EQ(sent.size(), 10u);
  EXPECT_EQ(sent[0], &interceptor.poison);
  EXPECT_EQ(sent[1]->id(), "b");
  EXPECT_EQ(sent[2]->id(), "a");
  EXPECT_EQ(sent[3], &interceptor.poison);
}

TEST(LoadDriver, SubstitutedCallsReachTheInterceptorNotTheRecorder) {
  Harness h(milliseconds(2), {Window{"all", seconds(0), seconds(1)}});
  h.transport.SetStatusFor([](uint64_t call) {
    return call % 3 == 0 ? grpc::StatusCode::INVALID_ARGUMENT : grpc::StatusCode::OK;
  });
  EveryThirdIsPoison interceptor;
  h.interceptor = &interceptor;
  const LoadStats stats = h.Run(OpenSpec(90, seconds(1)));
  EXPECT_EQ(stats.sent, 90u);
  EXPECT_EQ(stats.substituted, 30u);
  ASSERT_EQ(interceptor.completions.size(), 30u);
  EXPECT_EQ(interceptor.completions[1].seq, 3u);
  EXPECT_EQ(interceptor.completions[1].code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(interceptor.completions[1].service_time, milliseconds(2));
  // The service's own numbers hold only the 60 planned requests, all ok.
  const WindowResult all = h.recorder.WindowResults(seconds(1))[0];
  EXPECT_EQ(all.requests, 60u);
  EXPECT_EQ(all.errors, 0u);
  EXPECT_EQ(h.recorder.Live().in_flight, 0u);
}

TEST(LoadDriver, ClosedLoopWorkersGoOnAfterASubstitutedCall) {
  Harness h(milliseconds(10));
  EveryThirdIsPoison interceptor;
  h.interceptor = &interceptor;
  const LoadStats stats = h.Run(ClosedSpec(3, milliseconds(100)));
  EXPECT_EQ(h.transport.max_in_flight(), 3u);
  EXPECT_EQ(stats.sent, 3u * 11);
  EXPECT_EQ(stats.substituted, 11u);
  EXPECT_EQ(interceptor.completions.size(), 11u);
}

class TakesSeq : public RequestInterceptor {
 public:
  explicit TakesSeq(uint64_t mine) : mine_(mine) {}
  const inference::ModelInferRequest* Substitute(uint64_t seq, const inference::ModelInferRequest&) override {
    return seq == mine_ ? &request : nullptr;
  }
  void OnSubstitutedComplete(const SubstitutedCall& call) override {
    if (call.request == &request) ++completions;
  }
  inference::ModelInferRequest request;
  int completions = 0;

 private:
  uint64_t mine_;
};

TEST(InterceptorChain, FirstMemberThatSubstitutesWinsAndEachSeesItsOwnCompletions) {
  TakesSeq first(1), second(2);
  InterceptorChain chain;
  EXPECT_TRUE(chain.empty());
  chain.Add(&first);
  chain.Add(&second);
  inference::ModelInferRequest planned;
  EXPECT_EQ(chain.Substitute(0, planned), nullptr);
  EXPECT_EQ(chain.Substitute(1, planned), &first.request);
  EXPECT_EQ(chain.Substitute(2, planned), &second.request);
  chain.OnSubstitutedComplete({.seq = 2, .request = &second.request});
  EXPECT_EQ(first.completions, 0);
  EXPECT_EQ(second.completions, 1);
}

TEST(LoadDriver, NotesSendsForLiveStats) {
  Harness h(milliseconds(1));
  h.Run(OpenSpec(100, seconds(3)));
  const LiveStats live = h.recorder.Live();
  EXPECT_EQ(live.sent, 300u);
  EXPECT_EQ(live.completed, 300u);
  EXPECT_EQ(live.in_flight, 0u);
  EXPECT_EQ(live.elapsed, milliseconds(2990));
  EXPECT_EQ(live.last_second_requests, 100u);
}

}  // namespace
}  // namespace faultdrill::load
