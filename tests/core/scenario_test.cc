#include "core/scenario.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace faultdrill {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

constexpr char kFullScenario[] = R"(name: quickstart
description: "A full drill"
seed: 42
target:
  endpoint: 127.0.0.1:8001
  model: classifier
  model_version: "1"
  launch:
    command: [faultdrill-model-server, --port, "8001", --models, server/models]
    ready_timeout: 15s
    env: {FD_LOG: debug}
  allow_hosts: [gpu-box.internal]
load:
  requests: requests.jsonl
  mode: open
  rate: 200/s
  ramp: [{to: 400/s, over: 20s}]
  duration: 60s
  deadline: 1500ms
steady_state:
  - probe: {kind: health, interval: 1s, timeout: 500ms}
  - slo: {p99_latency: 50ms, error_rate: 0.1%}
faults:
  - {kind: process-kill, name: kill-server, at: 10s, signal: SIGKILL, restart_after: 2s}
  - {kind: network-latency, at: 20s, for: 10s, delay: 100ms}
slos:
  - {name: "p99 during latency", window: during(network-latency), p99_latency: 150ms}
  - {name: recovers, recovery_time: 5s, fault: kill-server}
  - {error_rate: 1%, min_throughput: 100/s, window: after(kill-server)}
)";

// A scenario folder of its own under the test's temporary directory.
class ScenarioFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) / "faultdrill_scenario_test" / info->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, std::string_view text) {
    std::filesystem::path path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  std::filesystem::path dir_;
};

TEST_F(ScenarioFileTest, LoadsEveryKeyOfAFullScenario) {
  Write("requests.jsonl", "{}\n");
  std::string path = Write("drill.yaml", kFullScenario);
  absl::StatusOr<Scenario> loaded = LoadScenarioFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const Scenario& s = *loaded;

  EXPECT_EQ(s.name, "quickstart");
  EXPECT_EQ(s.file, path);
  EXPECT_EQ(s.directory, dir_.string());
  EXPECT_EQ(s.description, "A full drill");
  EXPECT_EQ(s.seed, 42u);

  EXPECT_EQ(s.target.endpoint, "127.0.0.1:8001");
  EXPECT_FALSE(s.target.embedded);
  EXPECT_EQ(s.target.model, "classifier");
  EXPECT_EQ(s.target.model_version, "1");
  ASSERT_TRUE(s.target.launch.has_value());
  EXPECT_THAT(s.target.launch->command,
              ElementsAre("faultdrill-model-server", "--port", "8001", "--models", "server/models"));
  EXPECT_EQ(s.target.launch->ready_timeout, seconds(15));
  EXPECT_THAT(s.target.launch->env, ElementsAre(Pair("FD_LOG", "debug")));
  EXPECT_EQ(s.target.launch->where.line, 9);
  EXPECT_THAT(s.target.allow_hosts, ElementsAre("gpu-box.internal"));
  EXPECT_EQ(s.target.where.ToString(), path + ":5:3");

  EXPECT_EQ(s.load.requests_file, (dir_ / "requests.jsonl").string());
  EXPECT_FALSE(s.load.generator.has_value());
  EXPECT_EQ(s.load.mode, LoadMode::kOpen);
  EXPECT_EQ(s.load.rate, Rate{200});
  ASSERT_EQ(s.load.ramp.size(), 1u);
  EXPECT_EQ(s.load.ramp[0].to, Rate{400});
  EXPECT_EQ(s.load.ramp[0].over, seconds(20));
  EXPECT_EQ(s.load.duration, seconds(60));
  EXPECT_EQ(s.load.deadline, milliseconds(1500));

  ASSERT_EQ(s.steady_state.probes.size(), 1u);
  EXPECT_EQ(s.steady_state.probes[0].kind, "health");
  ASSERT_NE(s.steady_state.probes[0].params.Find("timeout"), nullptr);
  EXPECT_EQ(s.steady_state.probes[0].params.Find("kind"), nullptr);
  EXPECT_EQ(s.steady_state.probes[0].params.Find("interval"), nullptr);  // the runner's key, not the probe's
  EXPECT_EQ(s.steady_state.probes[0].interval, seconds(1));
  EXPECT_EQ(s.steady_state.probes[0].name, "health");
  ASSERT_EQ(s.steady_state.slos.size(), 1u);
  EXPECT_EQ(s.steady_state.slos[0].p99_latency, milliseconds(50));
  EXPECT_DOUBLE_EQ(*s.steady_state.slos[0].error_rate, 0.001);
  EXPECT_EQ(s.steady_state.slos[0].name, "p99_latency <= 50ms, error_rate <= 0.1%");

  ASSERT_EQ(s.faults.size(), 2u);
  EXPECT_EQ(s.faults[0].kind, "process-kill");
  EXPECT_EQ(s.faults[0].name, "kill-server");
  EXPECT_EQ(s.faults[0].at, seconds(10));
  EXPECT_EQ(s.faults[0].duration, std::nullopt);
  ASSERT_EQ(s.faults[0].params.entries.size(), 2u);
  EXPECT_EQ(s.faults[0].params.entries[0].first, "signal");
  EXPECT_EQ(s.faults[0].params.Find("restart_after")->scalar, "2s");
  EXPECT_EQ(s.faults[0].params.key_where[0].ToString(), path + ":24:54");
  EXPECT_EQ(s.faults[1].name, "network-latency");  // defaulted to its kind
  EXPECT_EQ(s.faults[1].duration, seconds(10));
  EXPECT_EQ(s.FindFault("kill-server"), &s.faults[0]);
  EXPECT_EQ(s.FindFault("nope"), nullptr);

  ASSERT_EQ(s.slos.size(), 3u);
  EXPECT_EQ(s.slos[0].name, "p99 during latency");
  EXPECT_EQ(s.slos[0].window, (WindowSpec{WindowSpec::Kind::kDuring, "network-latency"}));
  EXPECT_EQ(s.slos[0].p99_latency, milliseconds(150));
  EXPECT_EQ(s.slos[1].recovery_time, seconds(5));
  EXPECT_EQ(s.slos[1].recovery_fault, "kill-server");
  EXPECT_EQ(s.slos[1].window.kind, WindowSpec::Kind::kAll);
  EXPECT_DOUBLE_EQ(*s.slos[2].error_rate, 0.01);
  EXPECT_EQ(s.slos[2].min_throughput, Rate{100});
  EXPECT_EQ(s.slos[2].name, "error_rate <= 1%, min_throughput >= 100/s in after(kill-server)");
  EXPECT_EQ(s.slos[2].where.ToString(), path + ":29:5");
}

TEST(ParseScenario, AppliesDefaults) {
  absl::StatusOr<Scenario> s = ParseScenario(
      "name: t\ntarget: {embedded: true, model: tinylm}\nload: {generator: {model: tinylm}, rate: 5/s, duration: 3s}\n",
      "t.yaml");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->seed, 1u);
  EXPECT_EQ(s->directory, ".");
  EXPECT_TRUE(s->target.embedded);
  EXPECT_EQ(s->target.endpoint, "");
  EXPECT_EQ(s->load.mode, LoadMode::kOpen);
  EXPECT_EQ(s->load.deadline, seconds(2));
  ASSERT_TRUE(s->load.generator.has_value());
  EXPECT_EQ(s->load.generator->batch, 1);
  EXPECT_EQ(s->load.generator->max_tokens, 8);
  EXPECT_TRUE(s->faults.empty());
  EXPECT_TRUE(s->slos.empty());
}

TEST(ParseScenario, AnEmbeddedTargetWithoutARequestSourceUsesItsModelsGenerator) {
  absl::StatusOr<Scenario> s = ParseScenario(
      "name: t\ntarget: {embedded: true, model: tinylm}\nload: {rate: 5/s, duration: 3s}\n", "t.yaml");
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_TRUE(s->load.generator.has_value());
  EXPECT_EQ(s->load.generator->model, "tinylm");
  EXPECT_EQ(s->load.generator->max_tokens, 8);
  EXPECT_TRUE(s->load.requests_file.empty());
}

TEST(ParseScenario, TheEmbeddedServerRunsTwoWorkersWithNoCostByDefault) {
  absl::StatusOr<Scenario> s = ParseScenario(
      "name: t\ntarget: {embedded: true, model: tinylm}\nload: {rate: 5/s, duration: 3s}\n", "t.yaml");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->target.server.workers, 2);
  EXPECT_TRUE(s->target.server.cost.empty());
}

TEST(ParseScenario, ReadsTheEmbeddedServersWorkersAndCost) {
  absl::StatusOr<Scenario> s = ParseScenario(
      "name: t\ntarget:\n  embedded: true\n  model: tinylm\n  server:\n    workers: 3\n    cost:\n"
      "      tinylm: {per_input_token: 10us, per_output_token: 5ms}\n      classifier: {per_batch: 2ms}\n"
      "load: {rate: 5/s, duration: 3s}\n",
      "t.yaml");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->target.server.workers, 3);
  ASSERT_EQ(s->target.server.cost.size(), 2u);
  EXPECT_EQ(s->target.server.cost[0].model, "tinylm");
  EXPECT_EQ(s->target.server.cost[0].per_batch, Duration{0});
  EXPECT_EQ(s->target.server.cost[0].per_input_token, std::chrono::microseconds(10));
  EXPECT_EQ(s->target.server.cost[0].per_output_token, std::chrono::milliseconds(5));
  EXPECT_EQ(s->target.server.cost[1].model, "classifier");
  EXPECT_EQ(s->target.server.cost[1].per_batch, std::chrono::milliseconds(2));
}

TEST(ParseScenario, ReadsAClosedLoop) {
  absl::StatusOr<Scenario> s = ParseScenario(
      "name: t\ntarget: {endpoint: \"[::1]:9000\", model: m}\n"
      "load: {generator: {model: classifier, batch: 64}, mode: closed, concurrency: 8, duration: 1m}\n",
      "t.yaml");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->load.mode, LoadMode::kClosed);
  EXPECT_EQ(s->load.concurrency, 8);
  EXPECT_EQ(s->load.generator->batch, 64);
  EXPECT_EQ(s->load.duration, seconds(60));
}

TEST(LoadScenarioFile, ReportsAMissingFile) {
  absl::StatusOr<Scenario> s = LoadScenarioFile("/nonexistent/drill.yaml");
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.status().message(), "/nonexistent/drill.yaml: no such scenario file");
}

TEST(WindowSpec, PrintsAndParsesEveryKind) {
  for (const char* text : {"all", "before", "during(kill-server)", "after(net.1)"}) {
    absl::StatusOr<WindowSpec> spec = ParseWindowSpec(text);
    ASSERT_TRUE(spec.ok()) << text;
    EXPECT_EQ(spec->ToString(), text);
  }
  EXPECT_EQ(*ParseWindowSpec("during(x)"), (WindowSpec{WindowSpec::Kind::kDuring, "x"}));
}

TEST(WindowSpec, RejectsMalformedWindows) {
  for (const char* text : {"", "All", "during()", "during(x", "during x", "after(a b)", "final", "during(x))"}) {
    absl::StatusOr<WindowSpec> spec = ParseWindowSpec(text);
    ASSERT_FALSE(spec.ok()) << text;
    EXPECT_THAT(std::string(spec.status().message()), HasSubstr("during(<fault name>)")) << text;
  }
}

// --- bad input: every mistake is reported at its line:column ---

constexpr char kMinimal[] = R"(name: t
target:
  embedded: true
  model: classifier
load:
  generator: {model: classifier}
  rate: 100/s
  duration: 20s
)";

std::string Minimal(std::string_view extra) { return std::string(kMinimal) + std::string(extra); }

struct BadScenario {
  std::string test_name;
  std::string yaml;
  std::string where;     // "line:col"
  std::string fragment;  // part of the message after "bad.yaml:line:col: "
};

void PrintTo(const BadScenario& c, std::ostream* os) { *os << c.test_name; }

class BadScenarioTest : public ::testing::TestWithParam<BadScenario> {};

TEST_P(BadScenarioTest, IsReportedAtItsPosition) {
  const BadScenario& c = GetParam();
  absl::StatusOr<Scenario> s = ParseScenario(c.yaml, "bad.yaml");
  ASSERT_FALSE(s.ok()) << "accepted:\n" << c.yaml;
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  std::string message(s.status().message());
  EXPECT_THAT(message, ::testing::StartsWith("bad.yaml:" + c.where + ": ")) << message;
  EXPECT_THAT(message, HasSubstr(c.fragment)) << message;
}

const BadScenario kBadScenarios[] = {
    {"UnknownTopLevelKey", Minimal("nmae: x\n"), "9:1", "unknown key 'nmae' (did you mean 'name'?); known keys: name,"},
    {"UnknownTopLevelKeyWithoutSuggestion", Minimal("zebra: {}\n"), "9:1", "unknown key 'zebra'; known keys:"},
    {"UnknownNestedKeyWithSuggestion",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  rate: 1/s\n  durtion: 20s\n",
     "6:3", "load: unknown key 'durtion' (did you mean 'duration'?)"},
    {"UnknownKeyInGenerator",
     "name: t\ntarget: {embedded: true, model: m}\nload: {generator: {model: tinylm, batches: 2}, rate: 1/s, duration: "
     "1s}\n",
     "3:35", "load.generator: unknown key 'batches' (did you mean 'batch'?)"},
    {"UnknownKeyInSlo", Minimal("slos:\n  - {p99_latncy: 5ms}\n"), "10:6",
     "slos[0]: unknown key 'p99_latncy' (did you mean 'p99_latency'?)"},
    {"ListExpectedGotMap", Minimal("faults: {kind: process-kill, at: 1s}\n"), "9:9",
     "faults: expected a list, got a map"},
    {"MapExpectedGotString", "name: t\ntarget: localhost:1\nload: {}\n", "2:9", "target: expected a map, got a string"},
    {"StringExpectedGotList", "name: [a]\n", "1:7", "name: expected a string, got a list"},
    {"NonMapTopLevel", "- name: t\n", "1:1", "expected a map of scenario keys (name, target, load, ...), got a list"},
    {"EmptyFile", "", "1:1", "the scenario is empty"},
    {"OnlyComments", "# nothing here\n", "1:1", "the scenario is empty"},
    {"YamlSyntaxError", "name: t\n target: x\n", "2:8", "YAML syntax error"},
    {"UnclosedFlowList", "name: t\nfaults: [\n", "3:1", "YAML syntax error"},
    {"DuplicateKey", "name: t\nname: u\n", "2:1", "duplicate key 'name' (first at line 1)"},
    {"MissingName", "target: {embedded: true, model: m}\nload: {generator: {model: tinylm}, rate: 1/s, duration: 1s}\n",
     "1:1", "missing required key 'name'"},
    {"BadName", "name: Quick Start\n", "1:7", "name: 'Quick Start' must be lowercase letters"},
    {"DotsOnlyName", "name: ..\n", "1:7", "name: '..' must be"},
    {"MissingTarget", "name: t\nload: {generator: {model: tinylm}, rate: 1/s, duration: 1s}\n", "1:1",
     "missing required key 'target'"},
    {"MissingLoad", "name: t\ntarget: {embedded: true, model: m}\n", "1:1", "missing required key 'load'"},
    {"EmbeddedAndEndpoint", "name: t\ntarget:\n  embedded: true\n  endpoint: 127.0.0.1:8001\n  model: m\n", "4:13",
     "target: endpoint: cannot be combined with 'embedded: true'"},
    {"NeitherEmbeddedNorEndpoint", "name: t\ntarget:\n  model: m\n", "3:3",
     "target: set either 'endpoint: host:port' or 'embedded: true'"},
    {"EndpointWithoutPort", "name: t\ntarget: {endpoint: localhost, model: m}\n", "2:20",
     "target: endpoint: 'localhost' is not host:port"},
    {"EndpointPortOutOfRange", "name: t\ntarget: {endpoint: \"h:70000\", model: m}\n", "2:20", "is not host:port"},
    {"MissingModel", "name: t\ntarget:\n  embedded: true\n", "3:3", "target: missing required key 'model'"},
    {"EmbeddedNotBool", "name: t\ntarget: {embedded: yes please, model: m}\n", "2:20",
     "target: embedded: expected true or false, got 'yes please'"},
    {"LaunchWithEmbedded", "name: t\ntarget:\n  embedded: true\n  model: m\n  launch: {command: [x]}\n", "5:11",
     "target: launch: cannot be combined with 'embedded: true'"},
    {"LaunchEmptyCommand", "name: t\ntarget:\n  endpoint: h:1\n  model: m\n  launch: {command: []}\n", "5:21",
     "target.launch: command: must not be empty"},
    {"LaunchCommandNotAList",
     "name: t\ntarget:\n  endpoint: h:1\n  model: m\n  launch: {command: \"server --port 1\"}\n", "5:21",
     "target.launch: command: expected a list, got a string"},
    {"LaunchEnvNotAString", "name: t\ntarget:\n  endpoint: h:1\n  model: m\n  launch: {command: [x], env: {A: [1]}}\n",
     "5:35", "target.launch.env: A: expected a string, got a list"},
    {"RequestsAndGenerator",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  requests: r.jsonl\n  generator: {model: tinylm}\n", "5:14",
     "load: generator: cannot be combined with 'requests'"},
    {"NoRequestSource", "name: t\ntarget: {embedded: true, model: m}\nload:\n  rate: 1/s\n", "4:3",
     "load: set either 'requests: <file.jsonl>' or 'generator: {model: ...}' (only an embedded target's own models"},
    {"NoRequestSourceForAnEndpoint", "name: t\ntarget: {endpoint: h:1, model: tinylm}\nload:\n  rate: 1/s\n", "4:3",
     "load: set either 'requests: <file.jsonl>' or 'generator: {model: ...}'"},
    {"ServerWithoutEmbedded", "name: t\ntarget:\n  endpoint: h:1\n  model: m\n  server: {workers: 2}\n", "5:11",
     "target: server: configures the embedded reference server: only with 'embedded: true'"},
    {"ServerUnknownKey", "name: t\ntarget:\n  embedded: true\n  model: m\n  server: {workerz: 2}\n", "5:12",
     "target.server: unknown key 'workerz' (did you mean 'workers'?)"},
    {"ServerZeroWorkers", "name: t\ntarget:\n  embedded: true\n  model: m\n  server: {workers: 0}\n", "5:21",
     "target.server: workers: 0 is out of range"},
    {"CostForAnUnknownModel", "name: t\ntarget:\n  embedded: true\n  model: m\n  server: {cost: {gpt: {per_batch: 1ms}}}\n",
     "5:19", "target.server.cost: unknown key 'gpt'"},
    {"CostUnknownTerm",
     "name: t\ntarget:\n  embedded: true\n  model: m\n  server: {cost: {tinylm: {per_token: 1ms}}}\n", "5:28",
     "target.server.cost.tinylm: unknown key 'per_token'"},
    {"CostNotADuration",
     "name: t\ntarget:\n  embedded: true\n  model: m\n  server: {cost: {tinylm: {per_output_token: fast}}}\n",
     "5:46", "target.server.cost.tinylm: per_output_token:"},
    {"CostAboveAMinute",
     "name: t\ntarget:\n  embedded: true\n  model: m\n  server: {cost: {classifier: {per_batch: 2m}}}\n", "5:43",
     "target.server.cost.classifier: per_batch: must be at most 60s"},
    {"CostNotAMap", "name: t\ntarget:\n  embedded: true\n  model: m\n  server: {cost: {tinylm: 5ms}}\n", "5:27",
     "target.server.cost.tinylm: expected a map such as {per_output_token: 2ms}, got a string"},
    {"RequestsFileMissing", "name: t\ntarget: {embedded: true, model: m}\nload:\n  requests: nowhere/r.jsonl\n", "4:13",
     "load: requests: no such file: nowhere/r.jsonl"},
    {"GeneratorUnknownModel", "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylmm}\n",
     "4:22", "load.generator: model: 'tinylmm' is not one of tinylm, classifier (did you mean 'tinylm'?)"},
    {"GeneratorBatchTooLarge",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: classifier, batch: 65}\n", "4:41",
     "load.generator: batch: 65 is out of range: expected an integer between 1 and 64"},
    {"GeneratorMaxTokensZero",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm, max_tokens: 0}\n", "4:42",
     "max_tokens: 0 is out of range: expected an integer between 1 and 256"},
    {"ModeTypo", "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  mode: opne\n",
     "5:9", "load: mode: 'opne' is not one of open, closed (did you mean 'open'?)"},
    {"OpenLoopWithoutRate",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  duration: 1s\n", "4:3",
     "load: missing required key 'rate'"},
    {"BadDuration",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  rate: 1/s\n  duration: 20\n",
     "6:13",
     "load: duration: invalid duration \"20\": missing unit; expected a number and a unit (ns, us, µs, ms, s, m, h)"},
    {"ZeroDuration",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  rate: 1/s\n  duration: 0s\n",
     "6:13", "load: duration: must be greater than 0"},
    {"MissingDuration",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  rate: 1/s\n", "4:3",
     "load: missing required key 'duration'"},
    {"ZeroDeadline",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  rate: 1/s\n  duration: 1s\n  "
     "deadline: 0\n",
     "7:13", "load: deadline: must be greater than 0"},
    {"NegativeRate", "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  rate: -5/s\n",
     "5:9", "load: rate: invalid rate \"-5/s\": must not be negative"},
    {"ZeroRate", "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  rate: 0/s\n",
     "5:9", "load: rate: must be greater than 0/s"},
    {"RateWithoutUnit",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  rate: 200\n", "5:9",
     "load: rate: invalid rate \"200\": expected <number>/<unit>"},
    {"RampZeroRate",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  rate: 1/s\n  ramp: [{to: "
     "0/s, over: 1s}]\n",
     "6:15", "load.ramp[0]: to: must be greater than 0/s"},
    {"RampZeroOver",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  rate: 1/s\n  ramp: [{to: "
     "2/s, over: 0s}]\n",
     "6:26", "load.ramp[0]: over: must be greater than 0"},
    {"RampNotAList",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  rate: 1/s\n  ramp: {to: "
     "2/s}\n",
     "6:9", "load: ramp: expected a list, got a map"},
    {"RampStepNotAMap",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  rate: 1/s\n  ramp: [400/s]\n",
     "6:10", "load.ramp[0]: expected a map such as {to: 400/s, over: 20s}, got a string"},
    {"ClosedLoopWithoutConcurrency",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  mode: closed\n  duration: "
     "1s\n",
     "4:3", "load: missing required key 'concurrency'"},
    {"ClosedLoopConcurrencyZero",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  mode: closed\n  concurrency: "
     "0\n",
     "6:16", "load: concurrency: 0 is out of range: expected an integer between 1 and 10000"},
    {"ClosedLoopConcurrencyNotANumber",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  mode: closed\n  concurrency: "
     "many\n",
     "6:16", "load: concurrency: expected an integer between 1 and 10000, got 'many'"},
    {"RampInClosedMode",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  mode: closed\n  concurrency: "
     "4\n"
     "  ramp: [{to: 2/s, over: 1s}]\n",
     "7:9", "load: ramp: only applies to 'mode: open'"},
    {"RateInClosedMode",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  mode: closed\n  concurrency: "
     "4\n"
     "  rate: 5/s\n",
     "7:9", "load: rate: only applies to 'mode: open'"},
    {"ConcurrencyInOpenMode",
     "name: t\ntarget: {embedded: true, model: m}\nload:\n  generator: {model: tinylm}\n  rate: 5/s\n  concurrency: "
     "4\n",
     "6:16", "load: concurrency: only applies to 'mode: closed'"},
    {"NegativeSeed", Minimal("seed: -1\n"), "9:7", "seed: expected a non-negative integer, got '-1'"},
    {"FaultWithoutKind", Minimal("faults:\n  - {at: 1s}\n"), "10:5", "faults[0]: missing required key 'kind'"},
    {"FaultBadKind", Minimal("faults:\n  - {kind: Process_Kill, at: 1s}\n"), "10:12",
     "faults[0]: kind: 'Process_Kill' is not a fault kind"},
    {"FaultNotAMap", Minimal("faults:\n  - process-kill\n"), "10:5",
     "faults[0]: expected a map such as {kind: process-kill, at: 10s}, got a string"},
    {"FaultWithoutAt", Minimal("faults:\n  - {kind: process-kill}\n"), "10:5",
     "faults[0] (process-kill): missing required key 'at'"},
    {"FaultAtPastTheEnd", Minimal("faults:\n  - {kind: process-kill, name: k, at: 25s}\n"), "10:39",
     "faults[0] 'k' (process-kill): at: 25s is not before the end of the load (load.duration 20s)"},
    {"FaultAtTheEnd", Minimal("faults:\n  - {kind: process-kill, at: 20s}\n"), "10:30",
     "at: 20s is not before the end"},
    {"FaultForPastTheEnd", Minimal("faults:\n  - {kind: network-latency, at: 15s, for: 10s}\n"), "10:43",
     "faults[0] (network-latency): for: the fault would end at 15s + 10s, after the end of the load (load.duration "
     "20s)"},
    {"FaultForZero", Minimal("faults:\n  - {kind: network-latency, at: 15s, for: 0s}\n"), "10:43",
     "for: must be greater than 0"},
    {"DuplicateFaultNames",
     Minimal("faults:\n  - {kind: process-kill, name: a, at: 1s}\n  - {kind: network-latency, name: a, at: 2s}\n"),
     "11:35", "faults[1]: duplicate fault name 'a' (also faults[0] at line 10)"},
    {"NameCollidesWithDefaultedName",
     Minimal("faults:\n  - {kind: process-kill, at: 1s}\n  - {kind: network-latency, name: process-kill, at: 2s}\n"),
     "11:35", "duplicate fault name 'process-kill'"},
    {"RepeatedKindWithoutName",
     Minimal("faults:\n  - {kind: process-kill, name: first, at: 1s}\n  - {kind: process-kill, at: 5s}\n"), "11:5",
     "faults[1] (process-kill): missing 'name': kind 'process-kill' occurs 2 times, so each of them needs a unique "
     "name"},
    {"SloWindowNamesUnknownFault",
     Minimal("faults:\n  - {kind: process-kill, at: 1s}\nslos:\n  - {window: during(kill), p99_latency: 1s}\n"),
     "12:14", "slos[0]: window: no fault named 'kill' (faults: process-kill)"},
    {"SloWindowWithoutFaults", Minimal("slos:\n  - {window: after(x), p99_latency: 1s}\n"), "10:14",
     "no fault named 'x' (the scenario has no faults)"},
    {"SloWindowMalformed", Minimal("slos:\n  - {window: during, p99_latency: 1s}\n"), "10:14",
     "slos[0]: window: invalid window \"during\": expected all, before, during(<fault name>) or after(<fault name>)"},
    {"SloWithoutThreshold", Minimal("slos:\n  - {name: nothing}\n"), "10:5",
     "slos[0]: no threshold: set at least one of p50_latency, p90_latency, p99_latency, p999_latency, error_rate, "
     "min_throughput, recovery_time"},
    {"SloErrorRateAbove100Percent", Minimal("slos:\n  - {error_rate: 150%}\n"), "10:18",
     "slos[0]: error_rate: invalid percentage \"150%\": must be between 0% and 100%"},
    {"SloZeroLatency", Minimal("slos:\n  - {p99_latency: 0ms}\n"), "10:19",
     "slos[0]: p99_latency: must be greater than 0"},
    {"SloLatencyOfUnknown", Minimal("slos:\n  - {p99_latency: 1s, latency_of: failed}\n"), "10:35",
     "slos[0]: latency_of: 'failed' is not one of ok, all"},
    {"SloLatencyOfWithoutLatency", Minimal("slos:\n  - {error_rate: 1%, latency_of: all}\n"), "10:34",
     "slos[0]: latency_of: applies to latency thresholds only"},
    {"SteadyStateLatencyOfWithoutLatency", Minimal("steady_state:\n  - slo: {error_rate: 1%, latency_of: all}\n"),
     "10:39", "latency_of: applies to latency thresholds only"},
    {"SloZeroThroughput", Minimal("slos:\n  - {min_throughput: 0/s}\n"), "10:22",
     "min_throughput: must be greater than 0/s"},
    {"SloRecoveryFaultUnknown", Minimal("slos:\n  - {recovery_time: 5s, fault: kill}\n"), "10:32",
     "slos[0]: fault: no fault named 'kill'"},
    {"SloFaultWithoutRecoveryTime",
     Minimal("faults:\n  - {kind: process-kill, at: 1s}\nslos:\n  - {p99_latency: 1s, fault: process-kill}\n"), "12:30",
     "slos[0]: fault: only applies together with 'recovery_time'"},
    {"DuplicateSloNames", Minimal("slos:\n  - {name: fast, p99_latency: 1s}\n  - {name: fast, p50_latency: 1s}\n"),
     "11:12", "slos: duplicate SLO name 'fast' (also at line 10)"},
    {"DuplicateDefaultSloNames", Minimal("slos:\n  - {p99_latency: 1s}\n  - {p99_latency: 1000ms}\n"), "11:5",
     "duplicate SLO name 'p99_latency <= 1s'"},
    {"SlosNotAList", Minimal("slos: {p99_latency: 1s}\n"), "9:7", "slos: expected a list, got a map"},
    {"SteadyStateProbeAndSloTogether",
     Minimal("steady_state:\n  - probe: {kind: health}\n    slo: {p99_latency: 1s}\n"), "10:5",
     "steady_state[0]: each entry holds exactly one of 'probe' or 'slo'"},
    {"SteadyStateUnknownEntry", Minimal("steady_state:\n  - prob: {kind: health}\n"), "10:5",
     "steady_state[0]: unknown key 'prob' (did you mean 'probe'?)"},
    {"SteadyStateProbeWithoutKind", Minimal("steady_state:\n  - probe: {interval: 1s}\n"), "10:12",
     "steady_state[0].probe: missing required key 'kind'"},
    {"SteadyStateSloWithWindow", Minimal("steady_state:\n  - slo: {p99_latency: 1s, window: all}\n"), "10:28",
     "steady_state[0].slo: unknown key 'window'"},
    {"SteadyStateSloWithoutThreshold", Minimal("steady_state:\n  - slo: {name: x}\n"), "10:10",
     "steady_state[0].slo: no threshold: set at least one of p50_latency, p90_latency, p99_latency, p999_latency, "
     "error_rate, min_throughput"},
};

INSTANTIATE_TEST_SUITE_P(ParseScenario, BadScenarioTest, ::testing::ValuesIn(kBadScenarios),
                         [](const ::testing::TestParamInfo<BadScenario>& info) { return info.param.test_name; });

TEST(ParseScenario, LatencyObjectivesJudgeSuccessfulCallsUnlessLatencyOfAll) {
  absl::StatusOr<Scenario> s = ParseScenario(Minimal("steady_state:\n  - slo: {p99_latency: 50ms, latency_of: all}\n"
                                                     "slos:\n  - {p99_latency: 1s}\n"
                                                     "  - {p99_latency: 2s, latency_of: ok}\n"
                                                     "  - {p99_latency: 1s, latency_of: all}\n"),
                                             "t.yaml");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->steady_state.slos[0].latency_of, LatencyOf::kAll);
  EXPECT_EQ(s->slos[0].latency_of, LatencyOf::kOk);
  EXPECT_EQ(s->slos[1].latency_of, LatencyOf::kOk);
  EXPECT_EQ(s->slos[2].latency_of, LatencyOf::kAll);
  EXPECT_EQ(s->slos[0].name, "p99_latency <= 1s");
  EXPECT_EQ(s->slos[2].name, "p99_latency <= 1s, latency_of: all");
}

TEST(ParseScenario, ReportsTheFirstErrorOnly) {
  absl::StatusOr<Scenario> s = ParseScenario("name: BAD\nnope: 1\n", "bad.yaml");
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("unknown key 'nope'"));  // key check comes first
  s = ParseScenario("name: BAD\ntarget: 1\n", "bad.yaml");
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("bad.yaml:1:7: name:"));
}

TEST(ParseScenario, NeverThrowsOnGarbage) {
  for (const char* text : {"\t\t", "{{{", "]", "name: \"unterminated", "&a [*a]", "!!binary x", "? ? ?", "\xff\xfe",
                           "name: t\n---\n", "name: *undefined"}) {
    EXPECT_FALSE(ParseScenario(text, "g.yaml").ok()) << text;
  }
}

}  // namespace
}  // namespace faultdrill
