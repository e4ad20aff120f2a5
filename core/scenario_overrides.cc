// `--set key=value`: edits to the scenario tree before it is validated, so an
// override is checked exactly like the file it overrides.
#include <fmt/format.h>

#include <charconv>

#include "core/scenario.h"

namespace faultdrill {
namespace {

// Every position in an override's value points at the override itself.
void Relocate(ParamNode* node, const SourceLocation& where) {
  node->where = where;
  for (SourceLocation& key_where : node->key_where) key_where = where;
  for (ParamNode& item : node->items) Relocate(&item, where);
  for (auto& entry : node->entries) Relocate(&entry.second, where);
}

bool ParseIndex(std::string_view text, size_t* index) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *index);
  return !text.empty() && ec == std::errc() && ptr == text.data() + text.size();
}

absl::Status ApplyOverride(ParamNode& root, const Override& override) {
  const std::string label = fmt::format("--set {}", override.key);
  auto fail = [&](std::string_view problem) {
    return absl::InvalidArgumentError(fmt::format("{}: {}", label, problem));
  };
  std::vector<std::string_view> path;
  for (std::string_view rest = override.key;;) {
    size_t dot = rest.find('.');
    path.push_back(rest.substr(0, dot));
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  for (std::string_view component : path) {
    if (component.empty()) return fail("expected a dotted path such as 'load.rate' or 'faults.0.at'");
  }

  ParamNode* node = &root;
  std::string walked;  // the path so far, for messages
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    std::string_view component = path[i];
    ParamNode* next = nullptr;
    if (node->kind == ParamNode::Kind::kMap) {
      for (auto& [key, value] : node->entries) {
        if (key == component) next = &value;
      }
      if (next == nullptr) {
        return fail(fmt::format("no such key '{}'{}", component, walked.empty() ? "" : fmt::format(" in {}", walked)));
      }
    } else if (node->kind == ParamNode::Kind::kSequence) {
      size_t index = 0;
      if (!ParseIndex(component, &index)) {
        return fail(fmt::format("'{}' is a list; expected an element number, got '{}'", walked, component));
      }
      if (index >= node->items.size()) {
        return fail(fmt::format("no element {} in {} (it has {})", index, walked, node->items.size()));
      }
      next = &node->items[index];
    } else {
      return fail(
          fmt::format("no such key '{}': '{}' is {}, not a map or list", component, walked, ParamKindName(node->kind)));
    }
    node = next;
    walked = walked.empty() ? std::string(component) : fmt::format("{}.{}", walked, component);
  }

  absl::StatusOr<ParamNode> value = ParseYamlDocument(override.value, label);
  if (!value.ok()) return value.status();
  const SourceLocation where{label, 0, 0};
  Relocate(&*value, where);

  std::string_view last = path.back();
  if (node->kind == ParamNode::Kind::kMap) {
    for (auto& [key, existing] : node->entries) {
      if (key == last) {
        existing = *std::move(value);
        return absl::OkStatus();
      }
    }
    node->entries.emplace_back(std::string(last), *std::move(value));
    node->key_where.push_back(where);
    return absl::OkStatus();
  }
  if (node->kind == ParamNode::Kind::kSequence) {
    size_t index = 0;
    if (!ParseIndex(last, &index)) {
      return fail(fmt::format("'{}' is a list; expected an element number, got '{}'", walked, last));
    }
    if (index >= node->items.size()) {
      return fail(fmt::format("no element {} in {} (it has {})", index, walked, node->items.size()));
    }
    node->items[index] = *std::move(value);
    return absl::OkStatus();
  }
  return fail(fmt::format("cannot set '{}': '{}' is {}, not a map or list", last, walked, ParamKindName(node->kind)));
}

}  // namespace

absl::Status ApplyOverrides(ParamNode& root, const std::vector<Override>& overrides) {
  for (const Override& override : overrides) {
    if (absl::Status s = ApplyOverride(root, override); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace faultdrill
