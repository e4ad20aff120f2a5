// Numbers as text: the shortest form that reads back to the same value, for
// messages (side-by-side elements) and for the masters file, where floats are
// written so that a git diff shows "0.25 -> 0.2500001", not 17 digits.
#ifndef FAULTDRILL_GOLDEN_NUMBER_TEXT_H_
#define FAULTDRILL_GOLDEN_NUMBER_TEXT_H_

#include <optional>
#include <string>
#include <string_view>

namespace faultdrill::golden {

// Shortest round-trip text: "0.1", "-0", "1e+38", "inf", "-inf", "nan".
std::string ShortestText(float value);
std::string ShortestText(double value);

// A JSON number whose value, parsed as a double (as nlohmann-json and strtod
// do) and rounded to float, is exactly `value`: the shortest float text when
// that reads back exactly (virtually always), else more digits. Finite values
// only; -0 is written "-0.0" so that it stays a negative zero.
std::string FloatJsonNumber(float value);
// Shortest round-trip text of a finite double, "-0.0" for negative zero.
std::string DoubleJsonNumber(double value);

// The float nearest to `value` (NaN and infinities pass through); nullopt for
// finite values whose nearest float is an infinity (from FLT_MAX plus half
// its ulp on; a value just above FLT_MAX rounds to FLT_MAX).
std::optional<float> DoubleToFloat(double value);

// `text` for a message: quoted, escaped (\n, \t, \xNN for other control or
// non-ASCII bytes), cut to `max_bytes` with "..." marking the cut.
std::string QuoteForMessage(std::string_view text, size_t max_bytes = 40);

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_NUMBER_TEXT_H_
