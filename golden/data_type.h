// The datatypes of the Open Inference Protocol as golden/ sees them, and the
// text forms of shapes and element indexes that every message uses.
#ifndef FAULTDRILL_GOLDEN_DATA_TYPE_H_
#define FAULTDRILL_GOLDEN_DATA_TYPE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/types/span.h"

namespace faultdrill::golden {

enum class DataType {
  kBool,
  kUint8,
  kUint16,
  kUint32,
  kUint64,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kFp16,
  kBf16,
  kFp32,
  kFp64,
  kBytes,
};

// "FP32" -> kFp32; nullopt for anything that is not a protocol datatype name.
std::optional<DataType> ParseDataType(std::string_view name);
// kFp32 -> "FP32".
std::string_view DataTypeName(DataType type);
// Bytes per element in raw form (little-endian); 0 for BYTES (variable length).
int ElementByteSize(DataType type);

bool IsFloat(DataType type);            // FP16, BF16, FP32, FP64
bool IsSignedInteger(DataType type);    // INT8 .. INT64
bool IsUnsignedInteger(DataType type);  // BOOL (0 or 1), UINT8 .. UINT64

// The product of the dimensions: InvalidArgument-style text in `problem` and
// nullopt when a dimension is negative or the product passes `limit`.
std::optional<int64_t> ElementCount(absl::Span<const int64_t> shape, int64_t limit, std::string* problem);

// "[1,4]"; "[]" for a scalar.
std::string FormatShape(absl::Span<const int64_t> shape);
// The row-major multi-index of element `flat` in `shape`: "[0,2]". A scalar's
// only element is "[]"; out-of-range input gives "[<flat>]".
std::string FormatIndex(int64_t flat, absl::Span<const int64_t> shape);

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_DATA_TYPE_H_
