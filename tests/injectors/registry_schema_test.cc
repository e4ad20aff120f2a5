// scenarios/schema.json describes every fault kind's keys; these
// tests keep it in step with the injectors by asking each one which keys it
// knows (the list its "unknown key" error gives).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include "injectors/registry.h"
#include "nlohmann/json.hpp"
#include "tests/common/known_keys.h"
#include "tests/injectors/scenario_fixture.h"

namespace faultdrill::injectors {
namespace {

using nlohmann::json;

json LoadSchema() {
  const char* root = std::getenv("FAULTDRILL_SOURCE_DIR");
  std::ifstream in(std::string(root ? root : ".") + "/scenarios/schema.json");
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// The keys the injector of `kind` lists when given the unknown key "zzz".
std::set<std::string> InjectorKnownKeys(const std::string& kind) {
  Scenario scenario = testing::ScenarioWithFaults("  - {kind: " + kind + ", at: 1s, zzz: 1}\n");
  Targets targets;
  RunState run;
  InjectorContext context{scenario, targets, run};
  auto injector = Registry::Default().Create(scenario.faults.at(0), context);
  std::string message(injector.status().message());
  EXPECT_THAT(message, ::testing::HasSubstr("unknown key 'zzz'")) << kind;
  return testing::KnownKeysIn(message);
}

TEST(RegistrySchema, EveryFaultKindHasItsKeysInTheSchema) {
  json schema = LoadSchema();
  ASSERT_FALSE(schema.is_discarded());
  const json& defs = schema.at("$defs");
  std::set<std::string> selected;  // kinds the fault's allOf selects a definition for
  for (const json& entry : defs.at("fault").at("allOf")) {
    selected.insert(entry.at("if").at("properties").at("kind").at("const").get<std::string>());
  }
  for (const auto& [kind, summary] : Registry::Default().Kinds()) {
    SCOPED_TRACE(kind);
    EXPECT_TRUE(selected.count(kind)) << "no allOf entry selects $defs/fault-" << kind;
    ASSERT_TRUE(defs.contains("fault-" + kind)) << "no $defs/fault-" << kind;
    const json& def = defs.at("fault-" + kind);
    EXPECT_EQ(def.value("additionalProperties", true), false);
    std::set<std::string> schema_keys;
    for (const auto& [key, value] : def.at("properties").items()) {
      if (key != "kind" && key != "name" && key != "at" && key != "for") schema_keys.insert(key);
    }
    std::set<std::string> injector_keys = InjectorKnownKeys(kind);
    injector_keys.erase("for");
    EXPECT_EQ(schema_keys, injector_keys);
  }
  for (const std::string& kind : selected) {
    EXPECT_TRUE(Registry::Default().Kinds().count(kind)) << "the schema describes an unknown kind " << kind;
  }
}

}  // namespace
}  // namespace faultdrill::injectors
