// The process probe: its arithmetic on a fake /proc and a fake clock, its
// readings of real processes, and its leak check against a process that
// leaks memory and one that does not.
#include "probes/process_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "probes/leak_slope.h"
#include "probes/registry.h"
#include "tests/common/files.h"
#include "tests/common/processes.h"
#include "tests/core/fake_clock.h"
#include "tests/probes/child_process.h"

namespace faultdrill::probes {
namespace {

using ::faultdrill::testing::BinDir;
using ::faultdrill::testing::ChildProcess;
using ::faultdrill::testing::FakeClock;
using ::faultdrill::testing::TempDir;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr double kMiB = 1024.0 * 1024.0;

class FakeProcReader final : public ProcReader {
 public:
  std::map<int, ProcessSample> processes;
  std::map<std::string, int> pid_files;

  absl::StatusOr<ProcessSample> Read(int pid) override {
    auto it = processes.find(pid);
    if (it == processes.end()) return absl::NotFoundError("no process");
    return it->second;
  }
  absl::StatusOr<int> ReadPidFile(const std::string& path) override {
    auto it = pid_files.find(path);
    if (it == pid_files.end()) return absl::NotFoundError("pid file " + path + " does not exist");
    return it->second;
  }
};

std::optional<double> ValueOf(const ProbeResult& result, const std::string& name) {
  for (const ProbeValue& v : result.values) {
    if (v.name == name) return v.value;
  }
  return std::nullopt;
}

// A process probe on a fake /proc: the test keeps a pointer to the reader.
struct FakeProbe {
  FakeProcReader* proc = nullptr;
  FakeClock clock;
  std::optional<int> launched;
  std::unique_ptr<ProcessProbe> probe;

  explicit FakeProbe(ProcessProbeSettings settings = {}) {
    auto reader = std::make_unique<FakeProcReader>();
    proc = reader.get();
    probe = std::make_unique<ProcessProbe>(
        "server", std::move(settings), [this] { return launched; }, std::move(reader), clock);
  }
};

ProcessSample Running(double cpu_seconds, uint64_t rss = 100 << 20) {
  return {
      .state = 'S', .rss_bytes = rss, .vm_bytes = 1 << 30, .cpu_seconds = cpu_seconds, .threads = 4, .open_files = 12};
}

TEST(ProcessProbe, ReportsMemoryThreadsAndFilesOfTheLaunchedTarget) {
  FakeProbe f;
  f.launched = 42;
  f.proc->processes[42] = Running(1.0, 64 << 20);
  ProbeResult result = f.probe->Check();
  EXPECT_TRUE(result.healthy) << result.detail;
  EXPECT_EQ(ValueOf(result, "rss_bytes"), 64 << 20);
  EXPECT_EQ(ValueOf(result, "vm_bytes"), 1 << 30);
  EXPECT_EQ(ValueOf(result, "threads"), 4);
  EXPECT_EQ(ValueOf(result, "open_files"), 12);
  EXPECT_THAT(result.detail, HasSubstr("process 42 running"));
  EXPECT_THAT(result.detail, HasSubstr("rss 64.0 MiB"));
}

TEST(ProcessProbe, CpuPercentIsCpuTimeOverWallTimeSinceThePreviousSample) {
  FakeProbe f;
  f.launched = 42;
  f.proc->processes[42] = Running(10.0);
  EXPECT_FALSE(ValueOf(f.probe->Check(), "cpu_percent").has_value()) << "no previous sample yet";
  f.clock.Advance(2s);
  f.proc->processes[42] = Running(13.0);  // 3 s of CPU in 2 s: one and a half cores
  EXPECT_DOUBLE_EQ(*ValueOf(f.probe->Check(), "cpu_percent"), 150);
  f.clock.Advance(4s);
  f.proc->processes[42] = Running(14.0);
  EXPECT_DOUBLE_EQ(*ValueOf(f.probe->Check(), "cpu_percent"), 25);
}

TEST(ProcessProbe, ARestartedTargetStartsItsCpuMeasureAfresh) {
  FakeProbe f;
  f.launched = 42;
  f.proc->processes[42] = Running(10.0);
  f.probe->Check();
  f.clock.Advance(1s);
  f.launched = 43;  // restarted: a new pid, asked at every check
  f.proc->processes[43] = Running(0.1);
  ProbeResult result = f.probe->Check();
  EXPECT_TRUE(result.healthy);
  EXPECT_THAT(result.detail, HasSubstr("process 43"));
  EXPECT_FALSE(ValueOf(result, "cpu_percent").has_value());
  f.clock.Advance(1s);
  f.proc->processes[43] = Running(0.6);
  EXPECT_DOUBLE_EQ(*ValueOf(f.probe->Check(), "cpu_percent"), 50);
}

TEST(ProcessProbe, AMissingProcessIsUnhealthyAndReportsNoValues) {
  FakeProbe f(ProcessProbeSettings{.pid = 7});
  ProbeResult result = f.probe->Check();
  EXPECT_FALSE(result.healthy);
  EXPECT_THAT(result.detail, HasSubstr("process 7 is not running"));
  EXPECT_TRUE(result.values.empty());
}

TEST(ProcessProbe, AZombieIsUnhealthy) {
  FakeProbe f(ProcessProbeSettings{.pid = 7});
  f.proc->processes[7] = Running(1.0);
  f.proc->processes[7].state = 'Z';
  ProbeResult result = f.probe->Check();
  EXPECT_FALSE(result.healthy);
  EXPECT_THAT(result.detail, HasSubstr("zombie"));
}

TEST(ProcessProbe, WithoutALaunchedTargetItSaysSo) {
  FakeProbe f;
  ProbeResult result = f.probe->Check();
  EXPECT_FALSE(result.healthy);
  EXPECT_THAT(result.detail, HasSubstr("the launched target is not running"));
}

TEST(ProcessProbe, APidFileIsReadAtEveryCheck) {
  FakeProbe f(ProcessProbeSettings{.pid_file = "/run/server.pid"});
  EXPECT_THAT(f.probe->Check().detail, HasSubstr("does not exist"));
  f.proc->pid_files["/run/server.pid"] = 9;
  f.proc->processes[9] = Running(1.0);
  EXPECT_TRUE(f.probe->Check().healthy);
  f.proc->pid_files["/run/server.pid"] = 10;
  f.proc->processes[10] = Running(1.0);
  EXPECT_THAT(f.probe->Check().detail, HasSubstr("process 10"));
}

TEST(ParseProcStat, ReadsTheFieldsAfterTheCommandName) {
  // A command name with spaces and parentheses; utime 250, stime 50 ticks,
  // 3 threads, vsize 8192000, rss 1000 pages.
  std::string stat =
      "1234 (my (odd) server) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 999 8192000 1000 "
      "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";
  auto sample = ParseProcStat(stat, 4096, 100);
  ASSERT_TRUE(sample.ok()) << sample.status();
  EXPECT_EQ(sample->state, 'S');
  EXPECT_DOUBLE_EQ(sample->cpu_seconds, 3.0);
  EXPECT_EQ(sample->threads, 3);
  EXPECT_EQ(sample->vm_bytes, 8192000u);
  EXPECT_EQ(sample->rss_bytes, 1000u * 4096);
}

TEST(ParseProcStat, RejectsTextThatIsNotAStatLine) {
  EXPECT_FALSE(ParseProcStat("", 4096, 100).ok());
  EXPECT_FALSE(ParseProcStat("1234 (x) S 1 2 3", 4096, 100).ok());
  EXPECT_FALSE(ParseProcStat("1234 (x) S 1 1 1 0 -1 0 0 0 0 0 ab 50 0 0 20 0 3 0 9 8 1", 4096, 100).ok());
}

// --- real processes ---

TEST(ProcessProbeOnProc, ReadsARealChildAndNoticesItsEnd) {
  ChildProcess child({"sleep", "30"});
  ASSERT_GT(child.pid(), 0);
  ProcessProbe probe("sleeper", {.pid = child.pid()}, nullptr, MakeProcFsReader(), SystemClock());
  // Right after exec the child has faulted in no page yet: its RSS is 0 until it runs.
  ProbeResult result = probe.Check();
  for (int i = 0; i < 200 && ValueOf(result, "rss_bytes").value_or(0) == 0; ++i) {
    std::this_thread::sleep_for(10ms);
    result = probe.Check();
  }
  EXPECT_TRUE(result.healthy) << result.detail;
  EXPECT_GT(ValueOf(result, "rss_bytes").value_or(0), 0);
  EXPECT_EQ(ValueOf(result, "threads"), 1);
  EXPECT_GE(*ValueOf(result, "open_files"), 3);  // stdin, stdout, stderr

  child.Kill();
  ASSERT_EQ(faultdrill::testing::SettledProcessState(child.pid(), 'Z'), 'Z');
  result = probe.Check();
  EXPECT_FALSE(result.healthy);
  EXPECT_THAT(result.detail, HasSubstr("zombie"));

  child.Reap();
  result = probe.Check();
  EXPECT_FALSE(result.healthy);
  EXPECT_THAT(result.detail, HasSubstr("not running"));
}

TEST(ProcessProbeOnProc, ReadsThePidFromARealPidFile) {
  TempDir dir;
  std::ofstream(dir.File("self.pid")) << ::getpid() << "\n";
  ProcessProbe probe("self", {.pid_file = dir.File("self.pid")}, nullptr, MakeProcFsReader(), SystemClock());
  ProbeResult result = probe.Check();
  EXPECT_TRUE(result.healthy) << result.detail;
  EXPECT_THAT(result.detail, HasSubstr(std::to_string(::getpid())));
  std::ofstream(dir.File("self.pid")) << "not a pid\n";
  EXPECT_THAT(probe.Check().detail, HasSubstr("holds no pid"));
}

// Samples `pid`'s RSS every 60 ms for `span` through the real probe and
// returns the probe's series.
std::vector<ProbeSeries> SampleRss(ProcessProbe& probe, std::chrono::milliseconds span) {
  ProbeSeries rss{.probe = "server", .kind = "process", .value = "rss_bytes", .unit = "bytes", .points = {}};
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) {
    const auto now = std::chrono::steady_clock::now();
    if (now - start > span) break;
    ProbeResult result = probe.Check();
    if (auto value = ValueOf(result, "rss_bytes")) {
      rss.points.push_back({std::chrono::duration<double>(now - start).count(), *value});
    }
    std::this_thread::sleep_for(60ms);
  }
  return {rss};
}

ProcessProbeSettings LeakBound(const char* max_slope) {
  return {.leak = LeakCheckSettings{
              .max_bytes_per_second = *ParseBytesPerSecond(max_slope), .max_slope_text = max_slope, .after = 200ms}};
}

TEST(ProcessProbeLeakCheck, AProcessThatLeaksMemoryFailsTheCheck) {
  ChildProcess leaker({BinDir() + "/faultdrill-test-leaker", "leak", "3"});
  ASSERT_GT(leaker.pid(), 0) << "build faultdrill-test-leaker";
  std::optional<int> pid = leaker.pid();
  // It grows 4 MiB per 50 ms (about 4.8 GiB/min) until its 256 MiB cap.
  ProcessProbe probe(
      "server", LeakBound("100MiB/min"), [&] { return pid; }, MakeProcFsReader(), SystemClock());
  std::vector<ProbeSeries> series = SampleRss(probe, 1500ms);
  std::vector<Verdict> verdicts = probe.Verdicts(series);
  ASSERT_EQ(verdicts.size(), 1u);
  const Verdict& leak = verdicts[0];
  EXPECT_FALSE(leak.passed) << leak.message;
  EXPECT_EQ(leak.group, "probe");
  EXPECT_EQ(leak.metric, "rss_slope");
  EXPECT_EQ(leak.unit, "MiB/min");
  EXPECT_EQ(leak.comparison, "<=");
  EXPECT_DOUBLE_EQ(leak.threshold, 100);
  ASSERT_TRUE(leak.measured.has_value());
  EXPECT_GT(*leak.measured, 1000) << leak.message;
  EXPECT_THAT(leak.message, HasSubstr("> 100MiB/min"));
}

TEST(ProcessProbeLeakCheck, AProcessWithSteadyMemoryPassesTheCheck) {
  ChildProcess steady({BinDir() + "/faultdrill-test-leaker", "steady", "3"});
  ASSERT_GT(steady.pid(), 0) << "build faultdrill-test-leaker";
  std::optional<int> pid = steady.pid();
  ProcessProbe probe(
      "server", LeakBound("100MiB/min"), [&] { return pid; }, MakeProcFsReader(), SystemClock());
  // Let it touch its 16 MiB before the warm-up ends.
  std::this_thread::sleep_for(100ms);
  std::vector<ProbeSeries> series = SampleRss(probe, 1500ms);
  std::vector<Verdict> verdicts = probe.Verdicts(series);
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_TRUE(verdicts[0].passed) << verdicts[0].message;
  EXPECT_LT(*verdicts[0].measured, 100);
}

// --- the verdict on given series ---

ProbeSeries RssSeries(std::vector<std::array<double, 2>> points) {
  return {.probe = "server", .kind = "process", .value = "rss_bytes", .unit = "bytes", .points = std::move(points)};
}

TEST(JudgeLeak, ASlopeUnderTheBoundPassesInMiBPerMinute) {
  // 1 MiB per 10 s = 6 MiB/min.
  std::vector<ProbeSeries> series = {RssSeries({{0, 100 * kMiB}, {10, 101 * kMiB}, {20, 102 * kMiB}})};
  Verdict v = JudgeLeak("server", {.max_bytes_per_second = 10 * kMiB / 60, .max_slope_text = "10MiB/min"}, series);
  EXPECT_TRUE(v.passed) << v.message;
  EXPECT_DOUBLE_EQ(*v.measured, 6);
  EXPECT_DOUBLE_EQ(v.threshold, 10);
  EXPECT_EQ(v.name, "server leak");
  EXPECT_EQ(v.window, "all");
  EXPECT_DOUBLE_EQ(v.duration_s, 20);
  EXPECT_THAT(v.message, HasSubstr("6.00 MiB/min <= 10MiB/min"));
}

TEST(JudgeLeak, SamplesInTheWarmUpAreIgnored) {
  // A steep start (caches filling) and flat afterwards.
  std::vector<ProbeSeries> series = {
      RssSeries({{0, 10 * kMiB}, {1, 200 * kMiB}, {2, 400 * kMiB}, {6, 400 * kMiB}, {7, 400 * kMiB}, {8, 400 * kMiB}})};
  LeakCheckSettings leak{.max_bytes_per_second = kMiB / 60, .max_slope_text = "1MiB/min", .after = 5s};
  Verdict v = JudgeLeak("server", leak, series);
  EXPECT_TRUE(v.passed) << v.message;
  EXPECT_EQ(v.window, "after 5s");
  leak.after = 0s;
  EXPECT_FALSE(JudgeLeak("server", leak, series).passed);
}

TEST(JudgeLeak, FewerThanThreeSamplesAfterTheWarmUpFail) {
  std::vector<ProbeSeries> series = {RssSeries({{0, 1}, {6, 1}, {7, 1}})};
  Verdict v = JudgeLeak("server", {.max_bytes_per_second = 1, .max_slope_text = "1/s", .after = 5s}, series);
  EXPECT_FALSE(v.passed);
  EXPECT_FALSE(v.measured.has_value());
  EXPECT_THAT(v.message, HasSubstr("not enough samples to judge a leak"));
  EXPECT_THAT(v.message, HasSubstr("2 RSS sample(s) after the 5s warm-up"));
}

TEST(JudgeLeak, ASeriesWithoutRssFailsForLackOfSamples) {
  Verdict v = JudgeLeak("server", {.max_bytes_per_second = 1, .max_slope_text = "1/s"}, {});
  EXPECT_FALSE(v.passed);
  EXPECT_THAT(v.message, HasSubstr("not enough samples"));
}

TEST(JudgeLeak, AShrinkingProcessPasses) {
  std::vector<ProbeSeries> series = {RssSeries({{0, 300 * kMiB}, {1, 200 * kMiB}, {2, 100 * kMiB}})};
  EXPECT_TRUE(JudgeLeak("server", {.max_bytes_per_second = 0, .max_slope_text = "0/s"}, series).passed);
}

TEST(ProcessProbe, WithoutALeakKeyMakesNoVerdict) {
  FakeProbe f;
  EXPECT_TRUE(f.probe->Verdicts({}).empty());
}

// --- keys ---

absl::StatusOr<ProcessProbeSettings> Parse(const std::string& probe_yaml, bool launched = true) {
  std::string target = launched ? "{embedded: true, model: tinylm}" : "{endpoint: \"127.0.0.1:8001\", model: tinylm}";
  auto scenario = ParseScenario("name: t\ntarget: " + target +
                                    "\nload: {generator: {model: tinylm}, rate: 1/s, duration: 1s}\nprobes:\n  - " +
                                    probe_yaml + "\n",
                                "s.yaml");
  if (!scenario.ok()) return scenario.status();
  return ParseProcessProbe(scenario->probes.at(0), *scenario);
}

std::string Error(const absl::StatusOr<ProcessProbeSettings>& parsed) {
  return parsed.ok() ? "(no error)" : std::string(parsed.status().message());
}

TEST(ParseProcessProbe, ReadsPidPidFileAndLeak) {
  auto parsed = Parse("{name: server, kind: process, leak: {max_slope: 10MiB/min, after: 5s}}");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->pid.has_value());
  ASSERT_TRUE(parsed->leak.has_value());
  EXPECT_DOUBLE_EQ(parsed->leak->max_bytes_per_second, 10 * kMiB / 60);
  EXPECT_EQ(parsed->leak->after, 5s);
  EXPECT_EQ(Parse("{kind: process, pid: 1234}")->pid, 1234);
  EXPECT_EQ(Parse("{kind: process, pid_file: /run/x.pid}", false)->pid_file, "/run/x.pid");
}

TEST(ParseProcessProbe, BadKeysAreLocatedErrors) {
  EXPECT_THAT(Error(Parse("{kind: process, pdi: 3}")), HasSubstr("s.yaml:5:"));
  EXPECT_THAT(Error(Parse("{kind: process, pdi: 3}")), HasSubstr("pdi"));
  EXPECT_THAT(Error(Parse("{kind: process, pid: 3, pid_file: /x}")), HasSubstr("not both"));
  EXPECT_THAT(Error(Parse("{kind: process, pid: 0}")), HasSubstr("pid"));
  EXPECT_THAT(Error(Parse("{kind: process, pid: abc}")), HasSubstr("pid"));
  EXPECT_THAT(Error(Parse("{kind: process, pid_file: \"\"}")), HasSubstr("must not be empty"));
  EXPECT_THAT(Error(Parse("{kind: process}", false)), HasSubstr("name one with pid or pid_file"));
  EXPECT_THAT(Error(Parse("{kind: process, leak: 10MiB/min}")), HasSubstr("leak"));
  EXPECT_THAT(Error(Parse("{kind: process, leak: {after: 5s}}")), HasSubstr("max_slope"));
  EXPECT_THAT(Error(Parse("{kind: process, leak: {max_slope: 10MiB}}")), HasSubstr("invalid growth rate"));
  EXPECT_THAT(Error(Parse("{kind: process, leak: {max_slope: 10MiB/week}}")), HasSubstr("unknown time unit 'week'"));
  EXPECT_THAT(Error(Parse("{kind: process, leak: {max_slope: -1MiB/min}}")), HasSubstr("negative"));
  EXPECT_THAT(Error(Parse("{kind: process, leak: {max_slope: 1MiB/min, after: soon}}")), HasSubstr("after"));
  EXPECT_THAT(Error(Parse("{kind: process, leak: {max_slope: 1MiB/min, slope: 2}}")),
              HasSubstr("leak: unknown key 'slope'"));
  EXPECT_THAT(Error(Parse("{kind: process, leak: {max_slope: 1MiB/min, slope: 2}}")), HasSubstr("s.yaml:5:"));
}

TEST(ProcessProbe, IsBuiltByTheRegistryFromAScenario) {
  auto scenario = ParseScenario(
      "name: t\ntarget: {embedded: true, model: tinylm}\nload: {generator: {model: tinylm}, rate: 1/s, "
      "duration: 1s}\nprobes:\n  - {name: server, kind: process, leak: {max_slope: 10MiB/min}}\n",
      "s.yaml");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  ProbeContext context{.scenario = *scenario};
  auto probe = Registry::Default().Create(scenario->probes.at(0), context);
  ASSERT_TRUE(probe.ok()) << probe.status();
  EXPECT_THAT((*probe)->Describe(), HasSubstr("leak check: RSS slope <= 10MiB/min"));
  EXPECT_EQ(Registry::Default().Kinds().count("process"), 1u);
}

}  // namespace
}  // namespace faultdrill::probes
