// Small pieces of markup that every section of the HTML report is built
// from. Each escapes the text it is given (escape.h); `cls` and `kind` are
// the report's own class names, never data.
#ifndef FAULTDRILL_REPORTS_HTML_PARTS_H_
#define FAULTDRILL_REPORTS_HTML_PARTS_H_

#include <string>
#include <string_view>

#include "fmt/format.h"
#include "reports/escape.h"

namespace faultdrill::reports::html {

inline std::string H(std::string_view text) { return EscapeHtml(text); }

// <td>text</td>, with a class when `cls` is not empty.
inline std::string Cell(std::string_view text, std::string_view cls = "") {
  if (cls.empty()) return fmt::format("<td>{}</td>", H(text));
  return fmt::format("<td class=\"{}\">{}</td>", cls, H(text));
}

// A pill for an outcome or state; `kind` selects its colour class.
inline std::string Pill(std::string_view text, std::string_view kind) {
  return fmt::format("<span class=\"pill {}\">{}</span>", kind, H(text));
}

}  // namespace faultdrill::reports::html

#endif  // FAULTDRILL_REPORTS_HTML_PARTS_H_
