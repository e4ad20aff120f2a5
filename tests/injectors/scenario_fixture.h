// Builds scenarios from inline YAML for injector tests.
#ifndef FAULTDRILL_TESTS_INJECTORS_SCENARIO_FIXTURE_H_
#define FAULTDRILL_TESTS_INJECTORS_SCENARIO_FIXTURE_H_

#include <gtest/gtest.h>

#include <string>

#include "core/scenario.h"

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

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_INJECTORS_SCENARIO_FIXTURE_H_
