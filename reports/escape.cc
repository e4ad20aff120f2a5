#include "reports/escape.h"

#include <cstdint>

namespace faultdrill::reports {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes the code point at text[i], advancing i. An ill-formed sequence
// yields U+FFFD and advances past its maximal well-formed prefix (at least
// one byte), per Unicode 15, section 3.9, "U+FFFD Substitution of Maximal
// Subparts".
char32_t DecodeOne(std::string_view text, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t lead = byte(i);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  int length = 0;
  char32_t cp = 0;
  uint8_t low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    cp = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    cp = lead & 0x07;
    if (lead == 0xF0) low = 0x90;   // no overlong forms
    if (lead == 0xF4) high = 0x8F;  // nothing past U+10FFFF
  } else {
    ++i;  // a continuation byte on its own, or C0, C1, F5..FF
    return 0xFFFD;
  }
  size_t k = i + 1;
  for (int n = 1; n < length; ++n, ++k) {
    const uint8_t lo = n == 1 ? low : 0x80;
    const uint8_t hi = n == 1 ? high : 0xBF;
    if (k >= text.size() || byte(k) < lo || byte(k) > hi) {
      i = k;
      return 0xFFFD;
    }
    cp = (cp << 6) | (byte(k) & 0x3F);
  }
  i = k;
  return cp;
}

// Characters XML 1.0 forbids, or that only render as garbage.
bool IsUnwanted(char32_t cp) {
  if (cp == '\t' || cp == '\n' || cp == '\r') return false;
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF;
}

enum class Context { kXmlText, kXmlAttribute, kHtml };

std::string Escape(std::string_view text, Context context) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (size_t i = 0; i < text.size();) {
    char32_t cp = DecodeOne(text, i);
    if (IsUnwanted(cp)) cp = 0xFFFD;
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += context == Context::kHtml ? "&#39;" : "&apos;"; break;
      case '\r': out += context == Context::kHtml ? "\r" : "&#13;"; break;
      case '\n': out += context == Context::kXmlAttribute ? "&#10;" : "\n"; break;
      case '\t': out += context == Context::kXmlAttribute ? "&#9;" : "\t"; break;
      default: AppendUtf8(cp, out);
    }
  }
  return out;
}

}  // namespace

std::string SanitizeUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    const char32_t cp = DecodeOne(text, i);
    if (cp == 0xFFFD && text.substr(start, i - start) != kReplacement) {
      out += kReplacement;
    } else {
      out.append(text.substr(start, i - start));
    }
  }
  return out;
}

std::string EscapeXmlText(std::string_view text) { return Escape(text, Context::kXmlText); }
std::string EscapeXmlAttribute(std::string_view text) { return Escape(text, Context::kXmlAttribute); }
std::string EscapeHtml(std::string_view text) { return Escape(text, Context::kHtml); }

}  // namespace faultdrill::reports
