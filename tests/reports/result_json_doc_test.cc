// docs/result-json.md cannot drift from what ToJson writes: every key of the
// JSON of a fully populated RunResult (object keys as dotted paths, "[]" for
// array elements) has a row in the doc's tables, every row names a key that is
// written, and the doc's example is a result.json faultdrill reads.
#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/common/files.h"
#include "tests/reports/junit_samples.h"

namespace faultdrill {
namespace {

// Objects keyed by data (gRPC code names, counter names), not by field names:
// documented as one field, not descended into.
const std::set<std::string>& MapFields() {
  static const std::set<std::string> kMaps = {"windows[].errors_by_code", "series[].errors_by_code",
                                              "faults[].counters"};
  return kMaps;
}

void CollectKeys(const nlohmann::json& j, const std::string& path, std::set<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      const std::string child = path.empty() ? key : path + "." + key;
      out.insert(child);
      if (MapFields().count(child) == 0) CollectKeys(value, child, out);
    }
  } else if (j.is_array()) {
    for (const nlohmann::json& element : j) CollectKeys(element, path + "[]", out);
  }
}

// Every field ToJson can write, each present at least once.
RunResult FullyPopulatedRunResult() {
  RunResult r = sample::EveryVerdictKindRunResult();  // score, capacity, golden, poison, command
  r.faults[0].touches = {"pid 4242"};
  r.series[3].p90_ms = 7.5;
  return r;
}

std::string Doc() {
  const char* dir = std::getenv("FAULTDRILL_SOURCE_DIR");
  return testing::ReadWholeFile(std::string(dir != nullptr && *dir != '\0' ? dir : ".") + "/docs/result-json.md");
}

// The first cell of every table row that names a field: | `windows[].name` | ...
std::set<std::string> DocumentedFields(const std::string& doc) {
  static const std::regex kRow(R"(^\| `([^`]+)` \|)");
  std::set<std::string> out;
  std::istringstream lines(doc);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, kRow)) out.insert(match[1]);
  }
  return out;
}

TEST(ResultJsonDoc, EveryKeyToJsonWritesIsDocumented) {
  const std::string doc = Doc();
  ASSERT_FALSE(doc.empty()) << "docs/result-json.md not found (set FAULTDRILL_SOURCE_DIR)";
  std::set<std::string> written;
  CollectKeys(ToJson(FullyPopulatedRunResult()), "", written);
  ASSERT_GT(written.size(), 100u) << "the sample is not fully populated";

  const std::set<std::string> documented = DocumentedFields(doc);

  for (const std::string& key : written) {
    EXPECT_EQ(documented.count(key), 1u) << "`" << key << "` is written to result.json but not documented";
  }
}

TEST(ResultJsonDoc, EveryDocumentedKeyIsWritten) {
  std::set<std::string> written;
  CollectKeys(ToJson(FullyPopulatedRunResult()), "", written);

  for (const std::string& key : DocumentedFields(Doc())) {
    EXPECT_EQ(written.count(key), 1u) << "`" << key << "` is documented but no longer written";
  }
}

TEST(ResultJsonDoc, ExampleIsAResultOfTheCurrentVersion) {
  const std::string doc = Doc();
  const size_t start = doc.find("```json\n");
  ASSERT_NE(start, std::string::npos) << "no example";
  const size_t end = doc.find("```", start + 8);
  ASSERT_NE(end, std::string::npos);

  nlohmann::json example = nlohmann::json::parse(doc.substr(start + 8, end - start - 8), nullptr, false);

  ASSERT_FALSE(example.is_discarded()) << "the example is not JSON";
  EXPECT_EQ(example["schema_version"], kResultSchemaVersion);
  absl::StatusOr<RunResult> read = RunResultFromJson(example);
  EXPECT_TRUE(read.ok()) << read.status();
}

TEST(ResultJsonDoc, StatesTheCurrentVersion) {
  EXPECT_THAT(Doc(), ::testing::HasSubstr(
                         fmt::format("`schema_version` is an integer, currently **{}**", kResultSchemaVersion)));
}

}  // namespace
}  // namespace faultdrill
