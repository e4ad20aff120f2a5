#include "cli/drill.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "injectors/fault_scheduler.h"
#include "injectors/load_hook.h"
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
  r.started_at = UtcTimestamp();
  r.target.model = s.target.model;
  r.target.embedded = s.target.embedded;
  r.target.endpoint = s.target.endpoint;
  r.load.mode = s.load.mode == LoadMode::kOpen ? "open" : "closed";
  r.load.rate_rps = s.load.rate.per_second;
  r.load.concurrency = s.load.concurrency;
}

DrillOutcome Drill::Run(std::stop_token stop) {
  for (auto step : {&Drill::PrepareOutput, &Drill::CheckNeeds, &Drill::OpenJournal}) {
    if (absl::Status s = (this->*step)(); !s.ok()) {
      Fail(Outcome::kError, kExitEnvironment, std::string(s.message()));
      if (step != &Drill::PrepareOutput) WriteReports();
      return std::move(outcome_);
    }
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

// Everything every fault needs from this machine, checked before anything
// starts: a drill that cannot inject what it promises does not run (exit 3).
absl::Status Drill::CheckNeeds() {
  std::vector<std::string> missing;
  for (size_t i = 0; i < compiled_.injectors.size(); ++i) {
    for (const injectors::Need& need : compiled_.injectors[i]->Needs()) {
      if (!need.status.ok()) {
        missing.push_back(fmt::format("fault {} needs {}: {}", compiled_.scenario.faults[i].name, need.what,
                                      std::string(need.status.message())));
      }
    }
  }
  if (missing.empty()) return absl::OkStatus();
  std::string text = "this machine lacks what the faults need:";
  for (const std::string& m : missing) text += "\n  " + m;
  return absl::FailedPreconditionError(text);
}

// The write-ahead undo journal of this run, in <out>/journal/. A journal that
// still holds undo steps of an earlier run (faultdrill was killed) must be
// recovered first: running over it would leave those faults in place.
absl::Status Drill::OpenJournal() {
  const std::string dir = (fs::path(settings_.out_dir) / "journal").string();
  if (fs::exists(JournalFile(dir))) {
    auto records = ReadJournal(dir);
    if (!records.ok()) return records.status();
    if (size_t pending = PendingUndos(*records).size(); pending > 0) {
      return absl::FailedPreconditionError(fmt::format(
          "an earlier run was interrupted and left {} undo step(s) in {}; run `faultdrill recover --journal {}` "
          "first",
          pending, dir, dir));
    }
  }
  auto journal = Journal::Open(dir, compiled_.scenario.name);
  if (!journal.ok()) return journal.status();
  journal_ = *std::move(journal);
  compiled_.run.set_journal(journal_.get());
  compiled_.run.set_work_dir(settings_.out_dir);
  return absl::OkStatus();
}

absl::Status Drill::BringUpTarget(std::stop_token stop) {
  console_ << "faultdrill: bringing up the target: " << (compiled_.scenario.target.embedded ? "embedded reference server" : compiled_.scenario.target.endpoint)
           << "\n" << std::flush;
  injectors::LaunchEnv env;
  if (compiled_.scenario.target.embedded || compiled_.scenario.target.launch) {
    for (auto& injector : compiled_.injectors) {
      if (absl::Status s = injector->PrepareLaunch(env); !s.ok()) return s;
    }
  }
  auto target = StartTarget(compiled_.scenario, settings_.out_dir, env, stop);
  if (!target.ok()) return target.status();
  target_ = *std::move(target);
  compiled_.targets.set_launched(target_.process.get());
  outcome_.result.target.endpoint = target_.endpoint;
  console_ << "faultdrill: target healthy: " << target_.description << "\n" << std::flush;
  load_endpoint_ = target_.endpoint;
  if (injectors::ScenarioUsesProxy(compiled_.scenario)) {
    // The load goes through the fault proxy from its first request; probes
    // still ask the target directly.
    auto proxy = injectors::FaultProxy::Start(target_.endpoint, settings_.out_dir, *journal_);
    if (!proxy.ok()) return proxy.status();
    proxy_ = *std::move(proxy);
    compiled_.run.set_proxy(proxy_.get());
    load_endpoint_ = proxy_->endpoint();
    console_ << "faultdrill: load goes through the fault proxy at " << load_endpoint_ << "\n" << std::flush;
  }
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
  auto transport = load::GrpcTransport::Create({.endpoint = load_endpoint_, .channels = 2});
  if (!transport.ok()) {
    Fail(Outcome::kError, kExitEnvironment, std::string(transport.status().message()));
    return;
  }
  // Declared before the driver: calls still completing when the driver is
  // destroyed report to it.
  load::InterceptorChain interceptors;
  for (auto& injector : compiled_.injectors) {
    if (auto* hook = dynamic_cast<injectors::LoadHook*>(injector.get())) interceptors.Add(&hook->interceptor());
  }
  load::LoadDriver driver(s.load, *compiled_.requests, **transport, recorder, clock_);
  if (!interceptors.empty()) driver.SetInterceptor(&interceptors);
  std::vector<injectors::Injector*> injectors;
  for (auto& injector : compiled_.injectors) injectors.push_back(injector.get());
  injectors::FaultScheduler scheduler(timeline, injectors, clock_, *events_, journal_.get());

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
  r.faults = scheduler.Records();
  if (proxy_) {  // its rules are gone with the faults; the load no longer needs it
    compiled_.run.set_proxy(nullptr);
    proxy_.reset();
  }
  const bool all_reverted = std::all_of(r.faults.begin(), r.faults.end(), [](const FaultRecord& f) {
    return f.state == "reverted" || f.state == "pending";
  });
  if (all_reverted) {
    if (absl::Status s = journal_->RecordEnd(); !s.ok()) events_->Add("journal", std::string(s.message()));
  } else {
    events_->Add("journal", fmt::format("a fault could not be reverted; `faultdrill recover --journal {}` retries",
                                        journal_->dir()));
  }

  r.duration_s = ToSeconds(stats.load_length);
  r.load.sent = stats.sent;
  r.load.completed = stats.completed;
  r.load.achieved_rps = stats.achieved_rps;
  r.windows = recorder.WindowResults(stats.load_length);
  r.series = recorder.Series();
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
  for (auto& injector : compiled_.injectors) {
    for (Verdict& v : injector->Verdicts()) verdicts.push_back(std::move(v));
  }
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
