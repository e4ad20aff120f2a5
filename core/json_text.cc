#include "core/json_text.h"

#include <fmt/format.h>

#include <string>
#include <type_traits>

namespace faultdrill {
namespace {

using nlohmann::json;

JsonTextPosition PositionOf(std::string_view text, size_t byte) {
  JsonTextPosition where;
  where.byte = std::min(byte, text.size());
  for (size_t i = 0; i < where.byte; ++i) {
    if (text[i] == '\n') {
      ++where.line;
      where.column = 1;
    } else {
      ++where.column;
    }
  }
  return where;
}

// The byte of the first '[' or '{' that opens level max_depth + 1, outside
// strings; npos when there is none. Exact for every prefix nlohmann accepts,
// so the parser never builds a value deeper than max_depth.
size_t TooDeepAt(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

// nlohmann's DOM builder that keeps where and why it stopped instead of throwing.
class LocatingDomParser : public nlohmann::detail::json_sax_dom_parser<json> {
 public:
  explicit LocatingDomParser(json& root) : json_sax_dom_parser(root, /*allow_exceptions_=*/false) {}

  template <class Exception>
  bool parse_error(std::size_t position, const std::string& last_token, const Exception& ex) {
    // nlohmann counts the bytes read so far: the byte it stopped at is
    // position - 1. A number out of range is read whole: point at its start.
    position_ = position == 0 ? 0 : position - 1;
    if constexpr (std::is_same_v<Exception, nlohmann::detail::out_of_range>) {
      if (last_token.size() <= position) position_ = position - last_token.size();
    }
    problem_ = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 7: <problem>": keep <problem>.
    if (size_t tag_end = problem_.find("] "); !problem_.empty() && problem_[0] == '[' && tag_end != std::string::npos) {
      problem_.erase(0, tag_end + 2);
    }
    if (problem_.starts_with("parse error")) {
      if (size_t colon = problem_.find(": "); colon != std::string::npos) problem_.erase(0, colon + 2);
    }
    return json_sax_dom_parser::parse_error(position, last_token, ex);
  }

  size_t position() const { return position_; }
  const std::string& problem() const { return problem_; }

 private:
  size_t position_ = 0;
  std::string problem_ = "not valid JSON";
};

}  // namespace

absl::StatusOr<json> ParseJsonText(std::string_view text, JsonTextPosition* where, int max_depth) {
  JsonTextPosition ignored;
  if (where == nullptr) where = &ignored;
  if (const size_t deep = TooDeepAt(text, max_depth); deep != std::string_view::npos) {
    *where = PositionOf(text, deep);
    return absl::InvalidArgumentError(fmt::format("nested more than {} levels deep", max_depth));
  }
  json value;
  LocatingDomParser parser(value);
  bool ok = false;
  try {
    ok = json::sax_parse(text.begin(), text.end(), &parser, json::input_format_t::json, /*strict=*/true);
  } catch (const json::exception& e) {  // not expected with allow_exceptions off; never let one escape
    *where = PositionOf(text, text.size());
    return absl::InvalidArgumentError(fmt::format("not valid JSON: {}", e.what()));
  }
  if (!ok || parser.is_errored()) {
    *where = PositionOf(text, parser.position());  // text.size() when the text ended early
    return absl::InvalidArgumentError(fmt::format("not valid JSON: {}", parser.problem()));
  }
  return value;
}

}  // namespace faultdrill
