// result.json as `faultdrill report` and `faultdrill diff` read it: any
// input gives a RunResult or an error naming the file, never a crash.
#include <cstdint>

#include "reports/json_report.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::StatusOr<faultdrill::RunResult> result =
      faultdrill::reports::ParseJsonReport(faultdrill::fuzz::AsText(data, size), "result.json");
  if (!result.ok() && !faultdrill::fuzz::MessageStartsWith(result.status(), "result.json")) {
    faultdrill::fuzz::PropertyBroken("an error that does not name the file");
  }
  return 0;
}
