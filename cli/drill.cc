#include "cli/drill.h"

#include <fmt/format.h>

#include <ctime>
#include <filesystem>
#include <optional>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "injectors/fault_scheduler.h"
#include "judge/judge.h"
#include "load/grpc_transport.h"
#include "load/load_driver.h"
#include "load/recorder.h"
#include "reports/html_report.h"
#include "reports/json_report.h"
#include "reports/junit_report.h"

namespace faultdrill::cli {
namespace fs = std::filesystem;

namespace {

constexpr char kVersion[] = "0.1.0";
// Time between deciding the load's start and the first request, so that the
// threads are up before the clock starts counting.
constexpr auto kLoadLead = std::chrono::milliseconds(200);
// How long the steady-state check after the faults waits for the target to be
// healthy again.
constexpr auto kAfterProbeGrace = std::chrono::seconds(10);

std::string UtcNow() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

// Named without the endpoint (an embedded target's port changes every run),
// so CI can follow the same testcase from run to run.
Verdict ProbeVerdict(std::string_view when, std::string_view window, const probes::Probe& probe,
                     const probes::HealthProbeSettings& settings, bool healthy, const std::string& detail) {
  Verdict v;
  v.name = fmt::format("{}: health probe{}", when, settings.model.empty() ? "" : " of model " + settings.model);
  v.group = "steady-state";
  v.window = std::string(window);
  v.metric = "probe";
  v.comparison = "==";
  v.threshold = 1;
  v.measured = healthy ? 1 : 0;
  v.unit = "";
  v.passed = healthy;
  v.message = fmt::format("{} {}: {}", probe.Describe(), healthy ? "healthy" : "NOT healthy", detail);
  return v;
}

// A fault that could not be applied or taken back is a failed drill: the
// scenario did not test what it says, or left something behind.
Verdict FaultVerdict(const FaultRecord& fault) {
  Verdict v;
  v.name = fmt::format("fault {} applied and reverted", fault.name);
  v.group = "fault";
  v.window = fmt::format("during({})", fault.name);
  v.metric = "fault";
  v.comparison = "==";
  v.threshold = 1;
  v.passed = fault.state == "reverted";
  v.measured = v.passed ? 1 : 0;
  v.message = v.passed ? fmt::format("{} ({}): {}", fault.name, fault.kind, fault.description)
                       : fmt::format("{} ({}) ended {}: {}", fault.name, fault.kind, fault.state,
                                     fault.error.empty() ? "never applied" : fault.error);
  if (fault.applied_at_s && fault.reverted_at_s) v.duration_s = *fault.reverted_at_s - *fault.applied_at_s;
  return v;
}

std::vector<std::unique_ptr<probes::HealthProbe>> MakeProbes(const CompiledScenario& compiled,
                                                             const std::string& endpoint) {
  std::vector<std::unique_ptr<probes::HealthProbe>> probes;
  auto channel = grpc::CreateChannel(endpoint, grpc::InsecureChannelCredentials());
  for (const auto& settings : compiled.steady_state_probes) {
    probes.push_back(std::make_unique<probes::HealthProbe>(channel, endpoint, settings));
  }
  return probes;
}

}  // namespace

Drill::Drill(CompiledScenario& compiled, DrillSettings settings, std::ostream& console)
    : compiled_(compiled), settings_(std::move(settings)), console_(console), clock_(SystemClock()) {
  const Scenario& s = compiled_.scenario;
  RunResult& r = outcome_.result;
  r.faultdrill_version = kVersion;
  r.scenario_name = s.name;
  r.scenario_file = s.file;
  r.seed = s.seed;
  r.started_at = UtcNow();
  r.target.model = s.target.model;
  r.target.embedded = s.target.embedded;
  r.target.endpoint = s.target.endpoint;
  r.load.mode = s.load.mode == LoadMode::kOpen ? "open" : "closed";
  r.load.rate_rps = s.load.rate.per_second;
  r.load.concurrency = s.load.concurrency;
}

DrillOutcome Drill::Run(std::stop_token stop) {
  if (absl::Status s = PrepareOutput(); !s.ok()) {
    Fail(Outcome::kError, kExitEnvironment, std::string(s.message()));
    return std::move(outcome_);
  }
  if (absl::Status s = BringUpTarget(stop); !s.ok()) {
    if (absl::IsCancelled(s)) {
      Fail(Outcome::kAborted, kExitAborted, "interrupted before the load started");
    } else {
      Fail(Outcome::kError, kExitEnvironment, std::string(s.message()));
    }
    WriteReports();
    return std::move(outcome_);
  }
  CheckSteadyStateBefore();
  DriveLoadWithFaults(stop);
  CheckSteadyStateAfter(stop);
  Judge(stop.stop_requested());
  WriteReports();
  return std::move(outcome_);
}

absl::Status Drill::PrepareOutput() {
  std::error_code ec;
  fs::create_directories(settings_.out_dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        fmt::format("cannot create the output folder {}: {}", settings_.out_dir, ec.message()));
  }
  return absl::OkStatus();
}

absl::Status Drill::BringUpTarget(std::stop_token stop) {
  console_ << "faultdrill: bringing up the target: " << (compiled_.scenario.target.embedded ? "embedded reference server" : compiled_.scenario.target.endpoint)
           << "\n" << std::flush;
  auto target = StartTarget(compiled_.scenario, settings_.out_dir, stop);
  if (!target.ok()) return target.status();
  target_ = *std::move(target);
  compiled_.targets.set_launched(target_.process.get());
  outcome_.result.target.endpoint = target_.endpoint;
  console_ << "faultdrill: target healthy: " << target_.description << "\n" << std::flush;
  return absl::OkStatus();
}

void Drill::CheckSteadyStateBefore() {
  events_ = std::make_unique<EventLog>(clock_, clock_.Now() + kLoadLead);
  events_->Add("target", target_.description);
  auto probes = MakeProbes(compiled_, target_.endpoint);
  for (size_t i = 0; i < probes.size(); ++i) {
    probes::ProbeResult result = probes[i]->Check();
    events_->Add("probe:health", fmt::format("before: {}", result.detail));
    probe_verdicts_.push_back(ProbeVerdict("before", "before", *probes[i], compiled_.steady_state_probes[i],
                                           result.healthy, result.detail));
  }
}

void Drill::DriveLoadWithFaults(std::stop_token stop) {
  const Scenario& s = compiled_.scenario;
  const Timeline& timeline = compiled_.timeline;
  RunResult& r = outcome_.result;

  load::Recorder recorder(timeline.windows(), load::RecorderOptions::ForDeadline(s.load.deadline));
  auto transport = load::GrpcTransport::Create({.endpoint = target_.endpoint, .channels = 2});
  if (!transport.ok()) {
    Fail(Outcome::kError, kExitEnvironment, std::string(transport.status().message()));
    return;
  }
  load::LoadDriver driver(s.load, *compiled_.requests, **transport, recorder, clock_);
  std::vector<injectors::Injector*> injectors;
  for (auto& injector : compiled_.injectors) injectors.push_back(injector.get());
  injectors::FaultScheduler scheduler(timeline, injectors, clock_, *events_);

  events_->Add("runner", "load starts");
  load::LoadStats stats;
  {
    std::optional<ProgressPrinter> progress;
    if (settings_.live_progress) {
      progress.emplace(ProgressSource{recorder, [&scheduler] { return scheduler.ActiveFaults(); }, s.load.duration},
                       console_, settings_.interactive);
    }
    std::stop_source fault_stop;
    std::stop_callback forward(stop, [&fault_stop] { fault_stop.request_stop(); });
    std::jthread fault_thread([&scheduler, &fault_stop] { scheduler.Run(fault_stop.get_token()); });
    stats = driver.Run(events_->start(), stop);
    fault_stop.request_stop();
  }
  events_->Add("runner", stop.stop_requested() ? "load stopped (interrupted)" : "load ends");
  scheduler.RevertAll(stop.stop_requested() ? "interrupted" : "end of run");

  r.duration_s = ToSeconds(stats.load_length);
  r.load.sent = stats.sent;
  r.load.completed = stats.completed;
  r.load.achieved_rps = stats.achieved_rps;
  r.windows = recorder.WindowResults(stats.load_length);
  r.series = recorder.Series();
  r.faults = scheduler.Records();
}

void Drill::CheckSteadyStateAfter(std::stop_token stop) {
  if (stop.stop_requested() || compiled_.timeline.faults().empty()) return;
  auto probes = MakeProbes(compiled_, target_.endpoint);
  for (size_t i = 0; i < probes.size(); ++i) {
    absl::Status healthy =
        probes::WaitUntilHealthy(*probes[i], kAfterProbeGrace, std::chrono::milliseconds(100), stop);
    std::string detail = healthy.ok() ? probes[i]->Check().detail : std::string(healthy.message());
    events_->Add("probe:health", fmt::format("after: {}", detail));
    probe_verdicts_.push_back(
        ProbeVerdict("after", "final", *probes[i], compiled_.steady_state_probes[i], healthy.ok(), detail));
  }
}

void Drill::Judge(bool interrupted) {
  RunResult& r = outcome_.result;
  const Scenario& s = compiled_.scenario;
  std::vector<Verdict> verdicts;
  for (Verdict& v : probe_verdicts_) {
    if (v.name.starts_with("before")) verdicts.push_back(v);
  }
  for (Verdict& v : judge::JudgeSteadyState(s, compiled_.timeline, r)) verdicts.push_back(std::move(v));
  for (Verdict& v : judge::JudgeSlos(s, compiled_.timeline, r)) verdicts.push_back(std::move(v));
  for (const FaultRecord& fault : r.faults) verdicts.push_back(FaultVerdict(fault));
  for (Verdict& v : probe_verdicts_) {
    if (v.name.starts_with("after")) verdicts.push_back(v);
  }
  r.verdicts = std::move(verdicts);
  r.events = events_->Snapshot();
  if (outcome_.exit_code != kExitPassed) return;  // an earlier Fail() decided
  if (interrupted) {
    r.outcome = Outcome::kAborted;
    r.abort_reason = "interrupted by a signal; every active fault was reverted";
    outcome_.exit_code = kExitAborted;
    return;
  }
  r.outcome = judge::Decide(r.verdicts);
  outcome_.exit_code = r.outcome == Outcome::kPassed ? kExitPassed : kExitFailed;
}

void Drill::WriteReports() {
  RunResult& r = outcome_.result;
  if (events_ && r.events.empty()) r.events = events_->Snapshot();
  r.exit_code = outcome_.exit_code;
  const fs::path dir(settings_.out_dir);
  struct Writer {
    const char* file;
    absl::Status (*write)(const RunResult&, const std::string&);
  };
  const Writer writers[] = {{"result.json", &reports::WriteJsonReport},
                            {"junit.xml", &reports::WriteJunitReport},
                            {"report.html", &reports::WriteHtmlReport}};
  for (const Writer& w : writers) {
    std::string path = (dir / w.file).string();
    if (absl::Status s = w.write(r, path); !s.ok()) {
      console_ << "faultdrill: cannot write " << path << ": " << s.message() << "\n";
      if (outcome_.exit_code == kExitPassed) outcome_.exit_code = kExitEnvironment;
      continue;
    }
    outcome_.report_files.push_back(path);
  }
}

void Drill::Fail(Outcome outcome, int exit_code, std::string reason) {
  RunResult& r = outcome_.result;
  if (outcome_.exit_code != kExitPassed) return;  // the first failure is the reason
  r.outcome = outcome;
  r.abort_reason = std::move(reason);
  outcome_.exit_code = exit_code;
}

}  // namespace faultdrill::cli
