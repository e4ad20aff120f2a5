#include "probes/regex.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <utility>

namespace faultdrill::probes {

absl::StatusOr<Regex> Regex::Compile(std::string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto compiled = std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!compiled->ok()) {
    return absl::InvalidArgumentError(fmt::format("not a valid regular expression: {}", compiled->error()));
  }
  return Regex(std::string(pattern), std::move(compiled));
}

Regex::Regex(std::string pattern, std::shared_ptr<const re2::RE2> compiled)
    : pattern_(std::move(pattern)), compiled_(std::move(compiled)) {}

bool Regex::Search(std::string_view text) const {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *compiled_);
}

}  // namespace faultdrill::probes
