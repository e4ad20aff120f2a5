// Names of gRPC status codes as reports write them ("UNAVAILABLE").
#ifndef FAULTDRILL_LOAD_STATUS_CODE_NAME_H_
#define FAULTDRILL_LOAD_STATUS_CODE_NAME_H_

#include <grpcpp/support/status_code_enum.h>

#include <cstddef>
#include <string_view>

namespace faultdrill::load {

// Codes 0 (OK) .. 16 (UNAUTHENTICATED).
inline constexpr size_t kStatusCodeCount = 17;

// The canonical upper-case name; codes outside the range are "UNKNOWN".
std::string_view StatusCodeName(grpc::StatusCode code);

// Index in [0, kStatusCodeCount): the code itself, or UNKNOWN's for other values.
inline size_t StatusCodeIndex(grpc::StatusCode code) {
  const int c = static_cast<int>(code);
  return (c >= 0 && c < int(kStatusCodeCount)) ? size_t(c) : size_t(grpc::StatusCode::UNKNOWN);
}

}  // namespace faultdrill::load

#endif  // FAULTDRILL_LOAD_STATUS_CODE_NAME_H_
