// `faultdrill plan SCENARIO`: the dry run. Shows the timeline and everything
// the drill would touch, runs nothing.
#include <fmt/format.h>

#include <ostream>

#include "cli/commands.h"
#include "cli/compiled_scenario.h"
#include "cli/describe.h"
#include "cli/exit_codes.h"
#include "injectors/fault_proxy.h"

namespace faultdrill::cli {

int Plan(const PlanOptions& options, std::ostream& out, std::ostream& err) {
  auto compiled = CompileScenario(options.scenario, {.overrides = options.overrides, .seed = options.seed});
  if (!compiled.ok()) {
    err << compiled.status().message() << "\n";
    return kExitInvalid;
  }
  const CompiledScenario& c = **compiled;
  const Scenario& s = c.scenario;
  out << fmt::format("scenario  {} ({}), seed {}\n", s.name, s.file, s.seed);
  if (!s.description.empty()) out << fmt::format("          {}\n", s.description);
  out << fmt::format("target    {}\n", DescribeTarget(s.target));
  out << fmt::format("load      {}\n", DescribeLoad(s.load));

  out << "\ntimeline\n";
  out << fmt::format("  {:>9}  start load\n", "+0s");
  for (const Timeline::Step& step : c.timeline.steps()) {
    const TimelineFault& fault = c.timeline.faults()[step.fault];
    const bool apply = step.action == Timeline::Step::Action::kApply;
    out << fmt::format("  {:>9}  {} {} ({}){}\n", "+" + FormatDuration(step.at), apply ? "apply " : "revert",
                       fault.name, fault.kind, apply ? ": " + c.injectors[step.fault]->Describe() : "");
  }
  out << fmt::format("  {:>9}  stop load; revert anything still applied\n",
                     "+" + FormatDuration(c.timeline.run_length()));

  out << "\nwindows\n";
  for (const Window& w : c.timeline.windows()) {
    out << fmt::format("  {:<28} {:>8} .. {}\n", w.name, FormatDuration(w.start), FormatDuration(w.end));
  }

  out << "\nsteady state (judged on `before` and on `final`)\n";
  if (c.steady_state_probes.empty() && s.steady_state.slos.empty()) out << "  (none)\n";
  for (size_t i = 0; i < c.steady_state_probes.size(); ++i) {
    const ProbeSpec& spec = s.steady_state.probes[i];
    out << fmt::format("  probe {}: {}{}\n", spec.name, c.steady_state_probes[i]->Describe(),
                       spec.continuous ? fmt::format(" (also every {} during the run)", FormatDuration(spec.interval))
                                       : "");
  }
  for (const SloSpec& slo : s.steady_state.slos) {
    out << "  slo   " << DescribeSlo(slo, /*with_window=*/false) << (slo.continuous ? " (continuous)" : "") << "\n";
  }

  out << "\nprobes (sampled through the run)\n";
  if (s.probes.empty()) out << "  (none)\n";
  for (size_t i = 0; i < s.probes.size(); ++i) {
    std::string values = "healthy";
    for (const probes::ValueInfo& value : c.probes[i]->Values()) {
      values += ", " + value.name + (value.unit.empty() ? "" : " (" + value.unit + ")");
    }
    out << fmt::format("  {} every {}: {}; values: {}\n", s.probes[i].name, FormatDuration(s.probes[i].interval),
                       c.probes[i]->Describe(), values);
  }

  if (s.golden) {
    std::vector<std::string> windows;
    for (const WindowSpec& w : s.golden->windows) windows.push_back(w.ToString());
    out << fmt::format("\ngolden masters\n  {} (each OK response compared; verdicts on {}; at most {} may differ)\n",
                       s.golden->masters, fmt::join(windows, ", "), s.golden->max_differing);
  }
  if (s.candidate) {
    out << fmt::format("\nshadow candidate\n  {}: every request also goes there; answers and latency judged "
                       "against the target's\n",
                       s.candidate->embedded ? "a second embedded reference server" : s.candidate->endpoint);
  }

  out << "\nabort when (stop, revert everything, exit 4)\n";
  if (s.abort_when.empty()) out << "  (never)\n";
  for (const AbortCondition& condition : s.abort_when) out << "  " << condition.ToString() << "\n";

  if (s.capacity) {
    out << "\ncapacity (the highest offered rate at which this holds, second by second)\n";
    out << fmt::format("  {}{}\n", s.capacity->ToString(),
                       s.capacity->stop ? "; the load stops once it broke (judged as usual, not aborted)" : "");
    if (s.capacity->min_rate) {
      out << fmt::format("  verdict: highest rate held >= {}\n", FormatRate(*s.capacity->min_rate));
    }
  }

  out << "\nslos\n";
  if (s.slos.empty()) out << "  (none)\n";
  for (const SloSpec& slo : s.slos) out << fmt::format("  {}: {}\n", slo.name, DescribeSlo(slo));

  out << "\ntouches\n";
  out << fmt::format("  network   gRPC traffic to {} only\n",
                     s.target.embedded ? "127.0.0.1 (embedded server)" : s.target.endpoint);
  if (s.target.embedded || s.target.launch) {
    out << "  processes the target process faultdrill launches (and only that one)\n";
  }
  if (injectors::ScenarioUsesProxy(s)) {
    out << "  proxy     starts faultdrill-proxy on 127.0.0.1 between the load and the target (no privileges);\n"
           "            probes still go to the target directly\n";
  }
  if (s.faults.empty()) out << "  nothing else: no faults\n";
  std::vector<std::string> missing;
  for (size_t i = 0; i < c.injectors.size(); ++i) {
    const injectors::Injector& injector = *c.injectors[i];
    const FaultSpec& fault = s.faults[i];
    out << fmt::format("  fault {} ({})\n", fault.name, fault.kind);
    std::vector<std::string> touches = injector.Touches();
    if (touches.empty()) touches.push_back(injector.Describe());
    for (const std::string& item : touches) out << fmt::format("    touches  {}\n", item);
    for (const injectors::Need& need : injector.Needs()) {
      out << fmt::format("    needs    {}: {}\n", need.what,
                         need.status.ok() ? "ok" : "MISSING (" + std::string(need.status.message()) + ")");
      if (!need.status.ok()) missing.push_back(fmt::format("{} (fault {})", need.what, fault.name));
    }
  }
  out << fmt::format("\nundo journal  {}/journal/ (written before each fault; `faultdrill recover` replays it)\n",
                     "out/" + s.name);
  if (!missing.empty()) {
    out << "\nthis machine lacks:\n";
    for (const std::string& m : missing) out << "  " << m << "\n";
    out << "`faultdrill run` would stop before starting (exit 3).\n";
  }
  return kExitPassed;
}

}  // namespace faultdrill::cli
