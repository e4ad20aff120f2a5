// Validates a ModelInferRequest against a model's signature, once, before any
// model runs, and decodes it into a ValidatedRequest that nothing downstream
// re-checks. Every problem is InvalidArgument with a message that names the
// offending input, parameter or output. The model name and version are not
// checked here (the repository answers NotFound for those).
#ifndef FAULTDRILL_SERVER_REQUEST_VALIDATION_H_
#define FAULTDRILL_SERVER_REQUEST_VALIDATION_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/grpc_service.pb.h"
#include "server/model.h"
#include "server/tensor.h"

namespace faultdrill::server {

// No input may have more elements than this (also bounds shape products).
inline constexpr int64_t kMaxInputElements = int64_t{1} << 24;

struct ValidatedRequest {
  std::string id;
  // One tensor per signature input, in signature order.
  std::vector<Tensor> inputs;
  // Every signature parameter, defaulted where the request left it out.
  ParameterValues parameters;
  // The outputs to return, in response order: the requested ones, or all.
  std::vector<std::string> outputs;
  // The request used raw_input_contents, so the response uses raw_output_contents.
  bool raw_form = false;
  // Dimension 0 of the inputs for a batchable model, else 1.
  int64_t rows = 1;
};

absl::StatusOr<ValidatedRequest> ValidateInferRequest(const inference::ModelInferRequest& request,
                                                      const ModelSignature& signature);

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
// On failure `*bad_offset` (if non-null) is the offset of the first bad byte.
bool IsValidUtf8(std::string_view text, size_t* bad_offset = nullptr);

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_REQUEST_VALIDATION_H_
