// Durations, rates and percentages as scenarios write them ("250ms", "200/s",
// "0.1%"), parsed once at the edge into typed values.
#ifndef FAULTDRILL_CORE_DURATION_H_
#define FAULTDRILL_CORE_DURATION_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace faultdrill {

using Duration = std::chrono::nanoseconds;

// Requests per second. Always finite and >= 0 once parsed.
struct Rate {
  double per_second = 0;
  friend bool operator==(const Rate&, const Rate&) = default;
};

// Parses "<number><unit>" with unit one of ns, us, µs, ms, s, m, h; the number may
// be fractional ("1.5s") but not negative. "0" alone is accepted as zero.
// Compound forms as FormatDuration writes them ("2m30s", "1h0.5s") are accepted too.
// Errors are InvalidArgument with a message that names the accepted units.
absl::StatusOr<Duration> ParseDuration(std::string_view text);

// Parses "<number>/<unit>" with unit one of s, m, h (also "/sec", "/min"), e.g. "200/s".
absl::StatusOr<Rate> ParseRate(std::string_view text);

// Parses "0.1%" into 0.001. A bare number in [0, 1] is taken as a fraction.
// Values outside [0%, 100%] are rejected.
absl::StatusOr<double> ParsePercent(std::string_view text);

// Parses "512MiB", "2GB", "4096" (bytes). Binary (KiB, MiB, GiB, TiB) and decimal
// (kB, MB, GB, TB) units.
absl::StatusOr<uint64_t> ParseBytes(std::string_view text);

// Short human form: "250ms", "1.5s", "2m30s", "120µs".
std::string FormatDuration(Duration d);

// Seconds as a double, for reports.
inline double ToSeconds(Duration d) { return std::chrono::duration<double>(d).count(); }
inline double ToMillis(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace faultdrill

#endif  // FAULTDRILL_CORE_DURATION_H_
