// A kind-specific part of a scenario (a fault's or probe's own keys), kept as a
// small located tree so that the injector or probe that owns those keys can
// turn them into its typed settings once, at load time, with errors that name
// file:line:col. Nothing after that step reads ParamNode.
#ifndef FAULTDRILL_CORE_PARAM_NODE_H_
#define FAULTDRILL_CORE_PARAM_NODE_H_

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/duration.h"
#include "core/source_location.h"

namespace faultdrill {

struct ParamNode {
  enum class Kind { kNull, kScalar, kSequence, kMap };
  Kind kind = Kind::kNull;
  std::string scalar;                                      // kScalar
  std::vector<ParamNode> items;                            // kSequence
  std::vector<std::pair<std::string, ParamNode>> entries;  // kMap, in file order
  SourceLocation where;                                    // of the value
  std::vector<SourceLocation> key_where;                   // kMap: of each key

  // Declared here and defaulted in param_node.cc, where ParamNode is complete:
  // clang instantiates the members of `entries` eagerly and rejects the
  // incomplete std::pair<std::string, ParamNode> otherwise.
  ParamNode();
  ~ParamNode();
  ParamNode(const ParamNode&);
  ParamNode(ParamNode&&) noexcept;
  ParamNode& operator=(const ParamNode&);
  ParamNode& operator=(ParamNode&&) noexcept;

  // The value under `key` in a map, or null.
  const ParamNode* Find(std::string_view key) const;
};

// Typed, located access to one map of kind-specific keys. Every getter returns
// InvalidArgument("file:line:col: <context>: <key>: <problem>") on a bad value,
// and a "missing required key" error when the key is absent and no fallback is
// given.
class ParamReader {
 public:
  // `context` names the owner in messages, e.g. "fault 'kill-server' (process-kill)".
  ParamReader(const ParamNode& map, std::string context);

  bool Has(std::string_view key) const;
  const ParamNode* Find(std::string_view key) const { return map_.Find(key); }
  const SourceLocation& where() const { return map_.where; }

  absl::StatusOr<std::string> String(std::string_view key,
                                     std::optional<std::string> fallback = std::nullopt) const;
  // One of `choices`.
  absl::StatusOr<std::string> Choice(std::string_view key, std::initializer_list<std::string_view> choices,
                                     std::optional<std::string> fallback = std::nullopt) const;
  absl::StatusOr<bool> Bool(std::string_view key, std::optional<bool> fallback = std::nullopt) const;
  absl::StatusOr<int64_t> Int(std::string_view key, int64_t min, int64_t max,
                              std::optional<int64_t> fallback = std::nullopt) const;
  absl::StatusOr<double> Double(std::string_view key, double min, double max,
                                std::optional<double> fallback = std::nullopt) const;
  absl::StatusOr<Duration> Dur(std::string_view key, std::optional<Duration> fallback = std::nullopt) const;
  absl::StatusOr<std::optional<Duration>> OptionalDur(std::string_view key) const;
  absl::StatusOr<double> Percent(std::string_view key, std::optional<double> fallback = std::nullopt) const;
  absl::StatusOr<uint64_t> Bytes(std::string_view key, std::optional<uint64_t> fallback = std::nullopt) const;
  absl::StatusOr<std::vector<std::string>> StringList(std::string_view key) const;

  // Rejects any key not in `known`, naming the first unknown one and listing
  // the known ones.
  absl::Status CheckKnownKeys(std::initializer_list<std::string_view> known) const;

  // A located error at `key`'s value (or at the map when the key is absent).
  absl::Status Error(std::string_view key, std::string_view problem) const;

  // --- Additions used by the scenario loader; same error conventions. ---

  const std::string& context() const { return context_; }
  // A rate such as "200/s" (core/duration.h), >= 0.
  absl::StatusOr<faultdrill::Rate> RateValue(std::string_view key,
                                             std::optional<faultdrill::Rate> fallback = std::nullopt) const;
  absl::StatusOr<uint64_t> Uint64(std::string_view key, std::optional<uint64_t> fallback = std::nullopt) const;
  // The map (or list) under `key`; nullptr when the key is absent and not
  // `required`; an error when the value is of another kind.
  absl::StatusOr<const ParamNode*> Map(std::string_view key, bool required = false) const;
  absl::StatusOr<const ParamNode*> List(std::string_view key, bool required = false) const;
  // A located error about the whole map: "file:line:col: <context>: <problem>".
  absl::Status MapError(std::string_view problem) const;

 private:
  const ParamNode& map_;
  std::string context_;
};

// "a string", "a list", "a map" or "null", for "expected X, got Y" messages.
std::string_view ParamKindName(ParamNode::Kind kind);

// Parses one YAML document into a located ParamNode tree (positions are
// 1-based; a null value in a map is located at its key). Errors are
// InvalidArgument "file:line:col: message": YAML syntax errors at yaml-cpp's
// position, duplicate keys, non-scalar keys, more than one document. Empty
// text (or only comments) yields a kNull node.
absl::StatusOr<ParamNode> ParseYamlDocument(std::string_view text, const std::string& file_name);

}  // namespace faultdrill

#endif  // FAULTDRILL_CORE_PARAM_NODE_H_
