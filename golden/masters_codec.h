// One master tensor to and from its JSON object in a masters file (format in
// masters.h): inline "data" for small tensors, a "blob" in the sidecar for
// large ones. Internal to golden/; errors carry no file or line (the caller
// adds them).
#ifndef FAULTDRILL_GOLDEN_MASTERS_CODEC_H_
#define FAULTDRILL_GOLDEN_MASTERS_CODEC_H_

#include <cstdint>
#include <functional>
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

// Where the large tensors of a masters file go as it is written: appends the
// bytes to the sidecar and returns the offset they start at.
using BlobSink = std::function<absl::StatusOr<uint64_t>(std::string_view bytes)>;

// The tensor's JSON object as one line of text; `view` is tensor.View(). A
// tensor too large to inline goes to `sidecar` and is referenced by offset.
absl::StatusOr<std::string> EncodeTensor(const MasterTensor& tensor, const OutputTensor& view,
                                         const BlobSink& sidecar);

// The sidecar file, opened on first use; each blob is read from it when asked
// for (only one blob is held at a time, not the file).
class Sidecar {
 public:
  explicit Sidecar(std::string path) : path_(std::move(path)) {}
  ~Sidecar();
  Sidecar(const Sidecar&) = delete;
  Sidecar& operator=(const Sidecar&) = delete;
  // The blob's bytes after checking its bounds and SHA-256 (DataLoss).
  absl::StatusOr<std::string> Blob(uint64_t offset, uint64_t bytes, std::string_view sha256);

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

// A tensor from its JSON object, fully validated (InvalidArgument, DataLoss
// for blobs). Values must fit the datatype exactly: a float that is not an
// FP16 value in an FP16 tensor is an error, not rounded.
absl::StatusOr<MasterTensor> DecodeTensor(const nlohmann::json& object, Sidecar& sidecar);

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_MASTERS_CODEC_H_
