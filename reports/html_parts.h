// Small pieces of markup that every section of the HTML report is built
// from. Each escapes the text it is given (escape.h); `cls` and `kind` are
// the report's own class names, never data.
#ifndef FAULTDRILL_REPORTS_HTML_PARTS_H_
#define FAULTDRILL_REPORTS_HTML_PARTS_H_

#include <string>
#include <string_view>

#include "core/run_result.h"
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

// The colour class of a run's outcome (badge) and of a fault's state (pill).
inline std::string_view OutcomeClass(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPassed: return "pass";
    case Outcome::kFailed: return "fail";
    case Outcome::kAborted: return "warn";
    case Outcome::kError: return "fail";
  }
  return "fail";
}
inline std::string_view FaultStateClass(std::string_view state) {
  if (state == "reverted") return "pass";
  if (state == "failed") return "fail";
  if (state == "applied") return "warn";
  return "neutral";
}

// A section's opening: <section id="..."> and its heading. `id` is the
// report's own anchor name, never data.
inline std::string SectionStart(std::string_view id, std::string_view heading) {
  return fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", id, H(heading));
}

}  // namespace faultdrill::reports::html

#endif  // FAULTDRILL_REPORTS_HTML_PARTS_H_
