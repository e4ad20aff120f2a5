// scenarios/schema.json describes every probe kind's keys; this test
// keeps it in step with the probes by asking each one which keys it knows
// (the list its "unknown key" error gives).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include "nlohmann/json.hpp"
#include "probes/registry.h"
#include "tests/common/known_keys.h"

namespace faultdrill::probes {
namespace {

using nlohmann::json;

json LoadSchema() {
  const char* root = std::getenv("FAULTDRILL_SOURCE_DIR");
  std::ifstream in(std::string(root ? root : ".") + "/scenarios/schema.json");
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// The keys the probe of `kind` lists when given the unknown key "zzz" (with a
// launched target, so that no kind asks for a target key first).
std::set<std::string> ProbeKnownKeys(const std::string& kind) {
  auto scenario = ParseScenario(
      "name: t\ntarget: {embedded: true, model: classifier}\nload: {generator: {model: classifier}, rate: 1/s, duration: 10s}\n"
      "probes:\n  - {kind: " + kind + (kind == "command" ? ", command: [true]" : "") + ", zzz: 1}\n",
      "t.yaml");
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  if (!scenario.ok()) return {};
  ProbeContext context{.scenario = *scenario};
  auto probe = Registry::Default().Create(scenario->probes.at(0), context);
  std::string message(probe.status().message());
  EXPECT_THAT(message, ::testing::HasSubstr("unknown key 'zzz'")) << kind;
  std::set<std::string> keys = testing::KnownKeysIn(message);
  keys.erase("kind");
  return keys;
}

TEST(ProbeRegistrySchema, EveryProbeKindHasItsKeysInTheSchema) {
  json schema = LoadSchema();
  ASSERT_FALSE(schema.is_discarded());
  const json& defs = schema.at("$defs");
  std::set<std::string> selected;
  for (const json& entry : defs.at("probe").at("allOf")) {
    selected.insert(entry.at("if").at("properties").at("kind").at("const").get<std::string>());
  }
  for (const auto& [kind, summary] : Registry::Default().Kinds()) {
    SCOPED_TRACE(kind);
    EXPECT_TRUE(selected.count(kind)) << "no allOf entry selects $defs/probe-" << kind;
    ASSERT_TRUE(defs.contains("probe-" + kind)) << "no $defs/probe-" << kind;
    const json& def = defs.at("probe-" + kind);
    EXPECT_EQ(def.value("additionalProperties", true), false);
    std::set<std::string> schema_keys;
    for (const auto& [key, value] : def.at("properties").items()) {
      if (key != "kind" && key != "name" && key != "interval") schema_keys.insert(key);
    }
    EXPECT_EQ(schema_keys, ProbeKnownKeys(kind));
  }
  for (const std::string& kind : selected) {
    EXPECT_TRUE(Registry::Default().Kinds().count(kind)) << "the schema describes an unknown kind " << kind;
  }
}

}  // namespace
}  // namespace faultdrill::probes
