// Tensors as the server sees them once a request has been decoded: a datatype, a
// shape and the values, for the three datatypes the reference models use. The
// Open Inference Protocol datatype names (FP32, BYTES, ...) are parsed here, once.
#ifndef FAULTDRILL_SERVER_TENSOR_H_
#define FAULTDRILL_SERVER_TENSOR_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace faultdrill::server {

// Every datatype of the protocol, so that "a datatype this model does not take"
// and "not a datatype at all" read as different errors.
enum class DataType {
  kBool, kUint8, kUint16, kUint32, kUint64, kInt8, kInt16, kInt32, kInt64,
  kFp16, kBf16, kFp32, kFp64, kBytes,
};

// "FP32" -> kFp32. nullopt for anything that is not a protocol datatype name.
std::optional<DataType> ParseDataType(std::string_view name);
// kFp32 -> "FP32".
std::string_view DataTypeName(DataType type);
// Bytes per element in raw form; 0 for BYTES (variable length).
int ElementByteSize(DataType type);

// The number of elements of `shape`: InvalidArgument when a dimension is negative
// or the product exceeds `max_elements` (which also rules out int64 overflow).
absl::StatusOr<int64_t> ElementCount(std::span<const int64_t> shape, int64_t max_elements);

// "[1,16]".
std::string FormatShape(std::span<const int64_t> shape);

// A decoded tensor. Exactly one value vector is used, the one for `type`
// (fp32 for kFp32, int32 for kInt32, bytes for kBytes); its size equals the
// element count of `shape`.
struct Tensor {
  std::string name;
  DataType type = DataType::kFp32;
  std::vector<int64_t> shape;
  std::vector<float> fp32;
  std::vector<int32_t> int32;
  std::vector<std::string> bytes;

  // The number of values held in the vector for `type`.
  size_t size() const;
};

// Concatenates tensors of the same name, type and trailing dimensions along
// dimension 0 (dynamic batching). `parts` is non-empty.
Tensor ConcatRows(const std::vector<const Tensor*>& parts);

// Splits `tensor` along dimension 0 into pieces of `rows[i]` rows; the rows add
// up to dimension 0 of `tensor`.
std::vector<Tensor> SplitRows(const Tensor& tensor, const std::vector<int64_t>& rows);

// Whether every FP32 value of `tensor` is finite (other types: true).
bool AllFinite(const Tensor& tensor);

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_TENSOR_H_
