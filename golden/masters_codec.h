// One master tensor to and from its JSON object in a masters file (format in
// masters.h): inline "data" for small tensors, a "blob" in the sidecar for
// large ones. Internal to golden/; errors carry no file or line (the caller
// adds them).
#ifndef FAULTDRILL_GOLDEN_MASTERS_CODEC_H_
#define FAULTDRILL_GOLDEN_MASTERS_CODEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "golden/masters.h"
#include "nlohmann/json.hpp"

namespace faultdrill::golden {

// Lowercase hex SHA-256 (OpenSSL).
std::string Sha256Hex(std::string_view data);

// Whether `text` is well-formed UTF-8 (no overlongs, surrogates or code
// points past U+10FFFF).
bool IsValidUtf8(std::string_view text);

// A JSON string literal for `text` (invalid UTF-8 replaced by U+FFFD).
std::string JsonString(std::string_view text);

// The tensor's JSON object as one line of text; `view` is tensor.View(). A
// tensor too large to inline is appended to `sidecar` and referenced by offset.
std::string EncodeTensor(const MasterTensor& tensor, const OutputTensor& view, std::string* sidecar);

// The sidecar file, read on first use.
class Sidecar {
 public:
  explicit Sidecar(std::string path) : path_(std::move(path)) {}
  // The blob's bytes after checking its bounds and SHA-256 (DataLoss).
  absl::StatusOr<std::string_view> Blob(uint64_t offset, uint64_t bytes, std::string_view sha256);

 private:
  std::string path_;
  std::optional<std::string> contents_;
};

// A tensor from its JSON object, fully validated (InvalidArgument, DataLoss
// for blobs). Values must fit the datatype exactly: a float that is not an
// FP16 value in an FP16 tensor is an error, not rounded.
absl::StatusOr<MasterTensor> DecodeTensor(const nlohmann::json& object, Sidecar& sidecar);

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_MASTERS_CODEC_H_
