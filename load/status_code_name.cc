#include "load/status_code_name.h"

#include <array>

namespace faultdrill::load {

std::string_view StatusCodeName(grpc::StatusCode code) {
  static constexpr std::array<std::string_view, kStatusCodeCount> kNames = {
      "OK",
      "CANCELLED",
      "UNKNOWN",
      "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED",
      "NOT_FOUND",
      "ALREADY_EXISTS",
      "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION",
      "ABORTED",
      "OUT_OF_RANGE",
      "UNIMPLEMENTED",
      "INTERNAL",
      "UNAVAILABLE",
      "DATA_LOSS",
      "UNAUTHENTICATED",
  };
  return kNames[StatusCodeIndex(code)];
}

}  // namespace faultdrill::load
