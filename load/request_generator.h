// Synthetic requests for the reference server's models, deterministic for a
// seed:
//   classifier: input "INPUT", FP32 [batch, 16], finite values in [-1, 1);
//   tinylm:     input "PROMPT", BYTES [1], a short ASCII prompt (48 variants),
//               request parameter "max_tokens" (int64).
// All requests use typed contents (not raw_input_contents).
#ifndef FAULTDRILL_LOAD_REQUEST_GENERATOR_H_
#define FAULTDRILL_LOAD_REQUEST_GENERATOR_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "core/scenario.h"
#include "load/request_source.h"

namespace faultdrill::load {

// Builds every variant up front. `model_name` is what the requests name (the
// target's model, usually spec.model). InvalidArgument for an unknown
// spec.model or a batch / max_tokens below 1 (scenario validation already
// rejects those).
absl::StatusOr<std::unique_ptr<RequestSource>> MakeGenerator(const GeneratorSpec& spec,
                                                             const std::string& model_name,
                                                             const std::string& version, uint64_t seed);

}  // namespace faultdrill::load

#endif  // FAULTDRILL_LOAD_REQUEST_GENERATOR_H_
