#include "injectors/clock_skew.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <thread>

#include "absl/time/clock.h"
#include "fmt/format.h"
#include "injectors/launched_process.h"
#include "tests/common/files.h"
#include "tests/injectors/scenario_fixture.h"
#include "tests/server/infer_requests.h"
#include "tests/server/server_process.h"

namespace faultdrill::injectors {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using namespace std::chrono_literals;

class ClockSkewTest : public ::faultdrill::testing::InjectorTest {
 protected:
  ClockSkewTest() : InjectorTest(&ClockSkewInjector::Create) {}

  void UseWorkDir() { run_.set_work_dir(work_.path()); }
  std::string TimestampFile() const { return work_.File(kClockSkewFile); }

  ::faultdrill::testing::TempDir work_;
};

TEST(ParseClockOffset, ReadsSignNumberAndUnit) {
  EXPECT_EQ(*ParseClockOffset("+2h"), 2h);
  EXPECT_EQ(*ParseClockOffset("-30s"), -30s);
  EXPECT_EQ(*ParseClockOffset("1d"), 24h);
  EXPECT_EQ(*ParseClockOffset("-1.5m"), -90s);
  EXPECT_EQ(*ParseClockOffset("+250ms"), 250ms);
  EXPECT_EQ(*ParseClockOffset("45"), 45s);
}

TEST(ParseClockOffset, RejectsWhatIsNotAnOffset) {
  for (const char* bad : {"", "+", "2x", "h", "+-2h", "2 h", "1w", "200y"}) {
    EXPECT_FALSE(ParseClockOffset(bad).ok()) << bad;
  }
  EXPECT_THAT(ParseClockOffset("2w").status().message(), HasSubstr("ms, s, m, h or d"));
}

TEST(FaketimeSpec, WritesOffsetsInSecondsWithTheRate) {
  ClockSkewSettings settings;
  settings.offset = 2h;
  EXPECT_EQ(FaketimeSpec(settings, 1000, 900), "+7200 x1");
  settings.offset = -30s;
  EXPECT_EQ(FaketimeSpec(settings, 1000, 900), "-30 x1");
  settings.offset = 1500ms;
  EXPECT_EQ(FaketimeSpec(settings, 1000, 900), "+1.5 x1");
}

TEST(FaketimeSpec, ARateCountsFromTheFaultsStart) {
  ClockSkewSettings settings;
  settings.rate = 2.0;
  // libfaketime would add (1000 - 900) * (2 - 1) = 100 s at once; the offset takes it back.
  EXPECT_EQ(FaketimeSpec(settings, 1000, 900), "-100 x2");
  settings.rate = 0.5;
  settings.offset = 10s;
  EXPECT_EQ(FaketimeSpec(settings, 1000, 900), "+60 x0.5");
}

TEST_F(ClockSkewTest, RejectsBadSettingsWithTheirLocation) {
  const auto message = [this](const std::string& fault) { return std::string(Create(fault).status().message()); };
  EXPECT_THAT(message("{kind: clock-skew, at: 1s}"), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(message("{kind: clock-skew, at: 1s}"), HasSubstr("`offset`"));
  EXPECT_THAT(message("{kind: clock-skew, at: 1s, offset: 2w}"), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(message("{kind: clock-skew, at: 1s, offset: 2w}"), HasSubstr("not a clock offset"));
  EXPECT_THAT(message("{kind: clock-skew, at: 1s, rate: 0}"), HasSubstr("rate"));
  EXPECT_THAT(message("{kind: clock-skew, at: 1s, offset: \"+0s\"}"), HasSubstr("no skew"));
  EXPECT_THAT(message("{kind: clock-skew, at: 1s, offset: 1h, drift: 2}"), HasSubstr("drift"));
  EXPECT_THAT(Create("{kind: clock-skew, at: 1s, offset: 1h}", /*embedded=*/false).status().message(),
              HasSubstr("launch"));
}

TEST_F(ClockSkewTest, RejectsOverlappingSkews) {
  scenario_ = ::faultdrill::testing::ScenarioWithFaults(
      "  - {name: a, kind: clock-skew, at: 1s, for: 5s, offset: 1h}\n"
      "  - {name: b, kind: clock-skew, at: 3s, offset: -1h}\n"
      "  - {name: c, kind: clock-skew, at: 6s, for: 1s, rate: 2}\n");
  InjectorContext context{scenario_, targets_, run_};
  auto a = ClockSkewInjector::Create(scenario_.faults[0], context);
  EXPECT_THAT(a.status().message(), HasSubstr("overlaps fault 'b'"));
  EXPECT_THAT(a.status().message(), HasSubstr("t.yaml:5:"));
  scenario_.faults.erase(scenario_.faults.begin() + 1);
  EXPECT_TRUE(ClockSkewInjector::Create(scenario_.faults[0], context).ok());
}

TEST_F(ClockSkewTest, DescribesTouchesAndNeeds) {
  auto injector = Create("{kind: clock-skew, at: 1s, for: 2s, offset: \"-30s\", rate: 2}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  EXPECT_EQ((*injector)->ActiveFor(), 2s);
  EXPECT_THAT((*injector)->Describe(), HasSubstr("back 30s"));
  EXPECT_THAT((*injector)->Describe(), HasSubstr("2x as fast"));
  EXPECT_THAT((*injector)->Touches(), ElementsAre(HasSubstr("the launched target's clock (libfaketime")));
  ASSERT_EQ((*injector)->Needs().size(), 2u);
}

TEST_F(ClockSkewTest, PrepareLaunchPreloadsLibfaketimeWithANoSkewFile) {
  if (!FindLibfaketime().ok()) GTEST_SKIP() << "libfaketime is missing: apt-get install faketime";
  auto injector = Create("{kind: clock-skew, at: 1s, offset: 1h}");
  ASSERT_TRUE(injector.ok());
  LaunchEnv env;
  EXPECT_EQ((*injector)->PrepareLaunch(env).code(), absl::StatusCode::kFailedPrecondition);  // no work folder
  UseWorkDir();
  ASSERT_TRUE((*injector)->PrepareLaunch(env).ok());
  EXPECT_EQ(::faultdrill::testing::ReadWholeFile(TimestampFile()), kNoClockSkew);
  ASSERT_EQ(env.size(), 4u);
  EXPECT_EQ(env[0].first, "LD_PRELOAD");
  EXPECT_THAT(env[0].second, HasSubstr("libfaultdrill-faketime-waits.so:"));
  EXPECT_THAT(env[0].second, HasSubstr("libfaketimeMT.so.1"));
  EXPECT_THAT(env, ::testing::Contains(Pair("FAKETIME_TIMESTAMP_FILE", TimestampFile())));
  EXPECT_THAT(env, ::testing::Contains(Pair("FAKETIME_DONT_FAKE_MONOTONIC", "1")));
  EXPECT_THAT(env, ::testing::Contains(Pair("FAKETIME_CACHE_DURATION", "0")));
  // A second clock-skew fault of the run shares the file and the variables.
  ASSERT_TRUE((*injector)->PrepareLaunch(env).ok());
  EXPECT_EQ(env.size(), 4u);
}

TEST_F(ClockSkewTest, ApplyJournalsTheNoSkewFileThenWritesTheSkew) {
  if (!FindLibfaketime().ok()) GTEST_SKIP() << "libfaketime is missing: apt-get install faketime";
  auto injector = Create("{kind: clock-skew, at: 1s, offset: \"+2h\"}");
  ASSERT_TRUE(injector.ok());
  EXPECT_EQ((*injector)->Apply().code(), absl::StatusCode::kFailedPrecondition);  // not launched with it
  UseWorkDir();
  LaunchEnv env;
  ASSERT_TRUE((*injector)->PrepareLaunch(env).ok());
  targets_.set_launched(&process_);
  ASSERT_TRUE((*injector)->Apply().ok());
  EXPECT_EQ(::faultdrill::testing::ReadWholeFile(TimestampFile()), "+7200 x1");
  const auto records = run_.journal().Records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].undo.action, "write-file");
  EXPECT_EQ(records[0].undo.args["path"], TimestampFile());
  EXPECT_EQ(records[0].undo.args["content"], kNoClockSkew);
  EXPECT_EQ((*injector)->Counters().at("skew_seconds"), 7200);
  ASSERT_TRUE((*injector)->Revert().ok());
  ASSERT_TRUE((*injector)->Revert().ok());
  EXPECT_EQ(::faultdrill::testing::ReadWholeFile(TimestampFile()), kNoClockSkew);
}

TEST(FindLibfaketime, HonoursTheOverrideAndNamesTheFix) {
  ::setenv("FAULTDRILL_LIBFAKETIME", "/nonexistent/libfaketimeMT.so.1", 1);
  auto missing = FindLibfaketime();
  ::unsetenv("FAULTDRILL_LIBFAKETIME");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("/nonexistent/libfaketimeMT.so.1"));
}

// Integration: the real reference server, launched with the environment
// PrepareLaunch gives, reports a skewed time exactly while the fault is on.
class ClockSkewServerTest : public ClockSkewTest {
 protected:
  void SetUp() override {
    if (!FindLibfaketime().ok()) GTEST_SKIP() << "libfaketime is missing: apt-get install faketime";
    ASSERT_TRUE(::faultdrill::testing::GenerateModels(work_.File("models")).ok());
    UseWorkDir();
  }

  // Launches the server with the fault's environment.
  void Launch(Injector& injector) {
    LaunchEnv env;
    ASSERT_TRUE(injector.PrepareLaunch(env).ok());
#if defined(__SANITIZE_ADDRESS__)
    // The sanitizer build's server carries the ASan runtime, which insists on
    // coming first among preloaded libraries; libfaketime comes first here.
    env.emplace_back("ASAN_OPTIONS", "verify_asan_link_order=0");
#endif
    const std::string port_file = work_.File("port");
    auto server = LaunchedProcess::Start(
        {.command = {::faultdrill::testing::ModelServerBinary(), "--host", "127.0.0.1", "--port", "0", "--port-file",
                     port_file, "--models", work_.File("models")},
         .env = env,
         .log_file = work_.File("server.log")});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    targets_.set_launched(server_.get());
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    std::string port;
    while ((port = ::faultdrill::testing::ReadWholeFile(port_file)).empty()) {
      ASSERT_TRUE(server_->Running()) << ::faultdrill::testing::ReadWholeFile(work_.File("server.log"));
      ASSERT_LT(std::chrono::steady_clock::now(), deadline);
      std::this_thread::sleep_for(10ms);
    }
    stub_ = inference::GRPCInferenceService::NewStub(
        grpc::CreateChannel("127.0.0.1:" + port, grpc::InsecureChannelCredentials()));
    while (!ServerSkew().has_value()) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the server never answered";
      std::this_thread::sleep_for(20ms);
    }
  }

  // The server's clock minus ours (seconds), from one ModelInfer with a 2 s deadline.
  std::optional<double> ServerSkew() {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 2s);
    inference::ModelInferResponse response;
    const int64_t before = absl::ToUnixNanos(absl::Now());
    const grpc::Status status = stub_->ModelInfer(
        &context, ::faultdrill::testing::ClassifierRequest(::faultdrill::testing::ClassifierRows(1)), &response);
    const int64_t after = absl::ToUnixNanos(absl::Now());
    if (!status.ok()) {
      ++failed_calls_;
      last_error_ = std::to_string(status.error_code()) + ": " + status.error_message();
      return std::nullopt;
    }
    const int64_t server = response.parameters().at("server_time_unix_ns").int64_param();
    return (static_cast<double>(server) - (before + after) / 2.0) / 1e9;
  }

  // Polls until the skew is within 0.5 s of `expected(now)`; the skew seen last.
  double WaitForSkew(const std::function<double()>& expected, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    double skew = NAN;
    while (std::chrono::steady_clock::now() < deadline) {
      if (std::optional<double> s = ServerSkew()) {
        skew = *s;
        if (std::abs(skew - expected()) < 0.5) return skew;
      }
      std::this_thread::sleep_for(20ms);
    }
    return skew;
  }

  std::unique_ptr<LaunchedProcess> server_;
  std::unique_ptr<inference::GRPCInferenceService::Stub> stub_;
  int failed_calls_ = 0;
  std::string last_error_;  // of the last failed call
};

TEST_F(ClockSkewServerTest, TheServerReportsASkewedTimeExactlyWhileTheFaultIsOn) {
  auto injector = Create("{kind: clock-skew, at: 1s, for: 5s, offset: \"+1h\"}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  ASSERT_NO_FATAL_FAILURE(Launch(**injector));
  std::optional<double> before = ServerSkew();
  ASSERT_TRUE(before.has_value());
  EXPECT_LT(std::abs(*before), 1.0);

  // Within ~2 s of a change of the clock, absl::Now() (the server's time
  // parameter, its deadline checks) still interpolates the old clock while
  // gRPC's deadline conversion reads the new one: calls may then fail with
  // DEADLINE_EXCEEDED. Once the clock has settled, every call succeeds.
  ASSERT_TRUE((*injector)->Apply().ok());
  EXPECT_NEAR(WaitForSkew([] { return 3600.0; }, 4s), 3600.0, 0.5) << last_error_;
  failed_calls_ = 0;
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(ServerSkew().value_or(0), 3600.0, 0.5);
  EXPECT_EQ(failed_calls_, 0) << last_error_;

  ASSERT_TRUE((*injector)->Revert().ok());
  EXPECT_NEAR(WaitForSkew([] { return 0.0; }, 4s), 0.0, 0.5) << last_error_;
  failed_calls_ = 0;
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(ServerSkew().value_or(99), 0.0, 0.5);
  EXPECT_EQ(failed_calls_, 0) << last_error_;
  EXPECT_TRUE(server_->Running()) << ::faultdrill::testing::ReadWholeFile(work_.File("server.log"));
}

TEST_F(ClockSkewServerTest, ARateRunsTheServersClockFasterFromTheFaultsStart) {
  auto injector = Create("{kind: clock-skew, at: 1s, for: 5s, rate: 3}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  ASSERT_NO_FATAL_FAILURE(Launch(**injector));
  std::this_thread::sleep_for(1s);  // so that the server's own start lies well before the fault's
  ASSERT_LT(std::abs(ServerSkew().value_or(99)), 1.0);

  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE((*injector)->Apply().ok());
  // From the fault's start the server's clock gains 2 s per second. The
  // server reads it through absl::Now(), which interpolates between samples
  // of the system clock taken every ~2 s, so the gain shows in steps.
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  std::vector<std::pair<double, double>> series;  // (seconds since Apply, skew)
  while (elapsed() < 6.0) {
    if (std::optional<double> skew = ServerSkew()) series.emplace_back(elapsed(), *skew);
    std::this_thread::sleep_for(200ms);
  }
  std::string trace;
  for (const auto& [t, skew] : series) trace += fmt::format(" {:.1f}s:{:+.2f}", t, skew);
  RecordProperty("skew_series", trace);
  ASSERT_GE(series.size(), 10u) << trace;
  for (const auto& [t, skew] : series) EXPECT_LE(skew, 2.0 * t + 0.5) << trace;  // never ahead of the rate
  EXPECT_GT(series.back().second, 4.0) << trace;  // well ahead after 6 s of the fault
  ASSERT_TRUE((*injector)->Revert().ok());
  EXPECT_NEAR(WaitForSkew([] { return 0.0; }, 4s), 0.0, 0.5) << last_error_;
  failed_calls_ = 0;
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(ServerSkew().value_or(99), 0.0, 0.5);
  EXPECT_EQ(failed_calls_, 0) << last_error_;
  EXPECT_GE((*injector)->Counters().at("skew_seconds"), 2);
}

}  // namespace
}  // namespace faultdrill::injectors
