#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/param_node.h"

namespace faultdrill {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ParseYamlDocument, KeepsOneBasedPositionsOfKeysAndValues) {
  absl::StatusOr<ParamNode> root = ParseYamlDocument("name: x\nload:\n  rate: 10/s\n  list: [a, b]\n", "s.yaml");
  ASSERT_TRUE(root.ok()) << root.status();
  ASSERT_EQ(root->kind, ParamNode::Kind::kMap);
  ASSERT_EQ(root->entries.size(), 2u);
  EXPECT_EQ(root->entries[1].first, "load");
  EXPECT_EQ(root->key_where[1].ToString(), "s.yaml:2:1");
  const ParamNode& load = root->entries[1].second;
  EXPECT_EQ(load.where.ToString(), "s.yaml:3:3");
  EXPECT_EQ(load.Find("rate")->scalar, "10/s");
  EXPECT_EQ(load.Find("rate")->where.ToString(), "s.yaml:3:9");
  const ParamNode& list = *load.Find("list");
  ASSERT_EQ(list.items.size(), 2u);
  EXPECT_EQ(list.items[1].where.ToString(), "s.yaml:4:13");
}

TEST(ParseYamlDocument, LocatesAnEmptyValueAtItsKey) {
  absl::StatusOr<ParamNode> root = ParseYamlDocument("a:\nb: 1\n", "s.yaml");
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->Find("a")->kind, ParamNode::Kind::kNull);
  EXPECT_EQ(root->Find("a")->where.ToString(), "s.yaml:1:1");
}

TEST(ParseYamlDocument, KeepsQuotedNullAsAString) {
  absl::StatusOr<ParamNode> root = ParseYamlDocument("a: \"null\"\nb: ~\n", "s.yaml");
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->Find("a")->kind, ParamNode::Kind::kScalar);
  EXPECT_EQ(root->Find("b")->kind, ParamNode::Kind::kNull);
}

TEST(ParseYamlDocument, EmptyTextIsNull) {
  for (const char* text : {"", "\n", "# just a comment\n"}) {
    absl::StatusOr<ParamNode> root = ParseYamlDocument(text, "s.yaml");
    ASSERT_TRUE(root.ok()) << text;
    EXPECT_EQ(root->kind, ParamNode::Kind::kNull);
    EXPECT_EQ(root->where.ToString(), "s.yaml:1:1");
  }
}

TEST(ParseYamlDocument, RejectsDuplicateKeys) {
  absl::StatusOr<ParamNode> root = ParseYamlDocument("a: 1\nb:\n  c: 1\n  c: 2\n", "s.yaml");
  EXPECT_EQ(root.status().message(), "s.yaml:4:3: duplicate key 'c' (first at line 3)");
}

TEST(ParseYamlDocument, ReportsSyntaxErrorsAtYamlCppsPosition) {
  absl::StatusOr<ParamNode> root = ParseYamlDocument("a: b\n c: d\n", "s.yaml");
  EXPECT_EQ(root.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(root.status().message()), StartsWith("s.yaml:2:3: YAML syntax error: "));
}

TEST(ParseYamlDocument, RejectsNonScalarKeys) {
  absl::StatusOr<ParamNode> root = ParseYamlDocument("? [a, b]\n: 1\n", "s.yaml");
  EXPECT_THAT(std::string(root.status().message()), HasSubstr("keys must be plain strings"));
}

TEST(ParseYamlDocument, RejectsASecondDocument) {
  absl::StatusOr<ParamNode> root = ParseYamlDocument("a: 1\n---\nb: 2\n", "s.yaml");
  EXPECT_THAT(std::string(root.status().message()), HasSubstr("s.yaml:2:1: expected a single YAML document"));
}

TEST(ParseYamlDocument, ALoneCommaIsALocatedErrorNotAnEndlessLoop) {
  // yaml-cpp 0.7's LoadAll makes a null document of it, again and again.
  EXPECT_EQ(ParseYamlDocument(",", "s.yaml").status().message(), "s.yaml:1:1: YAML syntax error: unexpected ','");
  EXPECT_EQ(ParseYamlDocument("[1]\n,\n", "s.yaml").status().message(),
            "s.yaml:2:1: YAML syntax error: unexpected ','");
}

TEST(ParseYamlDocument, ADocumentAfterAnEndMarkerIsASecondDocument) {
  EXPECT_THAT(std::string(ParseYamlDocument("a: 1\n...\nb: 2\n", "s.yaml").status().message()),
              HasSubstr("s.yaml:3:1: expected a single YAML document"));
  EXPECT_TRUE(ParseYamlDocument("a: 1\n...\n", "s.yaml").ok());
}

TEST(ParseYamlDocument, ExpandsAliasesLocatedAtTheAlias) {
  absl::StatusOr<ParamNode> root = ParseYamlDocument("a: &x [1, {b: 2}]\nc: *x\n", "s.yaml");
  ASSERT_TRUE(root.ok()) << root.status();
  const ParamNode& c = *root->Find("c");
  ASSERT_EQ(c.kind, ParamNode::Kind::kSequence);
  ASSERT_EQ(c.items.size(), 2u);
  EXPECT_EQ(c.items[1].Find("b")->scalar, "2");
  EXPECT_EQ(c.items[1].Find("b")->where.ToString(), "s.yaml:2:4");
  EXPECT_EQ(root->Find("a")->items[1].Find("b")->where.ToString(), "s.yaml:1:15");
}

TEST(ParseYamlDocument, RejectsASelfReferencingAlias) {
  absl::StatusOr<ParamNode> root = ParseYamlDocument("a: &x [*x]\n", "s.yaml");
  EXPECT_THAT(std::string(root.status().message()), HasSubstr("self-referencing alias"));
}

TEST(ParseYamlDocument, StopsExponentialAliasExpansion) {
  std::string text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) text += (j ? ", *l" : "*l") + std::to_string(i - 1);
    text += "]\n";
  }
  absl::StatusOr<ParamNode> root = ParseYamlDocument(text, "s.yaml");
  EXPECT_THAT(std::string(root.status().message()), StartsWith("s.yaml:5:"));  // the alias that crosses the limit
  EXPECT_THAT(std::string(root.status().message()), HasSubstr("aliases expanding too far"));
}

TEST(ParseYamlDocument, StopsAliasesThatNestTooDeep) {
  std::string text = "a0: &a0 [x]\n";
  for (int i = 1; i < 100; ++i) {
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) + "]\n";
  }
  absl::StatusOr<ParamNode> root = ParseYamlDocument(text, "s.yaml");
  EXPECT_THAT(std::string(root.status().message()), HasSubstr("nested more than 64 levels deep (through this alias)"));
}

TEST(ParseYamlDocument, DeepNestingIsALocatedErrorNotAStackOverflow) {
  for (const std::string& deep : {std::string(100000, '['), std::string(100000, '{'),
                                  [] {
                                    std::string block;
                                    for (int i = 0; i < 100000; ++i) block += "- ";
                                    return block + "x\n";
                                  }()}) {
    absl::StatusOr<ParamNode> root = ParseYamlDocument(deep, "s.yaml");
    EXPECT_THAT(std::string(root.status().message()), StartsWith("s.yaml:1:")) << deep.substr(0, 4);
    EXPECT_THAT(std::string(root.status().message()), HasSubstr("nested more than 64 levels deep"));
  }
}

}  // namespace
}  // namespace faultdrill
