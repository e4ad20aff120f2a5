#include "probes/leak_slope.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/duration.h"

namespace faultdrill::probes {

namespace {

bool Finite(const std::array<double, 2>& p) { return std::isfinite(p[0]) && std::isfinite(p[1]); }

// Mean of coordinate `i` over the finite points, refined by a second pass
// (the mean of the residuals) so that large, nearly equal values centre well.
double Mean(std::span<const std::array<double, 2>> points, size_t i, size_t n) {
  double sum = 0;
  for (const auto& p : points) {
    if (Finite(p)) sum += p[i];
  }
  double mean = sum / static_cast<double>(n);
  double correction = 0;
  for (const auto& p : points) {
    if (Finite(p)) correction += p[i] - mean;
  }
  return mean + correction / static_cast<double>(n);
}

}  // namespace

std::optional<LineFit> FitLine(std::span<const std::array<double, 2>> points) {
  size_t n = 0;
  for (const auto& p : points) n += Finite(p) ? 1 : 0;
  if (n < 2) return std::nullopt;
  const double mean_t = Mean(points, 0, n);
  const double mean_v = Mean(points, 1, n);
  double stt = 0, stv = 0, svv = 0;
  for (const auto& p : points) {
    if (!Finite(p)) continue;
    const double dt = p[0] - mean_t;
    const double dv = p[1] - mean_v;
    stt += dt * dt;
    stv += dt * dv;
    svv += dv * dv;
  }
  if (stt <= 0) return std::nullopt;
  LineFit fit;
  fit.n = n;
  fit.slope = stv / stt;
  // r^2 = stv^2 / (stt * svv); a constant series is fitted exactly.
  fit.r_squared = svv <= 0 ? 1.0 : std::min(1.0, (stv / stt) * (stv / svv));
  return fit;
}

absl::StatusOr<double> ParseBytesPerSecond(std::string_view text) {
  constexpr std::string_view kForm = "write a size per s, min or h, e.g. 10MiB/min";
  const size_t slash = text.rfind('/');
  if (slash == std::string_view::npos) {
    return absl::InvalidArgumentError(fmt::format("invalid growth rate \"{}\": {}", std::string(text), kForm));
  }
  const std::string_view unit = text.substr(slash + 1);
  double seconds = 0;
  if (unit == "s" || unit == "sec") {
    seconds = 1;
  } else if (unit == "m" || unit == "min") {
    seconds = 60;
  } else if (unit == "h" || unit == "hour") {
    seconds = 3600;
  } else {
    return absl::InvalidArgumentError(fmt::format("invalid growth rate \"{}\": unknown time unit '{}'; {}",
                                                  std::string(text), std::string(unit), kForm));
  }
  absl::StatusOr<uint64_t> bytes = ParseBytes(text.substr(0, slash));
  if (!bytes.ok()) {
    return absl::InvalidArgumentError(
        fmt::format("invalid growth rate \"{}\": {}", std::string(text), std::string(bytes.status().message())));
  }
  return static_cast<double>(*bytes) / seconds;
}

}  // namespace faultdrill::probes
