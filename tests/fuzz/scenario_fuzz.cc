// Scenario YAML, as `faultdrill run/validate/plan` read it: the file and,
// after a NUL byte, one `--set KEY=VALUE` override (the text after the first
// '=' is parsed as YAML too). Any input must give a Scenario or a located
// error: never a crash, hang or runaway allocation.
#include <cstdint>
#include <string>
#include <vector>

#include "core/scenario.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto [yaml, set] = faultdrill::fuzz::SplitAtNul(faultdrill::fuzz::AsText(data, size));
  std::vector<faultdrill::Override> overrides;
  if (!set.empty()) {
    const size_t eq = set.find('=');
    overrides.push_back({std::string(set.substr(0, eq)), eq == std::string_view::npos ? "" : std::string(set.substr(eq + 1))});
  }
  absl::StatusOr<faultdrill::Scenario> scenario = faultdrill::ParseScenario(yaml, "fuzz.yaml", overrides);
  if (!scenario.ok() && scenario.status().message().empty()) faultdrill::fuzz::PropertyBroken("an error without a message");
  return 0;
}
