// Parsing JSON text that comes from outside (golden masters, the undo journal,
// result.json) into nlohmann::json with errors as values: no exception
// escapes, and nesting deeper than kMaxJsonDepth is refused before nlohmann
// builds anything (what callers then do with the value, dump(), copies,
// comparisons, recurses once per level).
#ifndef FAULTDRILL_CORE_JSON_TEXT_H_
#define FAULTDRILL_CORE_JSON_TEXT_H_

#include <cstddef>
#include <string_view>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace faultdrill {

// Deeper than any file faultdrill writes (result.json: 6 levels).
inline constexpr int kMaxJsonDepth = 64;

// Where in the text a problem lies; line and column are 1-based (bytes).
struct JsonTextPosition {
  size_t byte = 0;  // offset of the problem; text.size() when the text ends early
  size_t line = 1;
  size_t column = 1;
};

// The value of `text` (exactly one JSON value, whitespace around it allowed).
// InvalidArgument with the problem alone, e.g. "not valid JSON: syntax error
// while parsing value - invalid literal; last read: 'x'", "not valid JSON:
// number overflow parsing '1e400'" or "nested more than 64 levels deep";
// `where` (when given) then says where.
absl::StatusOr<nlohmann::json> ParseJsonText(std::string_view text, JsonTextPosition* where = nullptr,
                                             int max_depth = kMaxJsonDepth);

}  // namespace faultdrill

#endif  // FAULTDRILL_CORE_JSON_TEXT_H_
