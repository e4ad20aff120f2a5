// The Prometheus text format, as the prometheus probe scrapes it from a
// target faultdrill is breaking: both ways of treating bad lines, and the
// value parser on its own. Never a crash, a hang or an error without a place.
#include <cstdint>

#include "probes/prometheus_text.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace faultdrill::probes;
  const std::string_view text = faultdrill::fuzz::AsText(data, size);
  ParseLimits limits;
  limits.max_bytes = 1 << 20;
  limits.max_samples = 10'000;
  absl::StatusOr<Exposition> skip = ParsePrometheusText(text, BadLines::kSkip, limits);
  absl::StatusOr<Exposition> fail = ParsePrometheusText(text, BadLines::kFail, limits);
  // A text that parses strictly parses the same when bad lines are skipped.
  if (fail.ok() && (!skip.ok() || skip->samples.size() != fail->samples.size() || skip->skipped_lines != 0)) {
    faultdrill::fuzz::PropertyBroken("kFail accepted a text kSkip did not read the same way");
  }
  (void)ParsePrometheusValue(text.substr(0, 64));
  return 0;
}
