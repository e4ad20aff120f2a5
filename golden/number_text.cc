#include "golden/number_text.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "fmt/format.h"

namespace faultdrill::golden {
namespace {

template <typename T>
std::string ToChars(T value, int precision = -1) {
  char buffer[64];
  const std::to_chars_result result =
      precision < 0 ? std::to_chars(buffer, buffer + sizeof(buffer), value)
                    : std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::general, precision);
  return std::string(buffer, result.ptr);
}

bool ReadsBackAs(const std::string& text, float value) {
  const double parsed = std::strtod(text.c_str(), nullptr);
  return static_cast<float>(parsed) == value;
}

}  // namespace

std::string ShortestText(float value) { return ToChars(value); }
std::string ShortestText(double value) { return ToChars(value); }

std::string FloatJsonNumber(float value) {
  if (value == 0) return std::signbit(value) ? "-0.0" : "0";
  // Parsing through double and rounding to float rounds twice; for a shortest
  // text that could in principle land on the other float, so check, and fall
  // back to 9 digits (always enough for float) and then to the exact double.
  std::string text = ToChars(value);
  if (ReadsBackAs(text, value)) return text;
  text = ToChars(value, 9);
  if (ReadsBackAs(text, value)) return text;
  return ToChars(static_cast<double>(value));
}

std::string DoubleJsonNumber(double value) {
  if (value == 0 && std::signbit(value)) return "-0.0";
  return ToChars(value);
}

std::optional<float> DoubleToFloat(double value) {
  // Halfway between FLT_MAX and the next power of two: from there on the
  // nearest float is infinity. Below it (not below FLT_MAX: the shortest text
  // of FLT_MAX, 3.4028235e+38, reads back as a double a little above it)
  // values round to a finite float.
  constexpr double kRoundsToInfinity = 0x1.ffffffp127;
  if (std::isfinite(value) && std::fabs(value) >= kRoundsToInfinity) return std::nullopt;
  return static_cast<float>(value);
}

std::string QuoteForMessage(std::string_view text, size_t max_bytes) {
  std::string out = "\"";
  const bool cut = text.size() > max_bytes;
  if (cut) text = text.substr(0, max_bytes);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte >= 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  out += cut ? "...\"" : "\"";
  return out;
}

}  // namespace faultdrill::golden
