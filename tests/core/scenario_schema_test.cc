// scenarios/schema.json documents the format; these tests keep it in
// step with the loader by asking the loader which keys it knows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include "core/scenario.h"
#include "nlohmann/json.hpp"
#include "tests/common/known_keys.h"

namespace faultdrill {
namespace {

using nlohmann::json;

json LoadSchema() {
  const char* root = std::getenv("FAULTDRILL_SOURCE_DIR");
  std::ifstream in(std::string(root ? root : ".") + "/scenarios/schema.json");
  EXPECT_TRUE(in.is_open());
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// The known keys the loader lists when `yaml` holds the unknown key "zzz".
std::set<std::string> LoaderKnownKeys(const std::string& yaml) {
  absl::StatusOr<Scenario> s = ParseScenario(yaml, "k.yaml");
  std::string message(s.status().message());
  EXPECT_THAT(message, ::testing::HasSubstr("unknown key 'zzz'")) << yaml;
  return testing::KnownKeysIn(message);
}

std::set<std::string> SchemaKeys(const json& schema, const std::string& pointer) {
  std::set<std::string> keys;
  for (const auto& [key, value] : schema.at(json::json_pointer(pointer)).items()) keys.insert(key);
  return keys;
}

constexpr char kTarget[] = "target: {embedded: true, model: m}\n";
constexpr char kLoad[] = "load: {generator: {model: tinylm}, rate: 1/s, duration: 10s}\n";

struct Section {
  std::string name;
  std::string yaml;
  std::string pointer;  // JSON pointer to the section's "properties" in the schema
};

TEST(ScenarioSchema, IsDraft2020_12WithDescriptions) {
  json schema = LoadSchema();
  ASSERT_FALSE(schema.is_discarded());
  EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
  EXPECT_TRUE(schema.contains("description"));
  EXPECT_THAT(schema["required"], ::testing::ElementsAre("name", "target", "load"));
}

TEST(ScenarioSchema, DocumentsExactlyTheKeysTheLoaderKnows) {
  json schema = LoadSchema();
  ASSERT_FALSE(schema.is_discarded());
  const std::string head = std::string("name: t\n") + kTarget;
  const Section sections[] = {
      {"top level", head + kLoad + "zzz: 1\n", "/properties"},
      {"target", "name: t\ntarget: {embedded: true, model: m, zzz: 1}\n", "/$defs/target/properties"},
      {"target.launch", "name: t\ntarget: {endpoint: h:1, model: m, launch: {command: [x], zzz: 1}}\n",
       "/$defs/launch/properties"},
      {"load", head + "load: {generator: {model: tinylm}, rate: 1/s, zzz: 1}\n", "/$defs/load/properties"},
      {"load.generator", head + "load: {generator: {model: tinylm, zzz: 1}}\n", "/$defs/generator/properties"},
      {"load.ramp[]", head + "load: {generator: {model: tinylm}, rate: 1/s, ramp: [{zzz: 1}]}\n",
       "/$defs/rampStep/properties"},
      {"steady_state[]", head + kLoad + "steady_state: [{zzz: 1}]\n", "/$defs/steadyStateEntry/properties"},
      {"steady_state[].slo", head + kLoad + "steady_state: [{slo: {zzz: 1}}]\n", "/$defs/steadyStateSlo/properties"},
      {"slos[]", head + kLoad + "slos: [{zzz: 1}]\n", "/$defs/slo/properties"},
      {"abort_when", head + kLoad + "abort_when: {zzz: 1}\n", "/$defs/abortCondition/properties"},
      {"golden", head + kLoad + "golden: {masters: m, zzz: 1}\n", "/$defs/golden/properties"},
      {"golden.tolerance", head + kLoad + "golden: {masters: m, tolerance: {zzz: 1}}\n",
       "/$defs/tolerance/properties"},
      {"candidate", head + kLoad + "candidate: {embedded: true, zzz: 1}\n", "/$defs/candidate/properties"},
      {"capacity", head + kLoad + "capacity: {p99_latency: 1s, zzz: 1}\n", "/$defs/capacity/properties"},
  };
  for (const Section& section : sections) {
    EXPECT_EQ(LoaderKnownKeys(section.yaml), SchemaKeys(schema, section.pointer)) << section.name;
  }
}

TEST(ScenarioSchema, DocumentsEveryFaultKeyTheLoaderConsumes) {
  json schema = LoadSchema();
  ASSERT_FALSE(schema.is_discarded());
  EXPECT_EQ(SchemaKeys(schema, "/$defs/fault/properties"), (std::set<std::string>{"kind", "name", "at", "for"}));
  EXPECT_EQ(schema.at(json::json_pointer("/$defs/fault/additionalProperties")), true);
}

TEST(ScenarioSchema, ExamplesLoad) {
  json schema = LoadSchema();
  ASSERT_FALSE(schema.is_discarded());
  for (const json& example : schema["examples"]) {
    // JSON is YAML: the example loads as a scenario.
    absl::StatusOr<Scenario> s = ParseScenario(example.dump(), "example.yaml");
    EXPECT_TRUE(s.ok()) << s.status();
  }
}

}  // namespace
}  // namespace faultdrill
