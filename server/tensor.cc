#include "server/tensor.h"

#include <array>
#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "server/strings.h"
#include "absl/strings/str_join.h"

namespace faultdrill::server {
namespace {

constexpr std::array<std::pair<std::string_view, DataType>, 14> kNames = {{
    {"BOOL", DataType::kBool},   {"UINT8", DataType::kUint8}, {"UINT16", DataType::kUint16},
    {"UINT32", DataType::kUint32}, {"UINT64", DataType::kUint64}, {"INT8", DataType::kInt8},
    {"INT16", DataType::kInt16}, {"INT32", DataType::kInt32}, {"INT64", DataType::kInt64},
    {"FP16", DataType::kFp16},   {"BF16", DataType::kBf16},   {"FP32", DataType::kFp32},
    {"FP64", DataType::kFp64},   {"BYTES", DataType::kBytes},
}};

}  // namespace

std::optional<DataType> ParseDataType(std::string_view name) {
  for (const auto& [text, type] : kNames) {
    if (text == name) return type;
  }
  return std::nullopt;
}

std::string_view DataTypeName(DataType type) {
  for (const auto& [text, t] : kNames) {
    if (t == type) return text;
  }
  return "UNKNOWN";
}

int ElementByteSize(DataType type) {
  switch (type) {
    case DataType::kBool:
    case DataType::kUint8:
    case DataType::kInt8:
      return 1;
    case DataType::kUint16:
    case DataType::kInt16:
    case DataType::kFp16:
    case DataType::kBf16:
      return 2;
    case DataType::kUint32:
    case DataType::kInt32:
    case DataType::kFp32:
      return 4;
    case DataType::kUint64:
    case DataType::kInt64:
    case DataType::kFp64:
      return 8;
    case DataType::kBytes:
      return 0;
  }
  return 0;
}

absl::StatusOr<int64_t> ElementCount(std::span<const int64_t> shape, int64_t max_elements) {
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] < 0) {
      return absl::InvalidArgumentError(
          Cat("dimension ", i, " of shape ", FormatShape(shape), " is negative"));
    }
  }
  int64_t count = 1;
  for (const int64_t dim : shape) {
    if (dim == 0) return 0;
    if (count > max_elements / dim) {
      return absl::InvalidArgumentError(Cat("shape ", FormatShape(shape),
                                                     " has more than ", max_elements,
                                                     " elements"));
    }
    count *= dim;
  }
  return count;
}

std::string FormatShape(std::span<const int64_t> shape) {
  return Cat("[", absl::StrJoin(shape, ","), "]");
}

size_t Tensor::size() const {
  switch (type) {
    case DataType::kFp32:
      return fp32.size();
    case DataType::kInt32:
      return int32.size();
    case DataType::kBytes:
      return bytes.size();
    default:
      return 0;
  }
}

Tensor ConcatRows(const std::vector<const Tensor*>& parts) {
  Tensor out{parts[0]->name, parts[0]->type, parts[0]->shape, {}, {}, {}};
  out.shape[0] = 0;
  for (const Tensor* part : parts) {
    out.shape[0] += part->shape[0];
    out.fp32.insert(out.fp32.end(), part->fp32.begin(), part->fp32.end());
    out.int32.insert(out.int32.end(), part->int32.begin(), part->int32.end());
    out.bytes.insert(out.bytes.end(), part->bytes.begin(), part->bytes.end());
  }
  return out;
}

std::vector<Tensor> SplitRows(const Tensor& tensor, const std::vector<int64_t>& rows) {
  const int64_t total = tensor.shape.empty() ? 0 : tensor.shape[0];
  const size_t per_row = total == 0 ? 0 : tensor.size() / static_cast<size_t>(total);
  std::vector<Tensor> pieces;
  size_t begin = 0;
  for (const int64_t n : rows) {
    Tensor piece{tensor.name, tensor.type, tensor.shape, {}, {}, {}};
    piece.shape[0] = n;
    const size_t end = begin + static_cast<size_t>(n) * per_row;
    switch (tensor.type) {
      case DataType::kFp32:
        piece.fp32.assign(tensor.fp32.begin() + begin, tensor.fp32.begin() + end);
        break;
      case DataType::kInt32:
        piece.int32.assign(tensor.int32.begin() + begin, tensor.int32.begin() + end);
        break;
      case DataType::kBytes:
        piece.bytes.assign(tensor.bytes.begin() + begin, tensor.bytes.begin() + end);
        break;
      default:
        break;
    }
    pieces.push_back(std::move(piece));
    begin = end;
  }
  return pieces;
}

bool AllFinite(const Tensor& tensor) {
  for (const float v : tensor.fp32) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

}  // namespace faultdrill::server
