// YAML text -> located ParamNode tree. The only file in core/ that sees
// yaml-cpp; everything downstream reads ParamNode.
//
// The tree is built from yaml-cpp's parser events, not from YAML::LoadAll and
// YAML::Node, because the input is untrusted and Debian 12's yaml-cpp 0.7
// cannot be handed it as it is:
// - LoadAll loops for ever, allocating, on a token that no rule consumes (a
//   lone `,`: upstream jbeder/yaml-cpp#1040, fixed after 0.8). Here the parser
//   is asked for at most two documents, and a second "document" that starts
//   where the first one's null did is reported as the stray token it is.
// - Deep nesting recurses in yaml-cpp's parser; the builder stops it at
//   kMaxDepth, at the first event that goes deeper, by throwing out of the
//   parser (yaml-cpp unwinds cleanly: it holds its state in RAII members).
// - Aliases are expanded here, not shared: every alias adds the size of what
//   it copies to a budget checked before copying (billion laughs stops at
//   the alias that crosses kMaxNodes), and an alias to an anchor that is not
//   finished yet (a self-reference) is an error.
#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <optional>
#include <sstream>

#include "core/param_node.h"

namespace faultdrill {
namespace {

// No sane scenario comes near either limit.
constexpr int kMaxDepth = 64;
constexpr size_t kMaxNodes = 100'000;

SourceLocation Where(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return SourceLocation{file, 0, 0};
  return SourceLocation{file, mark.line + 1, mark.column + 1};
}

// Thrown by the builder to stop the parser; carries the located error.
struct Stop {
  absl::Status status;
};

// Builds one document's ParamNode tree from parser events.
class TreeBuilder : public YAML::EventHandler {
 public:
  explicit TreeBuilder(const std::string& file) : file_(file) {}

  // The document's root; nullopt when the document had no node.
  std::optional<ParamNode>& root() { return root_; }
  // Where the document started (its first token).
  const YAML::Mark& document_mark() const { return document_mark_; }

  void OnDocumentStart(const YAML::Mark& mark) override { document_mark_ = mark; }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Open(mark, ParamNode::Kind::kNull);
    Close(anchor);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                const std::string& value) override {
    Open(mark, ParamNode::Kind::kScalar).node.scalar = value;
    Close(anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const SourceLocation where = Where(file_, mark);
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      throw Stop{LocatedError(where, "an alias inside the node its anchor names (a self-referencing alias)")};
    }
    const Anchored& anchored = it->second;
    if (int(frames_.size()) + anchored.height > kMaxDepth) {
      throw Stop{LocatedError(where, fmt::format("nested more than {} levels deep (through this alias)", kMaxDepth))};
    }
    if (anchored.size > kMaxNodes - nodes_) {
      throw Stop{LocatedError(where, fmt::format("more than {} values (aliases expanding too far)", kMaxNodes))};
    }
    nodes_ += anchored.size;
    Frame frame{anchored.node, anchored.size, anchored.height};
    Relocate(&frame.node, where);
    Attach(std::move(frame));
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    Open(mark, ParamNode::Kind::kSequence).anchor = anchor;  // needed when the node ends
  }
  void OnSequenceEnd() override { Close(CurrentAnchor()); }

  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    Open(mark, ParamNode::Kind::kMap).anchor = anchor;
  }
  void OnMapEnd() override {
    if (frames_.back().pending_key) {  // yaml-cpp always pairs keys with values; be safe anyway
      throw Stop{LocatedError(frames_.back().pending_key_where, "a key without a value")};
    }
    Close(CurrentAnchor());
  }

 private:
  struct Frame {
    ParamNode node;
    size_t size = 1;  // nodes in this subtree
    int height = 1;   // levels in this subtree
    YAML::anchor_t anchor = 0;
    std::optional<std::string> pending_key;  // maps: a key read, its value not yet
    SourceLocation pending_key_where;
  };
  struct Anchored {
    ParamNode node;
    size_t size;
    int height;
  };

  Frame& Open(const YAML::Mark& mark, ParamNode::Kind kind) {
    const SourceLocation where = Where(file_, mark);
    if (int(frames_.size()) >= kMaxDepth) {
      throw Stop{LocatedError(where, fmt::format("nested more than {} levels deep", kMaxDepth))};
    }
    if (++nodes_ > kMaxNodes) {
      throw Stop{LocatedError(where, fmt::format("more than {} values (aliases expanding too far?)", kMaxNodes))};
    }
    Frame& frame = frames_.emplace_back();
    frame.node.kind = kind;
    frame.node.where = where;
    return frame;
  }

  YAML::anchor_t CurrentAnchor() const { return frames_.back().anchor; }

  void Close(YAML::anchor_t anchor) {
    Frame frame = std::move(frames_.back());
    frames_.pop_back();
    if (anchor != 0) anchors_[anchor] = Anchored{frame.node, frame.size, frame.height};
    Attach(std::move(frame));
  }

  // Hands a finished node to its parent (or makes it the root).
  void Attach(Frame child) {
    if (frames_.empty()) {
      root_ = std::move(child.node);
      return;
    }
    Frame& parent = frames_.back();
    parent.size += child.size;
    parent.height = std::max(parent.height, child.height + 1);
    ParamNode& node = parent.node;
    if (node.kind == ParamNode::Kind::kSequence) {
      node.items.push_back(std::move(child.node));
      return;
    }
    if (!parent.pending_key) {
      if (child.node.kind != ParamNode::Kind::kScalar) {
        throw Stop{LocatedError(child.node.where, "keys must be plain strings")};
      }
      for (size_t i = 0; i < node.entries.size(); ++i) {
        if (node.entries[i].first == child.node.scalar) {
          throw Stop{LocatedError(child.node.where, fmt::format("duplicate key '{}' (first at line {})",
                                                                child.node.scalar, node.key_where[i].line))};
        }
      }
      parent.pending_key = std::move(child.node.scalar);
      parent.pending_key_where = std::move(child.node.where);
      return;
    }
    // yaml-cpp places an empty value at the next token; the key is where the user looks.
    if (child.node.kind == ParamNode::Kind::kNull) child.node.where = parent.pending_key_where;
    node.entries.emplace_back(*std::move(parent.pending_key), std::move(child.node));
    node.key_where.push_back(std::move(parent.pending_key_where));
    parent.pending_key.reset();
  }

  // A copy made by an alias is located at the alias.
  static void Relocate(ParamNode* node, const SourceLocation& where) {
    node->where = where;
    for (SourceLocation& key_where : node->key_where) key_where = where;
    for (ParamNode& item : node->items) Relocate(&item, where);
    for (auto& entry : node->entries) Relocate(&entry.second, where);
  }

  const std::string& file_;
  std::vector<Frame> frames_;
  std::optional<ParamNode> root_;
  std::map<YAML::anchor_t, Anchored> anchors_;  // finished anchored nodes
  size_t nodes_ = 0;
  YAML::Mark document_mark_ = YAML::Mark::null_mark();
};

// Asks the parser only whether another document starts, and where: stops it
// at the start without reading the document.
class NextDocument : public YAML::EventHandler {
 public:
  struct Found {
    YAML::Mark mark;
  };
  void OnDocumentStart(const YAML::Mark& mark) override { throw Found{mark}; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// A second document may only start with '---', or after a '...' that ended
// the first. Anything else is a token no rule consumed (yaml-cpp makes a null
// document of it, and would make the same one again for ever).
absl::Status SecondDocumentError(std::string_view text, const std::string& file_name, const YAML::Mark& mark) {
  const size_t pos = std::min(size_t(std::max(mark.pos, 0)), text.size());
  const std::string_view before = text.substr(0, text.find_last_not_of(" \t\r\n", pos == 0 ? 0 : pos - 1) + 1);
  const bool ended = pos > 0 && before.size() >= 3 && before.substr(before.size() - 3) == "...";
  if (text.substr(pos).starts_with("---") || ended) {
    return LocatedError(Where(file_name, mark), "expected a single YAML document, found a second one");
  }
  const char c = pos < text.size() ? text[pos] : ' ';
  return LocatedError(Where(file_name, mark), c > ' ' && c < 0x7f
                                                  ? fmt::format("YAML syntax error: unexpected '{}'", c)
                                                  : std::string("YAML syntax error: unexpected token"));
}

}  // namespace

absl::StatusOr<ParamNode> ParseYamlDocument(std::string_view text, const std::string& file_name) {
  std::istringstream in{std::string(text)};
  TreeBuilder builder(file_name);
  try {
    YAML::Parser parser(in);
    if (!parser.HandleNextDocument(builder) || !builder.root()) {
      ParamNode empty;
      empty.where = SourceLocation{file_name, 1, 1};
      return empty;
    }
    // Never LoadAll: ask only whether a second document follows.
    NextDocument next;
    try {
      parser.HandleNextDocument(next);
    } catch (const NextDocument::Found& found) {
      return SecondDocumentError(text, file_name, found.mark);
    }
  } catch (const Stop& stop) {
    return stop.status;
  } catch (const YAML::ParserException& e) {
    return LocatedError(Where(file_name, e.mark), fmt::format("YAML syntax error: {}", e.msg));
  } catch (const YAML::Exception& e) {
    return LocatedError(Where(file_name, e.mark), fmt::format("invalid YAML: {}", e.msg));
  }
  ParamNode root = *std::move(builder.root());
  if (root.where.line == 0) root.where = SourceLocation{file_name, 1, 1};
  return root;
}

}  // namespace faultdrill
