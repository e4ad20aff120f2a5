#include "reports/escape.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace faultdrill::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kFFFD[] = "\xEF\xBF\xBD";

std::string R(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += kFFFD;
  return out;
}

TEST(SanitizeUtf8, KeepsValidText) {
  const std::string text = "plain ascii, é, ß, 日本, 🚀, U+FFFD itself: \xEF\xBF\xBD";
  EXPECT_EQ(SanitizeUtf8(text), text);
}

TEST(SanitizeUtf8, ReplacesStrayAndImpossibleBytes) {
  EXPECT_EQ(SanitizeUtf8("a\x80z"), "a" + R(1) + "z");        // lone continuation byte
  EXPECT_EQ(SanitizeUtf8("a\xff\xfez"), "a" + R(2) + "z");    // never valid in UTF-8
  EXPECT_EQ(SanitizeUtf8("\xC0\xAF"), R(2));                  // overlong '/'
}

TEST(SanitizeUtf8, ReplacesEachMaximalSubpartOnce) {
  EXPECT_EQ(SanitizeUtf8("\xE2\x82" "z"), R(1) + "z");         // truncated 3-byte sequence
  EXPECT_EQ(SanitizeUtf8("\xF0\x9F\x9A"), R(1));               // truncated emoji at the end
  EXPECT_EQ(SanitizeUtf8("\xE0\x80\x80"), R(3));               // overlong: E0 must be followed by A0..BF
}

TEST(SanitizeUtf8, RejectsSurrogatesAndCodePointsPastUnicode) {
  EXPECT_EQ(SanitizeUtf8("\xED\xA0\x80"), R(3));   // U+D800
  EXPECT_EQ(SanitizeUtf8("\xF4\x90\x80\x80"), R(4));  // U+110000
}

TEST(EscapeXmlText, EscapesMarkupCharacters) {
  EXPECT_EQ(EscapeXmlText("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
}

TEST(EscapeXmlText, NeverLeavesCdataTerminator) {
  EXPECT_EQ(EscapeXmlText("a]]>b"), "a]]&gt;b");
}

TEST(EscapeXmlText, ReplacesForbiddenControlCharacters) {
  EXPECT_EQ(EscapeXmlText(std::string("a\x01" "b\x1b" "c\x7f" "d\0e", 9)), "a" + R(1) + "b" + R(1) + "c" + R(1) + "d" + R(1) + "e");
  EXPECT_EQ(EscapeXmlText("\xC2\x85"), R(1));       // NEL, a C1 control
  EXPECT_EQ(EscapeXmlText("\xEF\xBF\xBE"), R(1));   // U+FFFE
}

TEST(EscapeXmlText, KeepsTabsNewlinesAndProtectsCarriageReturns) {
  EXPECT_EQ(EscapeXmlText("a\tb\nc\rd"), "a\tb\nc&#13;d");
}

TEST(EscapeXmlText, KeepsEmojiAndReplacesInvalidUtf8) {
  EXPECT_EQ(EscapeXmlText("ok 🚀 \xff!"), "ok 🚀 " + R(1) + "!");
}

TEST(EscapeXmlAttribute, EncodesWhitespaceThatAttributesWouldNormalise) {
  EXPECT_EQ(EscapeXmlAttribute("a\tb\nc\rd\"e"), "a&#9;b&#10;c&#13;d&quot;e");
}

TEST(EscapeHtml, EscapesForTextAndAttributes) {
  const std::string out = EscapeHtml("<script>alert('x')</script> & \"q\"");
  EXPECT_EQ(out, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  EXPECT_THAT(out, Not(HasSubstr("<")));
}

TEST(EscapeHtml, KeepsNewlinesAndEmoji) {
  EXPECT_EQ(EscapeHtml("a\nb 🚀"), "a\nb 🚀");
}

TEST(Escape, EmptyTextStaysEmpty) {
  EXPECT_EQ(SanitizeUtf8(""), "");
  EXPECT_EQ(EscapeXmlText(""), "");
  EXPECT_EQ(EscapeXmlAttribute(""), "");
  EXPECT_EQ(EscapeHtml(""), "");
}

}  // namespace
}  // namespace faultdrill::reports
