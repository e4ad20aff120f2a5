#include "core/param_node.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace faultdrill {
namespace {

// Optimal-string-alignment distance: edits, with a swap of neighbours as one.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// " (did you mean 'x'?)" for the closest of `known` within 2 edits, else "".
std::string Suggestion(std::string_view word, std::initializer_list<std::string_view> known) {
  std::string_view best;
  size_t best_distance = 3;
  for (std::string_view candidate : known) {
    size_t distance = EditDistance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best.empty() ? "" : fmt::format(" (did you mean '{}'?)", best);
}

std::string JoinWords(std::initializer_list<std::string_view> words) {
  return fmt::format("{}", fmt::join(words, ", "));
}

}  // namespace

std::string_view ParamKindName(ParamNode::Kind kind) {
  switch (kind) {
    case ParamNode::Kind::kNull:
      return "null";
    case ParamNode::Kind::kScalar:
      return "a string";
    case ParamNode::Kind::kSequence:
      return "a list";
    case ParamNode::Kind::kMap:
      return "a map";
  }
  return "?";
}

ParamNode::ParamNode() = default;
ParamNode::~ParamNode() = default;
ParamNode::ParamNode(const ParamNode&) = default;
ParamNode::ParamNode(ParamNode&&) noexcept = default;
ParamNode& ParamNode::operator=(const ParamNode&) = default;
ParamNode& ParamNode::operator=(ParamNode&&) noexcept = default;

const ParamNode* ParamNode::Find(std::string_view key) const {
  if (kind != Kind::kMap) return nullptr;
  for (const auto& [name, value] : entries) {
    if (name == key) return &value;
  }
  return nullptr;
}

ParamReader::ParamReader(const ParamNode& map, std::string context) : map_(map), context_(std::move(context)) {}

bool ParamReader::Has(std::string_view key) const { return map_.Find(key) != nullptr; }

absl::Status ParamReader::Error(std::string_view key, std::string_view problem) const {
  const ParamNode* value = map_.Find(key);
  const SourceLocation& where = value != nullptr ? value->where : map_.where;
  if (context_.empty()) return LocatedError(where, fmt::format("{}: {}", key, problem));
  return LocatedError(where, fmt::format("{}: {}: {}", context_, key, problem));
}

absl::Status ParamReader::MapError(std::string_view problem) const {
  if (context_.empty()) return LocatedError(map_.where, problem);
  return LocatedError(map_.where, fmt::format("{}: {}", context_, problem));
}

namespace {

// The scalar text under `key`, or the error for a missing or non-scalar value.
// Sets *absent when the key is absent (and returns OK) so callers can fall back.
absl::Status ScalarOf(const ParamReader& reader, std::string_view key, std::string_view expected,
                      std::string_view* text, bool* absent) {
  const ParamNode* node = reader.Find(key);
  *absent = node == nullptr;
  if (node == nullptr) return absl::OkStatus();
  if (node->kind == ParamNode::Kind::kNull)
    return reader.Error(key, fmt::format("missing value (expected {})", expected));
  if (node->kind != ParamNode::Kind::kScalar) {
    return reader.Error(key, fmt::format("expected {}, got {}", expected, ParamKindName(node->kind)));
  }
  *text = node->scalar;
  return absl::OkStatus();
}

absl::Status Missing(const ParamReader& reader, std::string_view key) {
  return reader.MapError(fmt::format("missing required key '{}'", key));
}

// The shared shape of every scalar getter: look up, fall back or complain, parse.
template <typename T, typename Parse>
absl::StatusOr<T> Get(const ParamReader& reader, std::string_view key, std::string_view expected,
                      const std::optional<T>& fallback, Parse parse) {
  std::string_view text;
  bool absent = false;
  if (absl::Status s = ScalarOf(reader, key, expected, &text, &absent); !s.ok()) return s;
  if (absent) {
    if (fallback.has_value()) return *fallback;
    return Missing(reader, key);
  }
  return parse(text);
}

}  // namespace

absl::StatusOr<std::string> ParamReader::String(std::string_view key, std::optional<std::string> fallback) const {
  return Get<std::string>(*this, key, "a string", fallback,
                          [](std::string_view text) -> absl::StatusOr<std::string> { return std::string(text); });
}

absl::StatusOr<std::string> ParamReader::Choice(std::string_view key, std::initializer_list<std::string_view> choices,
                                                std::optional<std::string> fallback) const {
  std::string expected = fmt::format("one of {}", JoinWords(choices));
  return Get<std::string>(*this, key, expected, fallback, [&](std::string_view text) -> absl::StatusOr<std::string> {
    if (std::find(choices.begin(), choices.end(), text) != choices.end()) return std::string(text);
    return Error(key, fmt::format("'{}' is not {}{}", text, expected, Suggestion(text, choices)));
  });
}

absl::StatusOr<bool> ParamReader::Bool(std::string_view key, std::optional<bool> fallback) const {
  return Get<bool>(*this, key, "true or false", fallback, [&](std::string_view text) -> absl::StatusOr<bool> {
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    return Error(key, fmt::format("expected true or false, got '{}'", text));
  });
}

absl::StatusOr<int64_t> ParamReader::Int(std::string_view key, int64_t min, int64_t max,
                                         std::optional<int64_t> fallback) const {
  std::string range = fmt::format("an integer between {} and {}", min, max);
  return Get<int64_t>(*this, key, range, fallback, [&](std::string_view text) -> absl::StatusOr<int64_t> {
    int64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ptr != text.data() + text.size() || (ec != std::errc() && ec != std::errc::result_out_of_range)) {
      return Error(key, fmt::format("expected {}, got '{}'", range, text));
    }
    if (ec == std::errc::result_out_of_range || value < min || value > max) {
      return Error(key, fmt::format("{} is out of range: expected {}", text, range));
    }
    return value;
  });
}

absl::StatusOr<uint64_t> ParamReader::Uint64(std::string_view key, std::optional<uint64_t> fallback) const {
  return Get<uint64_t>(*this, key, "a non-negative integer", fallback,
                       [&](std::string_view text) -> absl::StatusOr<uint64_t> {
                         uint64_t value = 0;
                         auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
                         if (ec == std::errc::result_out_of_range) {
                           return Error(key, fmt::format("{} is too large (at most 18446744073709551615)", text));
                         }
                         if (ec != std::errc() || ptr != text.data() + text.size()) {
                           return Error(key, fmt::format("expected a non-negative integer, got '{}'", text));
                         }
                         return value;
                       });
}

absl::StatusOr<double> ParamReader::Double(std::string_view key, double min, double max,
                                           std::optional<double> fallback) const {
  std::string range = fmt::format("a number between {} and {}", min, max);
  return Get<double>(*this, key, range, fallback, [&](std::string_view text) -> absl::StatusOr<double> {
    double value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) {
      return Error(key, fmt::format("expected {}, got '{}'", range, text));
    }
    if (value < min || value > max) return Error(key, fmt::format("{} is out of range: expected {}", text, range));
    return value;
  });
}

absl::StatusOr<Duration> ParamReader::Dur(std::string_view key, std::optional<Duration> fallback) const {
  return Get<Duration>(*this, key, "a duration", fallback, [&](std::string_view text) -> absl::StatusOr<Duration> {
    absl::StatusOr<Duration> d = ParseDuration(text);
    if (!d.ok()) return Error(key, std::string(d.status().message()));
    return d;
  });
}

absl::StatusOr<std::optional<Duration>> ParamReader::OptionalDur(std::string_view key) const {
  if (!Has(key)) return std::optional<Duration>();
  absl::StatusOr<Duration> d = Dur(key);
  if (!d.ok()) return d.status();
  return std::optional<Duration>(*d);
}

absl::StatusOr<double> ParamReader::Percent(std::string_view key, std::optional<double> fallback) const {
  return Get<double>(*this, key, "a percentage", fallback, [&](std::string_view text) -> absl::StatusOr<double> {
    absl::StatusOr<double> p = ParsePercent(text);
    if (!p.ok()) return Error(key, std::string(p.status().message()));
    return p;
  });
}

absl::StatusOr<uint64_t> ParamReader::Bytes(std::string_view key, std::optional<uint64_t> fallback) const {
  return Get<uint64_t>(*this, key, "a size in bytes", fallback, [&](std::string_view text) -> absl::StatusOr<uint64_t> {
    absl::StatusOr<uint64_t> b = ParseBytes(text);
    if (!b.ok()) return Error(key, std::string(b.status().message()));
    return b;
  });
}

absl::StatusOr<faultdrill::Rate> ParamReader::RateValue(std::string_view key,
                                                        std::optional<faultdrill::Rate> fallback) const {
  return Get<faultdrill::Rate>(*this, key, "a rate", fallback,
                               [&](std::string_view text) -> absl::StatusOr<faultdrill::Rate> {
                                 absl::StatusOr<faultdrill::Rate> r = ParseRate(text);
                                 if (!r.ok()) return Error(key, std::string(r.status().message()));
                                 return r;
                               });
}

absl::StatusOr<std::vector<std::string>> ParamReader::StringList(std::string_view key) const {
  absl::StatusOr<const ParamNode*> list = List(key, /*required=*/true);
  if (!list.ok()) return list.status();
  std::vector<std::string> out;
  for (size_t i = 0; i < (*list)->items.size(); ++i) {
    const ParamNode& item = (*list)->items[i];
    if (item.kind != ParamNode::Kind::kScalar) {
      std::string where = fmt::format("{}{}[{}]", context_.empty() ? "" : fmt::format("{}: ", context_), key, i);
      return LocatedError(item.where, fmt::format("{}: expected a string, got {}", where, ParamKindName(item.kind)));
    }
    out.push_back(item.scalar);
  }
  return out;
}

namespace {

absl::StatusOr<const ParamNode*> Child(const ParamReader& reader, std::string_view key, bool required,
                                       ParamNode::Kind kind) {
  const ParamNode* node = reader.Find(key);
  if (node == nullptr) {
    if (required) return Missing(reader, key);
    return nullptr;
  }
  if (node->kind != kind) {
    return reader.Error(key, fmt::format("expected {}, got {}", ParamKindName(kind), ParamKindName(node->kind)));
  }
  return node;
}

}  // namespace

absl::StatusOr<const ParamNode*> ParamReader::Map(std::string_view key, bool required) const {
  return Child(*this, key, required, ParamNode::Kind::kMap);
}

absl::StatusOr<const ParamNode*> ParamReader::List(std::string_view key, bool required) const {
  return Child(*this, key, required, ParamNode::Kind::kSequence);
}

absl::Status ParamReader::CheckKnownKeys(std::initializer_list<std::string_view> known) const {
  for (size_t i = 0; i < map_.entries.size(); ++i) {
    const std::string& key = map_.entries[i].first;
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    const SourceLocation& where = i < map_.key_where.size() ? map_.key_where[i] : map_.where;
    return LocatedError(where, fmt::format("{}unknown key '{}'{}; known keys: {}",
                                           context_.empty() ? "" : fmt::format("{}: ", context_), key,
                                           Suggestion(key, known), JoinWords(known)));
  }
  return absl::OkStatus();
}

}  // namespace faultdrill
