// A deliberately small, strict XML reader for tests: elements, attributes,
// text, the five named entities and numeric character references, an XML
// declaration. Anything else (unescaped '<' or '&' in text, a missing quote,
// mismatched tags, a raw control character, CDATA, comments) is an error, so
// "it parsed" means the writer escaped what it should have.
#ifndef FAULTDRILL_TESTS_REPORTS_MINI_XML_H_
#define FAULTDRILL_TESTS_REPORTS_MINI_XML_H_

#include <cctype>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultdrill::mini_xml {

struct Element {
  std::string name;
  std::map<std::string, std::string> attributes;  // decoded
  std::vector<Element> children;
  std::string text;  // decoded character data directly inside, concatenated

  std::vector<const Element*> All(std::string_view child_name) const {
    std::vector<const Element*> out;
    for (const Element& c : children) {
      if (c.name == child_name) out.push_back(&c);
    }
    return out;
  }
  const Element* First(std::string_view child_name) const {
    for (const Element& c : children) {
      if (c.name == child_name) return &c;
    }
    return nullptr;
  }
  std::string Attr(const std::string& key) const {
    auto it = attributes.find(key);
    return it == attributes.end() ? "" : it->second;
  }
};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  // The root element, or nullopt with error() set.
  std::optional<Element> Parse() {
    if (text_.substr(0, 5) == "<?xml") {
      size_t end = text_.find("?>");
      if (end == std::string_view::npos) return Fail("unterminated XML declaration");
      pos_ = end + 2;
    }
    SkipSpace();
    std::optional<Element> root = ParseElement();
    if (!root) return std::nullopt;
    SkipSpace();
    if (pos_ != text_.size()) return Fail("content after the root element");
    return root;
  }

  const std::string& error() const { return error_; }

 private:
  std::nullopt_t Fail(std::string message) {
    if (error_.empty()) error_ = message + " at byte " + std::to_string(pos_);
    return std::nullopt;
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  void SkipSpace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\n' || Peek() == '\t' || Peek() == '\r')) ++pos_;
  }
  static bool NameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':';
  }
  std::string ParseName() {
    size_t start = pos_;
    while (!AtEnd() && NameChar(Peek())) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  static void AppendUtf8(uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xC0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += char(0xE0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    } else {
      out += char(0xF0 | (cp >> 18));
      out += char(0x80 | ((cp >> 12) & 0x3F));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    }
  }
  // Decodes character data up to `stop`; rejects raw '<', bare '&' and forbidden controls.
  bool ParseChars(char stop, std::string& out) {
    while (!AtEnd() && Peek() != stop) {
      char c = Peek();
      if (c == '<') { Fail("raw '<' in character data"); return false; }
      auto u = static_cast<unsigned char>(c);
      if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') { Fail("raw control character"); return false; }
      if (c != '&') {
        out += c;
        ++pos_;
        continue;
      }
      size_t semi = text_.find(';', pos_);
      if (semi == std::string_view::npos || semi - pos_ > 10) { Fail("bare '&'"); return false; }
      std::string_view ref = text_.substr(pos_ + 1, semi - pos_ - 1);
      static const std::map<std::string_view, char> kNamed = {
          {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
      if (auto it = kNamed.find(ref); it != kNamed.end()) {
        out += it->second;
      } else if (ref.size() > 1 && ref[0] == '#') {
        bool hex = ref[1] == 'x';
        uint32_t cp = static_cast<uint32_t>(std::stoul(std::string(ref.substr(hex ? 2 : 1)), nullptr, hex ? 16 : 10));
        AppendUtf8(cp, out);
      } else {
        { Fail("unknown entity &" + std::string(ref) + ";"); return false; }
      }
      pos_ = semi + 1;
    }
    return true;
  }
  std::optional<Element> ParseElement() {
    if (Peek() != '<') return Fail("expected '<'");
    ++pos_;
    Element e;
    e.name = ParseName();
    if (e.name.empty()) return Fail("expected an element name");
    while (true) {
      SkipSpace();
      if (Peek() == '/') {
        if (text_.substr(pos_, 2) != "/>") return Fail("expected '/>'");
        pos_ += 2;
        return e;
      }
      if (Peek() == '>') {
        ++pos_;
        break;
      }
      std::string key = ParseName();
      if (key.empty()) return Fail("expected an attribute name");
      if (e.attributes.count(key)) return Fail("duplicate attribute " + key);
      if (Peek() != '=') return Fail("expected '='");
      ++pos_;
      char quote = Peek();
      if (quote != '"' && quote != '\'') return Fail("expected a quote");
      ++pos_;
      std::string value;
      if (!ParseChars(quote, value)) return std::nullopt;
      if (AtEnd()) return Fail("unterminated attribute");
      ++pos_;
      e.attributes[key] = value;
    }
    while (true) {
      if (!ParseChars('<', e.text)) return std::nullopt;
      if (AtEnd()) return Fail("unterminated element " + e.name);
      if (text_.substr(pos_, 2) == "</") {
        pos_ += 2;
        if (ParseName() != e.name) return Fail("mismatched end tag for " + e.name);
        SkipSpace();
        if (Peek() != '>') return Fail("expected '>'");
        ++pos_;
        return e;
      }
      if (text_.substr(pos_, 2) == "<!" || text_.substr(pos_, 2) == "<?") return Fail("unsupported markup");
      std::optional<Element> child = ParseElement();
      if (!child) return std::nullopt;
      e.children.push_back(std::move(*child));
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace faultdrill::mini_xml

#endif  // FAULTDRILL_TESTS_REPORTS_MINI_XML_H_
