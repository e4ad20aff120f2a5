// faultdrill's command line: parses arguments into an options struct per
// subcommand, runs it, and exits with its code. The only place that exits.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/console_style.h"
#include "cli/exit_codes.h"
#include "cli/interrupts.h"

namespace {

using faultdrill::Override;
using namespace faultdrill::cli;

// CLI11 validators cannot return our parsed type; collect strings, convert after.
bool ParseOverrides(const std::vector<std::string>& texts, std::vector<Override>& out) {
  for (const std::string& text : texts) {
    auto parsed = ParseOverride(text);
    if (!parsed.ok()) {
      std::cerr << "faultdrill: " << parsed.status().message() << "\n";
      return false;
    }
    out.push_back(*parsed);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread exists, so that only the watcher thread sees SIGINT/SIGTERM.
  InterruptWatcher::Block();
  CLI::App app{
      "faultdrill: chaos drills and regression gates for model-serving endpoints.\n"
      "Runs a scenario (YAML): drives gRPC load (Open Inference Protocol), injects faults on a\n"
      "timeline, judges SLOs, reverts every fault, writes result.json, junit.xml and report.html.\n\n"
      "Start with:  faultdrill run scenarios/quickstart.yaml\n"
      "Exit codes:  0 passed, 1 a verdict failed, 2 invalid input or usage, 3 environment cannot run\n"
      "             the drill, 4 aborted (every fault reverted)",
      "faultdrill"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "faultdrill 0.1.0");

  RunOptions run;
  std::vector<std::string> run_sets;
  auto* run_cmd = app.add_subcommand("run", "Run a drill and write its reports (out/<name>/ by default)");
  run_cmd->add_option("scenario", run.scenario, "Scenario file (YAML)")->required()->check(CLI::ExistingFile);
  run_cmd->add_option("--out", run.out_dir, "Folder for result.json, junit.xml, report.html (default out/<name>)");
  run_cmd->add_option("--seed", run.seed, "Seed for every random choice (replaces the scenario's)");
  run_cmd->add_option("--set", run_sets, "Override a scenario value: --set load.rate=500/s (repeatable)");
  run_cmd->add_flag("--quiet,-q", run.quiet, "No live progress line (CI logs: only the final summary)");
  run_cmd->footer(
      "Examples:\n  faultdrill run scenarios/quickstart.yaml\n"
      "  faultdrill run scenarios/soak.yaml --set load.duration=10m --out out/soak-nightly --quiet\n"
      "Exit codes: 0 passed, 1 a verdict failed, 2 invalid scenario, 3 cannot run here, 4 aborted");

  ValidateOptions validate;
  std::vector<std::string> validate_sets;
  auto* validate_cmd = app.add_subcommand("validate", "Check scenarios without running them");
  validate_cmd->add_option("scenarios", validate.scenarios, "Scenario files")->required();
  validate_cmd->add_option("--set", validate_sets, "Override a scenario value (repeatable)");
  validate_cmd->footer("Example:\n  faultdrill validate scenarios/*.yaml\nErrors name the place: file:line:col: message");

  PlanOptions plan;
  std::vector<std::string> plan_sets;
  auto* plan_cmd = app.add_subcommand("plan", "Dry run: the timeline and everything the drill would touch");
  plan_cmd->add_option("scenario", plan.scenario, "Scenario file (YAML)")->required();
  plan_cmd->add_option("--seed", plan.seed, "Seed (replaces the scenario's)");
  plan_cmd->add_option("--set", plan_sets, "Override a scenario value (repeatable)");
  plan_cmd->footer("Example:\n  faultdrill plan scenarios/quarterly-drill.yaml --seed 7");

  RecoverOptions recover;
  auto* recover_cmd = app.add_subcommand(
      "recover", "Undo what an interrupted run left behind (from its journal); safe to repeat");
  recover_cmd->add_option("--journal", recover.journals,
                          "Journal folder, e.g. out/quickstart/journal (repeatable; default: out/*/journal)");
  recover_cmd->footer("Example:\n  faultdrill recover --journal out/quarterly-drill/journal");

  GoldenOptions golden;
  std::vector<std::string> golden_sets;
  auto* golden_cmd = app.add_subcommand(
      "golden", "Golden masters: record the target's answers, compare with them, approve a change");
  golden_cmd->add_option("action", golden.action, "record, compare or approve")
      ->required()
      ->check(CLI::IsMember({"record", "compare", "approve"}));
  golden_cmd->add_option("scenario", golden.scenario, "Scenario file (YAML) with a golden: section")
      ->required()
      ->check(CLI::ExistingFile);
  golden_cmd->add_option("--out", golden.out_dir, "Folder for the target's files (default out/<name>/golden)");
  golden_cmd->add_option("--set", golden_sets, "Override a scenario value (repeatable)");
  golden_cmd->add_flag("--yes,-y", golden.yes, "approve: replace the masters; record: replace existing masters");
  golden_cmd->footer(
      "Examples:\n  faultdrill golden record scenarios/golden.yaml\n  faultdrill golden compare "
      "scenarios/golden.yaml\n  faultdrill golden approve scenarios/golden.yaml --yes");

  ReportOptions report;
  auto* report_cmd =
      app.add_subcommand("report", "Render report.html and junit.xml again from a result.json");
  report_cmd->add_option("result", report.result, "A result.json written by faultdrill run")
      ->required()
      ->check(CLI::ExistingFile);
  report_cmd->add_option("--out", report.out_dir, "Folder for the reports (default: the result's folder)");
  report_cmd->footer("Example:\n  faultdrill report out/quickstart/result.json --out /tmp/quickstart-report");

  DiffOptions diff;
  auto* diff_cmd = app.add_subcommand(
      "diff", "Regressions between two runs (latency, errors, recovery, golden, verdicts); exit 1 on any");
  diff_cmd->add_option("base", diff.base, "result.json of the reference run")->required()->check(CLI::ExistingFile);
  diff_cmd->add_option("new", diff.now, "result.json of the run to judge")->required()->check(CLI::ExistingFile);
  diff_cmd->add_option("--markdown", diff.markdown, "Also write a Markdown summary here ('-': print it instead)");
  diff_cmd->add_flag("--all", diff.all, "List unchanged values too");
  diff_cmd->add_option("--max-latency-increase", diff.max_latency_increase, "Latency percentiles (default 10%)");
  diff_cmd->add_option("--min-latency-change", diff.min_latency_change, "... and by at least (default 1ms)");
  diff_cmd->add_option("--max-error-rate-increase", diff.max_error_rate_increase,
                       "Error rate, in percentage points (default 0.5%)");
  diff_cmd->add_option("--max-throughput-decrease", diff.max_throughput_decrease, "Throughput (default 10%)");
  diff_cmd->add_option("--max-recovery-increase", diff.max_recovery_increase, "Recovery time (default 20%)");
  diff_cmd->add_option("--min-recovery-change", diff.min_recovery_change, "... and by at least (default 0.5s)");
  diff_cmd->add_option("--max-capacity-decrease", diff.max_capacity_decrease,
                       "Highest rate that held, stress runs (default 10%)");
  diff_cmd->add_option("--max-score-decrease", diff.max_score_decrease, "Resilience score points (default 5)");
  diff_cmd->footer(
      "Examples:\n  faultdrill diff baseline/result.json out/quickstart/result.json\n"
      "  faultdrill diff base.json new.json --markdown diff.md --max-latency-increase 20%\n"
      "A golden difference more than the base run had, or a verdict that passed and now fails,\n"
      "is always a regression.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitPassed : kExitInvalid;
  }

  if (*run_cmd) {
    if (!ParseOverrides(run_sets, run.overrides)) return kExitInvalid;
    return Run(run, std::cout, std::cerr);
  }
  if (*validate_cmd) {
    if (!ParseOverrides(validate_sets, validate.overrides)) return kExitInvalid;
    return Validate(validate, std::cout, std::cerr);
  }
  if (*recover_cmd) return Recover(recover, std::cout, std::cerr);
  if (*report_cmd) return Report(report, std::cout, std::cerr);
  if (*diff_cmd) {
    diff.colour = ColourWanted(STDOUT_FILENO);
    return Diff(diff, std::cout, std::cerr);
  }
  if (*golden_cmd) {
    if (!ParseOverrides(golden_sets, golden.overrides)) return kExitInvalid;
    return Golden(golden, std::cout, std::cerr);
  }
  if (!ParseOverrides(plan_sets, plan.overrides)) return kExitInvalid;
  return Plan(plan, std::cout, std::cerr);
}
