// One line of a masters file (format in masters.h) to and from text: the
// header line and the request lines. Internal to golden/ (the reader, the
// writer and Masters share it); errors carry no file or line, AtLine adds them.
#ifndef FAULTDRILL_GOLDEN_MASTERS_LINES_H_
#define FAULTDRILL_GOLDEN_MASTERS_LINES_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "golden/masters.h"
#include "golden/masters_codec.h"
#include "nlohmann/json.hpp"

namespace faultdrill::golden {

// The header line: what Masters keeps, and how many request lines follow.
struct MastersFileHeader {
  MastersHeader header;
  uint64_t requests = 0;
};

// "file:line: problem", keeping the status code.
absl::Status AtLine(const std::string& path, size_t line, const absl::Status& status);

// One line as JSON; InvalidArgument "column N: not valid JSON: ..." otherwise.
absl::StatusOr<nlohmann::json> ParseMastersLine(std::string_view line);

// InvalidArgument when it is no masters header, from a newer version, or a
// field is missing or mistyped.
absl::StatusOr<MastersFileHeader> DecodeMastersHeader(const nlohmann::json& j);
std::string EncodeMastersHeader(const MastersHeader& header, size_t requests);

// A request line, every tensor validated (blobs read from `sidecar`).
absl::StatusOr<MasterResponse> DecodeMasterResponse(const nlohmann::json& j, Sidecar& sidecar);
// The request line of `response` (no newline); its large tensors go to `sidecar`.
absl::StatusOr<std::string> EncodeMasterResponse(const MasterResponse& response, const BlobSink& sidecar);

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_MASTERS_LINES_H_
