// Where something was written in a scenario file, for errors a user can act on.
#ifndef FAULTDRILL_CORE_SOURCE_LOCATION_H_
#define FAULTDRILL_CORE_SOURCE_LOCATION_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace faultdrill {

struct SourceLocation {
  std::string file;  // as given on the command line
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown

  // "file:line:col", or "file" when the position is unknown.
  std::string ToString() const;
};

// InvalidArgument("file:line:col: message").
absl::Status LocatedError(const SourceLocation& where, std::string_view message);

}  // namespace faultdrill

#endif  // FAULTDRILL_CORE_SOURCE_LOCATION_H_
