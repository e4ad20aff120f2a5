// Builds scenarios from inline YAML for injector tests.
#ifndef FAULTDRILL_TESTS_INJECTORS_SCENARIO_FIXTURE_H_
#define FAULTDRILL_TESTS_INJECTORS_SCENARIO_FIXTURE_H_

#include <gtest/gtest.h>

#include <string>

#include "core/scenario.h"
#include "injectors/registry.h"
#include "tests/injectors/fake_target_process.h"

namespace faultdrill::testing {

// A valid scenario with an embedded target and the given `faults:` entries
// (YAML flow mappings, one per line, each starting with "  - ").
inline Scenario ScenarioWithFaults(const std::string& faults, bool embedded = true) {
  std::string yaml = "name: t\n";
  yaml += embedded ? "target: {embedded: true, model: classifier}\n"
                   : "target: {endpoint: 127.0.0.1:1, model: classifier}\n";
  yaml += "load: {generator: {model: classifier}, rate: 10/s, duration: 30s}\nfaults:\n" + faults;
  auto scenario = ParseScenario(yaml, "t.yaml");
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  return scenario.ok() ? *scenario : Scenario{};
}

// A fixture for one fault kind: Create() parses one `faults:` entry and builds
// its injector with `factory`; `process_` is there to be set as the target.
class InjectorTest : public ::testing::Test {
 protected:
  using Factory = absl::StatusOr<std::unique_ptr<injectors::Injector>> (*)(const FaultSpec&,
                                                                            injectors::InjectorContext&);

  explicit InjectorTest(Factory factory) : factory_(factory) {}

  absl::StatusOr<std::unique_ptr<injectors::Injector>> Create(const std::string& fault, bool embedded = true) {
    scenario_ = ScenarioWithFaults("  - " + fault + "\n", embedded);
    injectors::InjectorContext context{scenario_, targets_, run_};
    return factory_(scenario_.faults.at(0), context);
  }

  Scenario scenario_;
  injectors::Targets targets_;
  injectors::RunState run_;
  FakeTargetProcess process_;

 private:
  Factory factory_;
};

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_INJECTORS_SCENARIO_FIXTURE_H_
