#include "core/source_location.h"

#include <fmt/format.h>

namespace faultdrill {

std::string SourceLocation::ToString() const {
  if (line <= 0) return file;
  if (column <= 0) return fmt::format("{}:{}", file, line);
  return fmt::format("{}:{}:{}", file, line, column);
}

absl::Status LocatedError(const SourceLocation& where, std::string_view message) {
  return absl::InvalidArgumentError(fmt::format("{}: {}", where.ToString(), message));
}

}  // namespace faultdrill
