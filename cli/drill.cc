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
#include "injectors/journal_lock.h"
#include "injectors/load_hook.h"
#include "cli/drill_monitors.h"
#include "cli/golden_watch.h"
#include "golden/golden_verdicts.h"
#include "load/shadow_transport.h"
#include "judge/capacity.h"
#include "judge/judge.h"
#include "judge/recovery.h"
#include "judge/score.h"
#include "probes/health_probe.h"
#include "load/grpc_transport.h"
#include "load/load_driver.h"
#include "load/recorder.h"
#include "reports/html_report.h"
#include "reports/json_report.h"
#include "reports/junit_report.h"
#include "reports/report_files.h"

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
Verdict ProbeVerdict(std::string_view when, std::string_view window, const ProbeSpec& spec,
                     const probes::Probe& probe, bool healthy, const std::string& detail) {
  Verdict v;
  v.name = fmt::format("{}: {} probe", when, spec.name);
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

// A drill that had to be stopped is a failed drill, in JUnit and in the score.
Verdict AbortVerdict(const Scenario& scenario, const std::optional<std::string>& reason) {
  Verdict v;
  v.name = "no abort condition held";
  v.group = "abort";
  v.window = "all";
  v.metric = "abort";
  v.comparison = "==";
  v.threshold = 0;
  v.measured = reason ? 1 : 0;
  v.passed = !reason;
  std::vector<std::string> conditions;
  for (const AbortCondition& c : scenario.abort_when) conditions.push_back(c.ToString());
  v.message = reason ? *reason : fmt::format("none of {} held", fmt::join(conditions, "; "));
  return v;
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
  r.command = settings_.command;
  r.target.model = s.target.model;
  r.target.embedded = s.target.embedded;
  r.target.endpoint = s.target.endpoint;
  r.load.mode = s.load.mode == LoadMode::kOpen ? "open" : "closed";
  r.load.rate_rps = s.load.rate.per_second;
  r.load.concurrency = s.load.concurrency;
}

Drill::~Drill() {
  // The observers write to events_, which goes before the targets do.
  for (RunningTarget* target : {&target_, &candidate_}) {
    if (target->process) target->process->SetUnexpectedExitObserver(nullptr);
  }
}

DrillOutcome Drill::Run(std::stop_token stop) {
  for (auto step : {&Drill::PrepareOutput, &Drill::LoadMasters, &Drill::CheckNeeds, &Drill::OpenJournal}) {
    if (absl::Status s = (this->*step)(); !s.ok()) {
      Fail(Outcome::kError, step == &Drill::LoadMasters ? kExitInvalid : kExitEnvironment,
           std::string(s.message()));
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
  // The journal's lock, held for the drill's whole life, makes the folder
  // this run's: `recover` leaves a running drill's journal alone, and a second
  // run with the same folder stops here, before it writes anything.
  const std::string journal_dir = (fs::path(settings_.out_dir) / "journal").string();
  fs::create_directories(journal_dir, ec);
  auto lock = injectors::JournalLock::Acquire(journal_dir);
  if (!lock.ok()) return lock.status();
  journal_lock_ = *std::move(lock);
  return absl::OkStatus();
}

// The golden masters the responses are compared with, loaded before anything
// starts: missing or broken masters are the scenario's problem (exit 2).
absl::Status Drill::LoadMasters() {
  if (!compiled_.scenario.golden) return absl::OkStatus();
  auto watch = GoldenWatch::Open(compiled_.scenario, compiled_.timeline, compiled_.requests->size());
  if (!watch.ok()) return watch.status();
  golden_ = *std::move(watch);
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
  auto target = StartTarget(compiled_.scenario, settings_.out_dir, env, stop, journal_.get());
  if (!target.ok()) return target.status();
  target_ = *std::move(target);
  compiled_.targets.set_launched(target_.process.get());
  outcome_.result.target.endpoint = target_.endpoint;
  compiled_.target_info.Set(target_.endpoint, target_.metrics_url, target_.log_file);
  console_ << "faultdrill: target healthy: " << target_.description << "\n" << std::flush;
  load_endpoint_ = target_.endpoint;
  if (compiled_.scenario.candidate) {
    auto candidate = StartCandidate(compiled_.scenario, settings_.out_dir, stop, journal_.get());
    if (!candidate.ok()) return candidate.status();
    candidate_ = *std::move(candidate);
    console_ << "faultdrill: candidate healthy: " << candidate_.description << " (every request goes to both)\n"
             << std::flush;
  }
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

// The steady-state hypothesis, checked just before the first fault (the
// scheduler asks): every steady-state probe is healthy now, and the
// steady-state SLOs hold on the load so far (the "before" window). When it
// does not hold, nothing is injected and the drill stops (exit 1).
bool Drill::SteadyStateHolds(const load::Recorder& recorder, const DrillMonitors& monitors) {
  RunResult so_far;
  so_far.windows = recorder.WindowResults(clock_.Now() - events_->start());
  so_far.probes = monitors.Series();
  std::vector<Verdict> verdicts;
  for (size_t i = 0; i < compiled_.steady_state_probes.size(); ++i) {
    probes::Probe& probe = *compiled_.steady_state_probes[i];
    const ProbeSpec& spec = compiled_.scenario.steady_state.probes[i];
    probes::ProbeResult result = probe.Check();
    events_->Add("probe:" + spec.name, fmt::format("before: {}", result.detail));
    verdicts.push_back(ProbeVerdict("before", "before", spec, probe, result.healthy, result.detail));
  }
  before_probe_verdicts_ = verdicts;
  for (Verdict& v : judge::JudgeSteadyState(compiled_.scenario, compiled_.timeline, so_far)) {
    if (v.window == "before") verdicts.push_back(std::move(v));
  }
  std::vector<std::string> failed;
  for (const Verdict& v : verdicts) {
    if (!v.passed) failed.push_back(fmt::format("{} ({})", v.name, v.message));
  }
  if (failed.empty()) return true;
  std::lock_guard lock(mu_);
  steady_state_failure_ = fmt::format("the steady state did not hold before the first fault, so nothing was "
                                      "injected: {}",
                                      fmt::join(failed, "; "));
  return false;
}

void Drill::DriveLoadWithFaults(std::stop_token stop) {
  const Scenario& s = compiled_.scenario;
  const Timeline& timeline = compiled_.timeline;
  RunResult& r = outcome_.result;
  events_ = std::make_unique<EventLog>(clock_, clock_.Now() + kLoadLead);
  events_->Add("target", target_.description);
  // A launched target that dies without a fault of this drill ending it is
  // news the report must carry: the load's errors are its death, not the faults'.
  for (RunningTarget* target : {&target_, &candidate_}) {
    if (!target->process) continue;
    target->process->SetUnexpectedExitObserver([this, description = target->description](
                                                   const injectors::ProcessExit& exit) {
      events_->Add("target", fmt::format("{} (pid {}) died without a fault of this drill ending it: {}", description,
                                         exit.pid, injectors::DescribeExit(exit.status)));
    });
  }

  load::Recorder recorder(timeline.windows(), load::RecorderOptions::ForDeadline(s.load.deadline));
  auto transport = load::GrpcTransport::Create({.endpoint = load_endpoint_, .channels = 2});
  if (!transport.ok()) {
    Fail(Outcome::kError, kExitEnvironment, std::string(transport.status().message()));
    return;
  }
  // The drill stops early on a signal, an abort condition, or a steady state
  // that did not hold before the first fault.
  std::stop_source drill_stop;
  std::stop_callback forward_signal(stop, [&drill_stop] { drill_stop.request_stop(); });
  DrillMonitors monitors(compiled_, clock_, *events_, drill_stop);

  // Declared before the driver: calls still completing when the driver is
  // destroyed report to it.
  load::InterceptorChain interceptors;
  for (auto& injector : compiled_.injectors) {
    if (auto* hook = dynamic_cast<injectors::LoadHook*>(injector.get())) interceptors.Add(&hook->interceptor());
  }
  // Shadow traffic: every request also goes to the candidate.
  load::Recorder candidate_recorder(timeline.windows(), load::RecorderOptions::ForDeadline(s.load.deadline));
  std::unique_ptr<load::GrpcTransport> candidate_transport;
  std::optional<ShadowWatch> shadow;
  std::optional<load::ShadowTransport> shadow_transport;
  load::InferenceTransport* load_transport = transport->get();
  if (!candidate_.endpoint.empty()) {
    auto created = load::GrpcTransport::Create({.endpoint = candidate_.endpoint, .channels = 2});
    if (!created.ok()) {
      Fail(Outcome::kError, kExitEnvironment, std::string(created.status().message()));
      return;
    }
    candidate_transport = *std::move(created);
    shadow.emplace(s, timeline);
    shadow_transport.emplace(**transport, *candidate_transport, candidate_recorder, clock_,
                             [&shadow](Duration sent, const grpc::Status& primary_status,
                                       const inference::ModelInferResponse& primary,
                                       const grpc::Status& candidate_status,
                                       const inference::ModelInferResponse& candidate) {
                               if (primary_status.ok() && candidate_status.ok()) {
                                 shadow->Compare(sent, primary, candidate);
                               }
                             });
    shadow_transport->SetStart(events_->start());
    load_transport = &*shadow_transport;
  }
  load::LoadDriver driver(s.load, *compiled_.requests, *load_transport, recorder, clock_);
  if (!interceptors.empty()) driver.SetInterceptor(&interceptors);
  if (golden_) driver.SetResponseObserver(golden_.get());
  std::vector<injectors::Injector*> injectors;
  for (auto& injector : compiled_.injectors) injectors.push_back(injector.get());
  injectors::FaultScheduler scheduler(timeline, injectors, clock_, *events_, journal_.get());
  scheduler.SetBeforeFirstFault([this, &recorder, &monitors, &drill_stop] {
    if (SteadyStateHolds(recorder, monitors)) return true;
    drill_stop.request_stop();
    return false;
  });

  events_->Add("runner", "load starts");
  load::LoadStats stats;
  {
    std::optional<ProgressPrinter> progress;
    if (settings_.live_progress) {
      progress.emplace(ProgressSource{recorder, [&scheduler] { return scheduler.ActiveFaults(); }, s.load.duration},
                       console_, settings_.interactive);
    }
    monitors.Start(events_->start(), recorder);
    std::stop_source fault_stop;
    std::stop_callback forward(drill_stop.get_token(), [&fault_stop] { fault_stop.request_stop(); });
    std::jthread fault_thread([&scheduler, &fault_stop] { scheduler.Run(fault_stop.get_token()); });
    stats = driver.Run(events_->start(), drill_stop.get_token());
    fault_stop.request_stop();
  }
  monitors.Stop();
  abort_reason_ = monitors.abort_reason();
  const bool stopped_early = drill_stop.stop_requested();
  events_->Add("runner", !stopped_early                ? "load ends"
                         : stop.stop_requested()       ? "load stopped (interrupted)"
                         : abort_reason_               ? "load stopped (abort condition)"
                         : monitors.capacity_stopped() ? "load stopped (capacity criterion broke)"
                                                       : "load stopped (steady state did not hold)");
  scheduler.RevertAll(stop.stop_requested() ? "interrupted" : stopped_early ? "drill stopped early" : "end of run");
  r.faults = scheduler.Records();
  if (proxy_) {  // its rules are gone with the faults; the load no longer needs it
    compiled_.run.set_proxy(nullptr);
    proxy_.reset();
  }
  const bool all_reverted = std::all_of(r.faults.begin(), r.faults.end(), [](const FaultRecord& f) {
    return f.state == "reverted" || f.state == "pending";
  });
  if (all_reverted) {
    if (absl::Status st = journal_->RecordEnd(); !st.ok()) events_->Add("journal", std::string(st.message()));
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
  if (s.capacity) {
    r.capacity = judge::JudgeCapacity(*s.capacity, r.series, judge::OfferedRates(s.load, r.series.size()));
  }
  r.probes = monitors.Series();
  monitor_verdicts_ = monitors.Verdicts();
  if (golden_) {
    r.golden = golden_->Results();
    comparison_verdicts_ = golden::GoldenVerdicts(*s.golden, r.golden);
  }
  if (shadow) {
    shadow_transport->Drain();  // the candidate's last answers are in
    std::vector<GoldenWindowResult> shadow_results = shadow->Results();
    std::vector<WindowResult> candidate_windows = candidate_recorder.WindowResults(stats.load_length);
    const WindowResult* candidate_all = nullptr;
    for (const WindowResult& w : candidate_windows) {
      if (w.name == "all") candidate_all = &w;
    }
    for (Verdict& v : shadow->Verdicts(shadow_results, r.FindWindow("all"), candidate_all)) {
      comparison_verdicts_.push_back(std::move(v));
    }
    r.golden.insert(r.golden.end(), shadow_results.begin(), shadow_results.end());
  }
  for (Verdict& v : comparison_verdicts_) {
    if (const WindowResult* w = r.FindWindow(v.window)) v.duration_s = w->end_s - w->start_s;
  }
}

void Drill::CheckSteadyStateAfter(std::stop_token stop) {
  if (stop.stop_requested() || abort_reason_ || steady_state_failure_ || compiled_.timeline.faults().empty()) {
    return;
  }
  for (size_t i = 0; i < compiled_.steady_state_probes.size(); ++i) {
    probes::Probe& probe = *compiled_.steady_state_probes[i];
    const ProbeSpec& spec = compiled_.scenario.steady_state.probes[i];
    absl::Status healthy = probes::WaitUntilHealthy(probe, kAfterProbeGrace, std::chrono::milliseconds(100), stop);
    std::string detail = healthy.ok() ? probe.Check().detail : std::string(healthy.message());
    events_->Add("probe:" + spec.name, fmt::format("after: {}", detail));
    after_probe_verdicts_.push_back(ProbeVerdict("after", "final", spec, probe, healthy.ok(), detail));
  }
}

void Drill::Judge(bool interrupted) {
  RunResult& r = outcome_.result;
  const Scenario& s = compiled_.scenario;
  MeasureRecoveries();
  std::vector<Verdict> verdicts = before_probe_verdicts_;
  if (before_probe_verdicts_.empty() && compiled_.timeline.faults().empty()) {
    // No fault, so no gate: the probes' before check is their only check.
    for (size_t i = 0; i < compiled_.steady_state_probes.size(); ++i) {
      probes::Probe& probe = *compiled_.steady_state_probes[i];
      probes::ProbeResult result = probe.Check();
      verdicts.push_back(ProbeVerdict("before", "before", s.steady_state.probes[i], probe, result.healthy,
                                      result.detail));
    }
  }
  if (steady_state_failure_) {
    // The drill stopped at the first fault: only the check that stopped it
    // was judged on what it claims to judge.
    for (Verdict& v : judge::JudgeSteadyState(s, compiled_.timeline, r)) {
      if (v.window == "before") verdicts.push_back(std::move(v));
    }
    r.verdicts = std::move(verdicts);
    r.score = judge::Score(r.verdicts);
    r.events = events_->Snapshot();
    if (outcome_.exit_code != kExitPassed) return;
    r.outcome = Outcome::kFailed;
    r.abort_reason = *steady_state_failure_;
    outcome_.exit_code = kExitFailed;
    return;
  }
  for (Verdict& v : judge::JudgeSteadyState(s, compiled_.timeline, r)) verdicts.push_back(std::move(v));
  for (Verdict& v : judge::JudgeSlos(s, compiled_.timeline, r)) verdicts.push_back(std::move(v));
  if (s.capacity && r.capacity) {
    if (auto v = judge::CapacityVerdict(*s.capacity, *r.capacity, r.duration_s)) verdicts.push_back(*std::move(v));
  }
  for (const FaultRecord& fault : r.faults) verdicts.push_back(FaultVerdict(fault));
  for (auto& injector : compiled_.injectors) {
    for (Verdict& v : injector->Verdicts()) verdicts.push_back(std::move(v));
  }
  for (Verdict& v : monitor_verdicts_) verdicts.push_back(std::move(v));
  for (Verdict& v : comparison_verdicts_) verdicts.push_back(std::move(v));
  for (Verdict& v : after_probe_verdicts_) verdicts.push_back(v);
  if (!s.abort_when.empty()) verdicts.push_back(AbortVerdict(s, abort_reason_));
  r.verdicts = std::move(verdicts);
  r.score = judge::Score(r.verdicts);
  r.events = events_->Snapshot();
  if (outcome_.exit_code != kExitPassed) return;  // an earlier Fail() decided
  if (interrupted) {
    r.outcome = Outcome::kAborted;
    r.abort_reason = "interrupted by a signal; every active fault was reverted";
    outcome_.exit_code = kExitAborted;
    return;
  }
  if (abort_reason_) {
    r.outcome = Outcome::kAborted;
    r.abort_reason = *abort_reason_ + "; every active fault was reverted";
    outcome_.exit_code = kExitAborted;
    return;
  }
  r.outcome = judge::Decide(r.verdicts);
  outcome_.exit_code = r.outcome == Outcome::kPassed ? kExitPassed : kExitFailed;
}

// Recovery time of every fault, as a result in its own right (the recovery
// SLOs judge the same numbers).
void Drill::MeasureRecoveries() {
  RunResult& r = outcome_.result;
  const judge::HealthCriteria health = judge::HealthFromSteadyState(compiled_.scenario.steady_state);
  r.recovery_definition = judge::RecoveryDefinition(health);
  if (abort_reason_ || steady_state_failure_) return;
  for (size_t i = 0; i < compiled_.timeline.faults().size(); ++i) {
    judge::FaultRecovery recovery = judge::MeasureRecovery(compiled_.timeline, r, i, health);
    for (FaultRecord& fault : r.faults) {
      if (fault.name != recovery.fault) continue;
      fault.recovery_s = recovery.recovery_s;
      fault.recovery_horizon = recovery.horizon_end;
    }
  }
}

void Drill::WriteReports() {
  RunResult& r = outcome_.result;
  if (events_ && r.events.empty()) r.events = events_->Snapshot();
  r.exit_code = outcome_.exit_code;
  const fs::path dir(settings_.out_dir);
  for (const reports::ReportFile& file : reports::kReportFiles) {
    std::string path = (dir / file.name).string();
    if (absl::Status s = file.write(r, path); !s.ok()) {
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
