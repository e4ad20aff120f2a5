// Making untrusted text (scenario names, error messages, target output) safe
// to put into XML and HTML. Everything a report prints from a RunResult goes
// through one of these; none of them fails or throws.
//
// All of them first make the text valid UTF-8 (SanitizeUtf8), then replace the
// characters XML 1.0 forbids or that render as garbage: C0 controls other than
// tab, newline and carriage return, DEL, C1 controls and the noncharacters
// U+FFFE/U+FFFF all become U+FFFD. Then they escape & < > " ' as entities, so
// the result is safe in element text and in single- or double-quoted
// attributes alike, and "]]>" can never appear. Other characters (emoji
// included) are kept as they are.
#ifndef FAULTDRILL_REPORTS_ESCAPE_H_
#define FAULTDRILL_REPORTS_ESCAPE_H_

#include <string>
#include <string_view>

namespace faultdrill::reports {

// Valid UTF-8: every maximal ill-formed subsequence (stray continuation
// bytes, truncated sequences, overlong forms, surrogates, code points past
// U+10FFFF) becomes one U+FFFD, as the WHATWG and Unicode recommend.
std::string SanitizeUtf8(std::string_view text);

// For XML element content. Carriage returns become "&#13;" so they survive
// an XML parser's line-end normalisation; tabs and newlines are kept.
std::string EscapeXmlText(std::string_view text);

// For XML attribute values: as EscapeXmlText, and tab, newline and carriage
// return become character references so that attribute normalisation does not
// turn them into spaces.
std::string EscapeXmlAttribute(std::string_view text);

// For HTML text and quoted attribute values ("&#39;" for the apostrophe, which
// HTML 4 lacks as a named entity). Newlines are kept.
std::string EscapeHtml(std::string_view text);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_ESCAPE_H_
