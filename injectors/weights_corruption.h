// The byte-level operations of `corrupt-weights`, on a weights file held in
// memory: flip random bits, zero a range, truncate, or scale one FP32 tensor.
// Pure functions, so they are tested without files or processes.
//
// The .fdw layout (server/README.md) is read here from the header alone, every
// length checked against the bytes present; flips default to the tensor data
// region so that the file still parses and only the checksum (and the values)
// give the corruption away, which is the interesting case for a server.
#ifndef FAULTDRILL_INJECTORS_WEIGHTS_CORRUPTION_H_
#define FAULTDRILL_INJECTORS_WEIGHTS_CORRUPTION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace faultdrill::injectors {

// Where a .fdw file keeps its tensors. Offsets are from the start of the file.
struct WeightsLayout {
  struct Tensor {
    std::string name;
    uint64_t offset = 0;  // first byte of its FP32 values
    uint64_t length = 0;  // bytes
  };
  uint64_t data_begin = 0;
  uint64_t data_length = 0;
  std::vector<Tensor> tensors;

  const Tensor* Find(std::string_view name) const;
};

// Reads the header and tensor table of a .fdw file. InvalidArgument naming
// the problem when `bytes` is not one (or is already damaged).
absl::StatusOr<WeightsLayout> ReadWeightsLayout(std::string_view bytes);

// One corruption, validated at scenario load.
struct Corruption {
  enum class Kind { kFlips, kZero, kTruncate, kScale };
  Kind kind = Kind::kFlips;
  // kFlips: how many distinct bits, and where: the tensor data of a .fdw file
  // (default) or anywhere in the file (`region: file`, for other formats).
  uint64_t flips = 0;
  bool whole_file = false;
  // kZero: [offset, offset + length), cut at the end of the file.
  uint64_t zero_offset = 0;
  uint64_t zero_length = 0;
  // kTruncate: keep this many bytes, or this fraction (0..1) of the file.
  std::optional<uint64_t> keep_bytes;
  std::optional<double> keep_fraction;
  // kScale: multiply every value of this FP32 tensor by `factor`.
  std::string tensor;
  double factor = 1;
};

struct CorruptionResult {
  uint64_t bits_flipped = 0;
  uint64_t bytes_changed = 0;  // bytes whose value differs (truncate: bytes cut)
};

// Applies `corruption` to `bytes` in place; flips draw their positions from
// `seed` (same seed, same file: same bits). FailedPrecondition when the file
// does not allow it (too small, not .fdw, no such tensor); `bytes` is then
// unchanged.
absl::StatusOr<CorruptionResult> Corrupt(std::string& bytes, const Corruption& corruption, uint64_t seed);

// One line for `plan`, e.g. "flip 16 random bits in the tensor data".
std::string DescribeCorruption(const Corruption& corruption);

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_WEIGHTS_CORRUPTION_H_
