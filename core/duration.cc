#include "core/duration.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

namespace faultdrill {
namespace {

constexpr std::string_view kDurationForms =
    "expected a number and a unit (ns, us, µs, ms, s, m, h), e.g. \"250ms\", \"1.5s\" or \"2m30s\"";
constexpr std::string_view kRateForms = "expected <number>/<unit> with unit s, sec, m, min or h, e.g. \"200/s\"";
constexpr std::string_view kPercentForms =
    "expected a percentage (\"0.1%\", \"5%\") or a fraction in [0, 1] (\"0.05\")";
constexpr std::string_view kBytesForms =
    "expected a number of bytes with an optional unit (B, kB, MB, GB, TB, KiB, MiB, GiB, TiB), "
    "e.g. \"4096\", \"512MiB\" or \"2GB\"";

absl::Status Invalid(std::string_view what, std::string_view text, std::string_view problem) {
  return absl::InvalidArgumentError(fmt::format("invalid {} \"{}\": {}", what, text, problem));
}

// The leading unsigned decimal number of `text` ("12", "1.5", ".5" is not one):
// digits, then optionally '.' and digits. Returns its length, 0 when there is none.
size_t DecimalPrefix(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == 0) return 0;
  if (i < text.size() && text[i] == '.') {
    size_t j = i + 1;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
    if (j == i + 1) return 0;  // "1." has no fraction digits
    i = j;
  }
  return i;
}

bool StartsNegative(std::string_view text) { return !text.empty() && text.front() == '-'; }

// Parses a whole unsigned decimal number; false when `text` is anything else or
// is too large for a double.
bool ParseDecimal(std::string_view text, double* out) {
  if (text.empty() || DecimalPrefix(text) != text.size()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out, std::chars_format::fixed);
  return ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(*out);
}

using Wide = unsigned __int128;

// `number` (a decimal as DecimalPrefix accepts) times `unit`, truncated to an
// integer; false when the result exceeds `max`.
bool ScaleExact(std::string_view number, uint64_t unit, uint64_t max, Wide* out) {
  size_t dot = number.find('.');
  std::string_view whole = number.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : number.substr(dot + 1);
  Wide value = 0;
  for (char c : whole) {
    value = value * 10 + static_cast<unsigned>(c - '0');
    if (value > max) return false;  // also keeps `value * unit` below 2^128
  }
  value *= unit;
  if (value > max) return false;
  // Fraction digits beyond 18 cannot change a result counted in whole units of
  // at most ~4e12 nanoseconds or bytes by more than rounding, so drop them.
  if (frac.size() > 18) frac = frac.substr(0, 18);
  Wide frac_value = 0, scale = 1;
  for (char c : frac) {
    frac_value = frac_value * 10 + static_cast<unsigned>(c - '0');
    scale *= 10;
  }
  value += frac_value * unit / scale;
  if (value > max) return false;
  *out = value;
  return true;
}

struct Unit {
  std::string_view name;
  uint64_t scale;
};

constexpr Unit kDurationUnits[] = {
    {"ns", 1},
    {"us", 1'000},
    {"\xC2\xB5s", 1'000},  // µ MICRO SIGN
    {"\xCE\xBCs", 1'000},  // μ GREEK SMALL LETTER MU
    {"ms", 1'000'000},
    {"s", 1'000'000'000},
    {"m", 60'000'000'000},
    {"h", 3'600'000'000'000},
};

constexpr Unit kByteUnits[] = {
    {"", 1},
    {"B", 1},
    {"kB", 1'000},
    {"KB", 1'000},
    {"MB", 1'000'000},
    {"GB", 1'000'000'000},
    {"TB", 1'000'000'000'000},
    {"KiB", uint64_t{1} << 10},
    {"MiB", uint64_t{1} << 20},
    {"GiB", uint64_t{1} << 30},
    {"TiB", uint64_t{1} << 40},
};

// The unit that `text` starts with, longest match first ("ms" before "m").
const Unit* MatchDurationUnit(std::string_view text) {
  const Unit* best = nullptr;
  for (const Unit& unit : kDurationUnits) {
    if (text.substr(0, unit.name.size()) == unit.name && (!best || unit.name.size() > best->name.size())) {
      best = &unit;
    }
  }
  return best;
}

// Appends `value` / `scale` with up to `digits` fraction digits, trailing zeros trimmed.
void AppendScaled(std::string* out, uint64_t value, uint64_t scale, int digits) {
  *out += fmt::format("{}", value / scale);
  uint64_t frac = value % scale;
  if (frac == 0) return;
  std::string text(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i) {
    text[static_cast<size_t>(i)] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  while (!text.empty() && text.back() == '0') text.pop_back();
  *out += fmt::format(".{}", text);
}

}  // namespace

absl::StatusOr<Duration> ParseDuration(std::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError(fmt::format("empty duration: {}", kDurationForms));
  if (StartsNegative(text)) return Invalid("duration", text, "must not be negative");
  if (text == "0") return Duration(0);
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<Duration::rep>::max());
  Wide total = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    size_t number_length = DecimalPrefix(rest);
    if (number_length == 0) return Invalid("duration", text, kDurationForms);
    std::string_view number = rest.substr(0, number_length);
    rest.remove_prefix(number_length);
    const Unit* unit = MatchDurationUnit(rest);
    if (unit == nullptr) {
      return Invalid("duration", text,
                     rest.empty() ? fmt::format("missing unit; {}", kDurationForms) : std::string(kDurationForms));
    }
    rest.remove_prefix(unit->name.size());
    Wide part = 0;
    if (!ScaleExact(number, unit->scale, kMax, &part) || (total += part) > kMax) {
      return Invalid("duration", text, "too large");
    }
  }
  return Duration(static_cast<Duration::rep>(total));
}

absl::StatusOr<Rate> ParseRate(std::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError(fmt::format("empty rate: {}", kRateForms));
  if (StartsNegative(text)) return Invalid("rate", text, "must not be negative");
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return Invalid("rate", text, kRateForms);
  double count = 0;
  if (!ParseDecimal(text.substr(0, slash), &count)) return Invalid("rate", text, kRateForms);
  std::string_view unit = text.substr(slash + 1);
  double seconds = 0;
  if (unit == "s" || unit == "sec") {
    seconds = 1;
  } else if (unit == "m" || unit == "min") {
    seconds = 60;
  } else if (unit == "h") {
    seconds = 3600;
  } else {
    return Invalid("rate", text, kRateForms);
  }
  return Rate{count / seconds};
}

absl::StatusOr<double> ParsePercent(std::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError(fmt::format("empty percentage: {}", kPercentForms));
  if (StartsNegative(text)) return Invalid("percentage", text, "must not be negative");
  bool percent = text.back() == '%';
  double value = 0;
  if (!ParseDecimal(percent ? text.substr(0, text.size() - 1) : text, &value)) {
    return Invalid("percentage", text, kPercentForms);
  }
  if (percent) {
    if (value > 100) return Invalid("percentage", text, "must be between 0% and 100%");
    return value / 100;
  }
  if (value > 1) {
    return Invalid("percentage", text,
                   "a bare number is a fraction and must be in [0, 1]; write a percentage with '%', e.g. \"5%\"");
  }
  return value;
}

absl::StatusOr<uint64_t> ParseBytes(std::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError(fmt::format("empty size: {}", kBytesForms));
  if (StartsNegative(text)) return Invalid("size", text, "must not be negative");
  size_t number_length = DecimalPrefix(text);
  if (number_length == 0) return Invalid("size", text, kBytesForms);
  std::string_view unit_text = text.substr(number_length);
  for (const Unit& unit : kByteUnits) {
    if (unit.name != unit_text) continue;
    Wide value = 0;
    if (!ScaleExact(text.substr(0, number_length), unit.scale, std::numeric_limits<uint64_t>::max(), &value)) {
      return Invalid("size", text, "too large");
    }
    return static_cast<uint64_t>(value);
  }
  return Invalid("size", text, kBytesForms);
}

std::string FormatDuration(Duration d) {
  using Rep = Duration::rep;
  if (d.count() == 0) return "0s";
  if (d.count() < 0) {
    if (d.count() == std::numeric_limits<Rep>::min())
      return "-" + FormatDuration(Duration(std::numeric_limits<Rep>::max()));
    return "-" + FormatDuration(-d);
  }
  const uint64_t ns = static_cast<uint64_t>(d.count());
  std::string out;
  if (ns < 1'000) return fmt::format("{}ns", ns);
  if (ns < 1'000'000) {
    AppendScaled(&out, ns, 1'000, 3);
    return out + "\xC2\xB5s";
  }
  if (ns < 1'000'000'000) {
    AppendScaled(&out, ns, 1'000'000, 6);
    return out + "ms";
  }
  const uint64_t hours = ns / 3'600'000'000'000;
  const uint64_t minutes = ns / 60'000'000'000 % 60;
  const uint64_t seconds_ns = ns % 60'000'000'000;
  if (hours > 0) out += fmt::format("{}h", hours);
  if (minutes > 0) out += fmt::format("{}m", minutes);
  if (seconds_ns > 0) {
    AppendScaled(&out, seconds_ns, 1'000'000'000, 9);
    out += "s";
  }
  return out;
}

}  // namespace faultdrill
