// The arithmetic of the process probe's leak check, kept pure so it can be
// tested on exact numbers: a least-squares line through (t, value) points, and
// the growth rates a scenario writes ("10MiB/min").
#ifndef FAULTDRILL_PROBES_LEAK_SLOPE_H_
#define FAULTDRILL_PROBES_LEAK_SLOPE_H_

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "absl/status/statusor.h"

namespace faultdrill::probes {

struct LineFit {
  double slope = 0;      // value units per t unit (bytes per second for [t_s, rss_bytes])
  double r_squared = 0;  // share of the variance the line explains, in [0, 1]; 1 when every value is equal
  size_t n = 0;          // points used
};

// The least-squares line through `points` ([t, value] each). Both t and value
// are centred on their means before the sums are formed, so values near
// 1e15 with small changes keep their precision. nullopt when fewer than two
// points have finite coordinates, or when all their t are equal (no slope
// exists). Points with a non-finite coordinate are skipped.
std::optional<LineFit> FitLine(std::span<const std::array<double, 2>> points);

// Parses a growth rate "<size>/<unit>": a size as ParseBytes reads it
// ("10MiB", "512kB", "4096") per s, sec, m, min, h or hour, e.g. "10MiB/min".
// Returns bytes per second. InvalidArgument naming the accepted form.
absl::StatusOr<double> ParseBytesPerSecond(std::string_view text);

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_LEAK_SLOPE_H_
