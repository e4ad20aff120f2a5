// A compiled regular expression for the probes that match text (log lines,
// command output). RE2 rather than std::regex: RE2 runs in time linear in the
// text and never recurses per character, while libstdc++'s std::regex
// overflows an 8 MiB stack on a 12 KB line with `(a|b)*` or a 64 KB output
// with `.*` -- and a probe must never bring the drill down. The syntax is
// RE2's (https://github.com/google/re2/wiki/Syntax): what ECMAScript patterns
// usually use (classes, groups, alternation, repetition, \d \w \s, anchors,
// (?i) for case-insensitive, (?m) for ^ and $ at line ends); no
// backreferences or lookaround. Copyable and immutable: any thread may search.
#ifndef FAULTDRILL_PROBES_REGEX_H_
#define FAULTDRILL_PROBES_REGEX_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace re2 {
class RE2;
}

namespace faultdrill::probes {

class Regex {
 public:
  // InvalidArgument "not a valid regular expression: <why>" for bad syntax.
  static absl::StatusOr<Regex> Compile(std::string_view pattern);

  // Whether the pattern matches anywhere in `text`.
  bool Search(std::string_view text) const;
  const std::string& pattern() const { return pattern_; }

 private:
  Regex(std::string pattern, std::shared_ptr<const re2::RE2> compiled);

  std::string pattern_;
  std::shared_ptr<const re2::RE2> compiled_;
};

}  // namespace faultdrill::probes

#endif  // FAULTDRILL_PROBES_REGEX_H_
