// A scenario taken all the way through validation: the typed Scenario, one
// injector per fault, the probes' settings, and the timeline. `validate`,
// `plan` and `run` all build this, so a drill that passes `validate` cannot
// fail later on bad input.
#ifndef FAULTDRILL_CLI_COMPILED_SCENARIO_H_
#define FAULTDRILL_CLI_COMPILED_SCENARIO_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "core/scenario.h"
#include "core/timeline.h"
#include "injectors/injector.h"
#include "injectors/registry.h"
#include "load/request_source.h"
#include "probes/probe.h"
#include "probes/registry.h"

namespace faultdrill::cli {

struct CompileOptions {
  std::vector<Override> overrides;  // --set
  std::optional<uint64_t> seed;     // --seed, replaces the scenario's
};

// What the probes learn about the target once it is up; set by the drill,
// read by probes on their own threads.
class TargetInfo {
 public:
  void Set(std::string endpoint, std::string metrics_url, std::string log);
  std::string endpoint() const;
  std::string metrics_url() const;
  std::string log() const;

 private:
  mutable std::mutex mu_;
  std::string endpoint_ ABSL_GUARDED_BY(mu_);
  std::string metrics_url_ ABSL_GUARDED_BY(mu_);
  std::string log_ ABSL_GUARDED_BY(mu_);
};

struct CompiledScenario {
  Scenario scenario;
  injectors::Targets targets;  // filled when the target is launched
  injectors::RunState run;     // journal and work folder, set when the run starts
  std::vector<std::unique_ptr<injectors::Injector>> injectors;  // one per scenario.faults entry
  TargetInfo target_info;
  std::unique_ptr<probes::ProbeContext> probe_context;  // reads targets and target_info
  std::vector<std::unique_ptr<probes::Probe>> probes;               // one per scenario.probes entry
  std::vector<std::unique_ptr<probes::Probe>> steady_state_probes;  // one per steady_state.probes entry
  // A second instance of each `continuous` steady-state probe (null for the
  // others), for the sampler: a probe is checked from one thread at a time,
  // and the steady-state checks run on other threads than the sampler.
  std::vector<std::unique_ptr<probes::Probe>> continuous_probes;
  std::unique_ptr<load::RequestSource> requests;  // built once, reused by every send
  Timeline timeline;
};

// Loads, validates and compiles. InvalidArgument "file:line:col: message" on
// any mistake in the scenario or the files it names.
absl::StatusOr<std::unique_ptr<CompiledScenario>> CompileScenario(const std::string& path,
                                                                  const CompileOptions& options);


}  // namespace faultdrill::cli

#endif  // FAULTDRILL_CLI_COMPILED_SCENARIO_H_
