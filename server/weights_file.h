// The .fdw weights file: faultdrill's own format for the reference models.
//
// Layout (all integers little-endian):
//
//   offset  size  field
//   0       4     magic "FDW1"
//   4       4     u32 format version (1)
//   8       2     u16 model name length N (1..64), then N bytes of model name
//   ...     4     u32 tensor count T (1..256)
//   ...           T tensor table entries, each:
//                   u16 name length L (1..128), L bytes of name
//                   u8  dtype (1 = FP32; nothing else is defined)
//                   u8  rank R (1..4), then R x u32 dimensions (each >= 1)
//                   u64 data offset, relative to the start of the data section
//                   u64 byte length (= 4 x product of the dimensions)
//   ...     8     u64 data section length D
//   ...     D     data section: the tensors' FP32 values, row-major
//   ...     32    SHA-256 of every byte before it (header, table and data)
//
// The file is exactly header + table + 8 + D + 32 bytes long. Tensors lie inside
// the data section and do not overlap; their order in the table is the order of
// their data. A reader never trusts a length before checking it against the bytes
// that are really there, so a truncated, bit-flipped or zeroed file is an error
// (a DataLoss status naming what is wrong), never a crash.
#ifndef FAULTDRILL_SERVER_WEIGHTS_FILE_H_
#define FAULTDRILL_SERVER_WEIGHTS_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace faultdrill::server {

inline constexpr uint32_t kWeightsFormatVersion = 1;
// Files larger than this are rejected before they are read.
inline constexpr uint64_t kMaxWeightsFileBytes = 256ull << 20;

struct WeightsTensor {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float> values;  // row-major; size = product of shape
};

struct WeightsFile {
  std::string model_name;
  std::vector<WeightsTensor> tensors;
  // Lowercase hex SHA-256 of the file's contents before its trailer (what the
  // trailer records when the file is intact), computed by ParseWeights even
  // when the checksum is not verified, so a corrupted file served anyway shows
  // a different value. Empty for weights built in memory.
  std::string content_sha256;

  // The tensor called `name`, or nullptr.
  const WeightsTensor* Find(std::string_view name) const;
};

struct WeightsReadOptions {
  // When false the SHA-256 is not compared (structure is still checked), so that
  // a deliberately corrupted file can be served (--no-verify-checksums).
  bool verify_checksum = true;
};

// Serializes `weights` into the format above. InvalidArgument when a name or
// shape is outside the limits of the format or values do not match the shape.
absl::StatusOr<std::string> SerializeWeights(const WeightsFile& weights);

// Parses a whole file held in memory. DataLoss for anything malformed: bad
// magic, unknown version, a length pointing past the end, a shape that does not
// match its byte length, a checksum mismatch.
absl::StatusOr<WeightsFile> ParseWeights(std::string_view bytes, const WeightsReadOptions& options);

// Reads and parses `path`. NotFound when the file does not exist, other I/O
// errors as Unavailable; every message names the path.
absl::StatusOr<WeightsFile> ReadWeightsFile(const std::string& path,
                                            const WeightsReadOptions& options);

// Writes `weights` to `path` atomically (a temporary file in the same folder,
// then rename), so a reader never sees half a file.
absl::Status WriteWeightsFile(const std::string& path, const WeightsFile& weights);

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_WEIGHTS_FILE_H_
