// Requests from a JSONL file of KServe v2 JSON inference requests, one per
// line, e.g.
//   {"id":"r1","model_name":"classifier","parameters":{"max_tokens":8},
//    "inputs":[{"name":"INPUT","datatype":"FP32","shape":[1,16],"data":[...]}],
//    "outputs":[{"name":"PROBABILITIES"}]}
// `data` may be flat or nested (row-major); BYTES data are strings. A line may
// add "raw": true to send its tensors as raw_input_contents (little-endian;
// BYTES elements as a 4-byte length then the bytes) instead of typed contents.
// Blank lines are skipped.
#ifndef FAULTDRILL_LOAD_JSONL_REQUESTS_H_
#define FAULTDRILL_LOAD_JSONL_REQUESTS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "load/request_source.h"
#include "nlohmann/json_fwd.hpp"
#include "proto/grpc_service.pb.h"

namespace faultdrill::load {

// Loads every request of `path` up front. `model` and `version` fill in a
// line's missing model_name / model_version. Errors are InvalidArgument (or
// NotFound for a missing file) with messages "path:line: problem": bad JSON,
// missing name/datatype/shape/data, a data count that differs from the shape's
// product, an unknown datatype, a value out of its datatype's range, an empty
// file.
absl::StatusOr<std::unique_ptr<RequestSource>> LoadJsonlRequests(const std::string& path,
                                                                  const std::string& model,
                                                                  const std::string& version);

// One JSON request object as above; the error message names the problem
// without a location. Shared with golden-master recording.
absl::StatusOr<inference::ModelInferRequest> ParseJsonInferRequest(const nlohmann::json& json,
                                                                   const std::string& model,
                                                                   const std::string& version);

}  // namespace faultdrill::load

#endif  // FAULTDRILL_LOAD_JSONL_REQUESTS_H_
