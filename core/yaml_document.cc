// YAML text -> located ParamNode tree. The only file in core/ that sees yaml-cpp
// nodes; everything downstream reads ParamNode.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/param_node.h"

namespace faultdrill {
namespace {

SourceLocation Where(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return SourceLocation{file, 0, 0};
  return SourceLocation{file, mark.line + 1, mark.column + 1};
}

// Aliases make the YAML a graph: a self-referencing anchor is a cycle and
// nested aliases expand exponentially ("billion laughs"). Both limits stop that
// with an error instead of a crash; no sane scenario comes near them.
constexpr int kMaxDepth = 64;
constexpr size_t kMaxNodes = 100'000;

struct Budget {
  const std::string& file;
  size_t nodes = 0;
};

absl::Status Convert(const YAML::Node& node, Budget& budget, int depth, ParamNode* out) {
  const std::string& file = budget.file;
  out->where = Where(file, node.Mark());
  if (depth > kMaxDepth) {
    return LocatedError(out->where,
                        fmt::format("nested more than {} levels deep (a self-referencing alias?)", kMaxDepth));
  }
  if (++budget.nodes > kMaxNodes) {
    return LocatedError(out->where, fmt::format("more than {} values (aliases expanding too far?)", kMaxNodes));
  }
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      out->kind = ParamNode::Kind::kNull;
      return absl::OkStatus();
    case YAML::NodeType::Scalar:
      out->kind = ParamNode::Kind::kScalar;
      out->scalar = node.Scalar();
      return absl::OkStatus();
    case YAML::NodeType::Sequence:
      out->kind = ParamNode::Kind::kSequence;
      out->items.reserve(node.size());
      for (const YAML::Node& item : node) {
        if (absl::Status s = Convert(item, budget, depth + 1, &out->items.emplace_back()); !s.ok()) return s;
      }
      return absl::OkStatus();
    case YAML::NodeType::Map:
      out->kind = ParamNode::Kind::kMap;
      for (auto it = node.begin(); it != node.end(); ++it) {
        SourceLocation key_where = Where(file, it->first.Mark());
        if (!it->first.IsScalar()) {
          return LocatedError(key_where, "keys must be plain strings");
        }
        const std::string& key = it->first.Scalar();
        for (size_t i = 0; i < out->entries.size(); ++i) {
          if (out->entries[i].first == key) {
            return LocatedError(key_where,
                                fmt::format("duplicate key '{}' (first at line {})", key, out->key_where[i].line));
          }
        }
        ParamNode value;
        if (absl::Status s = Convert(it->second, budget, depth + 1, &value); !s.ok()) return s;
        // yaml-cpp places an empty value at the next token; the key is where the user looks.
        if (value.kind == ParamNode::Kind::kNull) value.where = key_where;
        out->entries.emplace_back(key, std::move(value));
        out->key_where.push_back(std::move(key_where));
      }
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ParamNode> ParseYamlDocument(std::string_view text, const std::string& file_name) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::ParserException& e) {
    return LocatedError(Where(file_name, e.mark), fmt::format("YAML syntax error: {}", e.msg));
  } catch (const YAML::Exception& e) {
    return LocatedError(Where(file_name, e.mark), fmt::format("invalid YAML: {}", e.msg));
  }
  ParamNode root;
  root.where = SourceLocation{file_name, 1, 1};
  if (documents.empty()) return root;
  if (documents.size() > 1) {
    return LocatedError(Where(file_name, documents[1].Mark()),
                        "expected a single YAML document, found a second one ('---')");
  }
  Budget budget{file_name};
  if (absl::Status s = Convert(documents[0], budget, 0, &root); !s.ok()) return s;
  if (root.where.line == 0) root.where = SourceLocation{file_name, 1, 1};
  return root;
}

}  // namespace faultdrill
