// The catalogue of malformed requests `poison-inputs` sends: each variant
// breaks one rule of the Open Inference Protocol (or of sane input), built
// once from a well-formed request the load would have sent, so that it
// reaches the same model with everything else right.
//
// Expected answers (the default of each variant; README "### poison-inputs"
// has the table): structural problems are INVALID_ARGUMENT, and `expect:`
// replaces that default; unknown model and bad version are NOT_FOUND, an
// oversized message RESOURCE_EXHAUSTED (what gRPC answers for a message
// above the server's limit); NaN, +-Inf and denormals are valid tensors on
// the wire, so either INVALID_ARGUMENT or OK is accepted (a server may compute
// with them; what must never happen is a crash, a hang or an INTERNAL error).
// Only `expect_by_variant:` changes the defaults that are not
// INVALID_ARGUMENT.
#ifndef FAULTDRILL_INJECTORS_POISON_VARIANTS_H_
#define FAULTDRILL_INJECTORS_POISON_VARIANTS_H_

#include <grpcpp/support/status_code_enum.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "load/request_source.h"
#include "proto/grpc_service.pb.h"

namespace faultdrill::injectors {

// A set of gRPC status codes (bit i: code i, 0..16).
using StatusCodeSet = uint32_t;
inline constexpr StatusCodeSet CodeBit(grpc::StatusCode code) { return StatusCodeSet{1} << int(code); }
inline bool Contains(StatusCodeSet set, grpc::StatusCode code) {
  return int(code) >= 0 && int(code) < 32 && (set & CodeBit(code)) != 0;
}
// "INVALID_ARGUMENT|OK".
std::string FormatCodeSet(StatusCodeSet set);
// "INVALID_ARGUMENT" -> the code; nullopt for an unknown name.
std::optional<grpc::StatusCode> ParseStatusCodeName(std::string_view name);

struct PoisonVariantInfo {
  std::string_view name;      // "nan", "wrong-shape", ...
  std::string_view breaks;    // one line: what is wrong with the request
  std::string_view needs;     // what the planned request must have: "" (any), "an FP32 input", ...
  StatusCodeSet default_expect;
  bool follows_expect;        // `expect:` replaces the default (the INVALID_ARGUMENT ones)
};

// Every variant, in a fixed order.
const std::vector<PoisonVariantInfo>& PoisonVariants();
const PoisonVariantInfo* FindPoisonVariant(std::string_view name);

struct PoisonBuildOptions {
  uint64_t oversized_bytes = 17ull << 20;  // above the reference server's 16 MiB limit
};

// Builds variant `name` from the first planned request it applies to (the
// first few hundred are looked at). FailedPrecondition naming what is missing
// when none does (e.g. `invalid-utf8` with a load that has no BYTES input).
absl::StatusOr<inference::ModelInferRequest> BuildPoisonVariant(std::string_view name,
                                                                const load::RequestSource& planned,
                                                                const PoisonBuildOptions& options);

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_POISON_VARIANTS_H_
