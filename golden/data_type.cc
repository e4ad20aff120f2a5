#include "golden/data_type.h"

#include <array>
#include <utility>

#include "fmt/format.h"

namespace faultdrill::golden {
namespace {

struct TypeInfo {
  DataType type;
  std::string_view name;
  int size;
};

constexpr std::array<TypeInfo, 14> kTypes = {{
    {DataType::kBool, "BOOL", 1},
    {DataType::kUint8, "UINT8", 1},
    {DataType::kUint16, "UINT16", 2},
    {DataType::kUint32, "UINT32", 4},
    {DataType::kUint64, "UINT64", 8},
    {DataType::kInt8, "INT8", 1},
    {DataType::kInt16, "INT16", 2},
    {DataType::kInt32, "INT32", 4},
    {DataType::kInt64, "INT64", 8},
    {DataType::kFp16, "FP16", 2},
    {DataType::kBf16, "BF16", 2},
    {DataType::kFp32, "FP32", 4},
    {DataType::kFp64, "FP64", 8},
    {DataType::kBytes, "BYTES", 0},
}};

const TypeInfo& Info(DataType type) { return kTypes[static_cast<size_t>(type)]; }

}  // namespace

std::optional<DataType> ParseDataType(std::string_view name) {
  for (const TypeInfo& info : kTypes) {
    if (info.name == name) return info.type;
  }
  return std::nullopt;
}

std::string_view DataTypeName(DataType type) { return Info(type).name; }

int ElementByteSize(DataType type) { return Info(type).size; }

bool IsFloat(DataType type) {
  return type == DataType::kFp16 || type == DataType::kBf16 || type == DataType::kFp32 || type == DataType::kFp64;
}

bool IsSignedInteger(DataType type) {
  return type == DataType::kInt8 || type == DataType::kInt16 || type == DataType::kInt32 || type == DataType::kInt64;
}

bool IsUnsignedInteger(DataType type) {
  return type == DataType::kBool || type == DataType::kUint8 || type == DataType::kUint16 ||
         type == DataType::kUint32 || type == DataType::kUint64;
}

std::optional<int64_t> ElementCount(absl::Span<const int64_t> shape, int64_t limit, std::string* problem) {
  int64_t count = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] < 0) {
      *problem = fmt::format("shape {} has a negative dimension", FormatShape(shape));
      return std::nullopt;
    }
    if (shape[i] != 0 && count > limit / shape[i]) {
      *problem = fmt::format("shape {} has more than {} elements", FormatShape(shape), limit);
      return std::nullopt;
    }
    count *= shape[i];
  }
  return count;
}

std::string FormatShape(absl::Span<const int64_t> shape) { return fmt::format("[{}]", fmt::join(shape, ",")); }

std::string FormatIndex(int64_t flat, absl::Span<const int64_t> shape) {
  std::string problem;
  const std::optional<int64_t> count = ElementCount(shape, INT64_MAX, &problem);
  if (!count || flat < 0 || flat >= *count) return fmt::format("[{}]", flat);
  std::string out = "]";
  for (size_t i = shape.size(); i-- > 0;) {
    out.insert(0, fmt::format("{}{}", i == 0 ? "" : ",", flat % shape[i]));
    flat /= shape[i];
  }
  return "[" + out;
}

}  // namespace faultdrill::golden
