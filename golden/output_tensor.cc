#include "golden/output_tensor.h"

#include <cstring>
#include <limits>

#include "fmt/format.h"
#include "golden/float_bits.h"
#include "golden/number_text.h"

namespace faultdrill::golden {
namespace {

using inference::InferTensorContents;

// Bounds element counts so that count * 8 bytes cannot overflow.
constexpr int64_t kMaxElements = std::numeric_limits<int64_t>::max() / 8;

absl::Status Malformed(std::string_view name, std::string_view problem) {
  return absl::InvalidArgumentError(fmt::format("output '{}': {}", name, problem));
}

template <typename T>
T Load(std::string_view data, int64_t i) {
  T value;
  std::memcpy(&value, data.data() + size_t(i) * sizeof(T), sizeof(T));
  return value;
}

uint32_t LoadLength(const char* at) {
  uint32_t length;
  std::memcpy(&length, at, sizeof(length));
  return length;
}

// Walks the length prefixes of `count` BYTES elements; the data must hold
// exactly them.
absl::Status CheckRawBytes(std::string_view name, std::string_view raw, int64_t count) {
  if (count > int64_t(raw.size() / 4)) {
    return Malformed(name, fmt::format("raw contents of {} bytes cannot hold {} BYTES elements", raw.size(), count));
  }
  size_t at = 0;
  for (int64_t i = 0; i < count; ++i) {
    if (raw.size() - at < 4) {
      return Malformed(name, fmt::format("raw contents end inside the length of BYTES element {}", i));
    }
    const uint32_t length = LoadLength(raw.data() + at);
    at += 4;
    if (length > raw.size() - at) {
      return Malformed(name,
                       fmt::format("BYTES element {} claims {} bytes but only {} remain", i, length, raw.size() - at));
    }
    at += length;
  }
  if (at != raw.size()) {
    return Malformed(name, fmt::format("{} bytes follow the last of {} BYTES elements", raw.size() - at, count));
  }
  return absl::OkStatus();
}

size_t ValueCount(const InferTensorContents& c) {
  return size_t(c.bool_contents_size()) + size_t(c.int_contents_size()) + size_t(c.int64_contents_size()) +
         size_t(c.uint_contents_size()) + size_t(c.uint64_contents_size()) + size_t(c.fp32_contents_size()) +
         size_t(c.fp64_contents_size()) + size_t(c.bytes_contents_size());
}

template <typename T>
std::string_view BytesOf(const google::protobuf::RepeatedField<T>& field) {
  return std::string_view(reinterpret_cast<const char*>(field.data()), size_t(field.size()) * sizeof(T));
}

// The typed field for `datatype`: its bytes, the type each value is stored
// as, and how many values it holds (-1: the datatype has no typed field).
struct TypedField {
  std::string_view data;
  DataType stored;
  int64_t count;
};

TypedField TypedFieldFor(DataType datatype, const InferTensorContents& c) {
  switch (datatype) {
    case DataType::kBool:
      return {BytesOf(c.bool_contents()), DataType::kBool, c.bool_contents_size()};
    case DataType::kInt8:
    case DataType::kInt16:
    case DataType::kInt32:
      return {BytesOf(c.int_contents()), DataType::kInt32, c.int_contents_size()};
    case DataType::kInt64:
      return {BytesOf(c.int64_contents()), DataType::kInt64, c.int64_contents_size()};
    case DataType::kUint8:
    case DataType::kUint16:
    case DataType::kUint32:
      return {BytesOf(c.uint_contents()), DataType::kUint32, c.uint_contents_size()};
    case DataType::kUint64:
      return {BytesOf(c.uint64_contents()), DataType::kUint64, c.uint64_contents_size()};
    case DataType::kFp32:
      return {BytesOf(c.fp32_contents()), DataType::kFp32, c.fp32_contents_size()};
    case DataType::kFp64:
      return {BytesOf(c.fp64_contents()), DataType::kFp64, c.fp64_contents_size()};
    case DataType::kBytes:
      return {{}, DataType::kBytes, c.bytes_contents_size()};
    case DataType::kFp16:
    case DataType::kBf16:
      break;
  }
  return {{}, datatype, -1};
}

// Typed contents widen narrow integers; each value must fit the datatype.
absl::Status CheckNarrowRange(const OutputTensor& t) {
  int64_t low = 0, high = 0;
  switch (t.datatype) {
    case DataType::kInt8:
      low = INT8_MIN, high = INT8_MAX;
      break;
    case DataType::kInt16:
      low = INT16_MIN, high = INT16_MAX;
      break;
    case DataType::kUint8:
      high = UINT8_MAX;
      break;
    case DataType::kUint16:
      high = UINT16_MAX;
      break;
    default:
      return absl::OkStatus();
  }
  for (int64_t i = 0; i < t.elements; ++i) {
    const int64_t v = t.stored == DataType::kInt32 ? Load<int32_t>(t.data, i) : int64_t(Load<uint32_t>(t.data, i));
    if (v < low || v > high) {
      return Malformed(t.name, fmt::format("{} value {} at {} is out of range", DataTypeName(t.datatype), v,
                                           FormatIndex(i, t.shape)));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<OutputTensor> TypedView(OutputTensor view, const InferTensorContents& contents) {
  const TypedField field = TypedFieldFor(view.datatype, contents);
  const size_t total = ValueCount(contents);
  if (field.count < 0) {
    if (total == 0 && view.elements == 0) return view;
    return Malformed(view.name, fmt::format("{} has no typed contents field; its values must be in raw_output_contents",
                                            DataTypeName(view.datatype)));
  }
  if (size_t(field.count) != total) {
    return Malformed(view.name, fmt::format("typed contents hold values in a field that is not the one for {}",
                                            DataTypeName(view.datatype)));
  }
  if (field.count != view.elements) {
    return Malformed(view.name, fmt::format("typed contents hold {} values, but {} {} needs {}", field.count,
                                            DataTypeName(view.datatype), FormatShape(view.shape), view.elements));
  }
  view.stored = field.stored;
  view.data = field.data;
  if (view.datatype == DataType::kBytes) view.strings = &contents.bytes_contents();
  if (absl::Status s = CheckNarrowRange(view); !s.ok()) return s;
  return view;
}

absl::StatusOr<OutputTensor> HeaderView(std::string_view name, DataType datatype, absl::Span<const int64_t> shape) {
  OutputTensor view;
  view.name = name;
  view.datatype = datatype;
  view.stored = datatype;
  view.shape = shape;
  std::string problem;
  const std::optional<int64_t> count = ElementCount(shape, kMaxElements, &problem);
  if (!count) return Malformed(name, problem);
  view.elements = *count;
  return view;
}

// The `i`th BYTES element of a validated raw view (a walk from the start).
std::string_view RawBytesElement(std::string_view raw, int64_t i) {
  size_t at = 0;
  for (int64_t k = 0;; ++k) {
    const uint32_t length = LoadLength(raw.data() + at);
    if (k == i) return raw.substr(at + 4, length);
    at += 4 + length;
  }
}

}  // namespace

absl::StatusOr<OutputTensor> RawTensorView(std::string_view name, DataType datatype, absl::Span<const int64_t> shape,
                                           std::string_view raw) {
  absl::StatusOr<OutputTensor> view = HeaderView(name, datatype, shape);
  if (!view.ok()) return view.status();
  view->data = raw;
  if (datatype == DataType::kBytes) {
    if (absl::Status s = CheckRawBytes(name, raw, view->elements); !s.ok()) return s;
    return view;
  }
  const uint64_t needed = uint64_t(view->elements) * uint64_t(ElementByteSize(datatype));
  if (raw.size() != needed) {
    return Malformed(name, fmt::format("raw contents hold {} bytes, but {} {} needs {}", raw.size(),
                                       DataTypeName(datatype), FormatShape(shape), needed));
  }
  return view;
}

absl::StatusOr<std::vector<OutputTensor>> DecodeOutputs(const inference::ModelInferResponse& response) {
  const int outputs = response.outputs_size();
  const int raw_entries = response.raw_output_contents_size();
  if (raw_entries != 0 && raw_entries != outputs) {
    return absl::InvalidArgumentError(
        fmt::format("the response has {} outputs but {} raw_output_contents entries (must be 0 or one per output)",
                    outputs, raw_entries));
  }
  std::vector<OutputTensor> views;
  views.reserve(size_t(outputs));
  for (int i = 0; i < outputs; ++i) {
    const auto& output = response.outputs(i);
    const std::optional<DataType> datatype = ParseDataType(output.datatype());
    if (!datatype) return Malformed(output.name(), fmt::format("unknown datatype '{}'", output.datatype()));
    const absl::Span<const int64_t> shape(output.shape().data(), size_t(output.shape_size()));
    absl::StatusOr<OutputTensor> view;
    if (raw_entries != 0) {
      if (output.has_contents() && ValueCount(output.contents()) != 0) {
        return Malformed(output.name(), "values are both in typed contents and in raw_output_contents");
      }
      view = RawTensorView(output.name(), *datatype, shape, response.raw_output_contents(i));
    } else {
      view = HeaderView(output.name(), *datatype, shape);
      if (view.ok()) view = TypedView(*view, output.contents());
    }
    if (!view.ok()) return view.status();
    views.push_back(*view);
  }
  return views;
}

std::vector<std::string_view> BytesElements(const OutputTensor& t) {
  std::vector<std::string_view> out;
  out.reserve(size_t(t.elements));
  if (t.strings != nullptr) {
    for (const std::string& s : *t.strings) out.emplace_back(s);
    return out;
  }
  size_t at = 0;
  for (int64_t i = 0; i < t.elements; ++i) {
    const uint32_t length = LoadLength(t.data.data() + at);
    out.push_back(t.data.substr(at + 4, length));
    at += 4 + length;
  }
  return out;
}

double NumberAt(const OutputTensor& t, int64_t i) {
  switch (t.stored) {
    case DataType::kBool:
    case DataType::kUint8:
      return Load<uint8_t>(t.data, i);
    case DataType::kUint16:
      return Load<uint16_t>(t.data, i);
    case DataType::kUint32:
      return Load<uint32_t>(t.data, i);
    case DataType::kUint64:
      return double(Load<uint64_t>(t.data, i));
    case DataType::kInt8:
      return Load<int8_t>(t.data, i);
    case DataType::kInt16:
      return Load<int16_t>(t.data, i);
    case DataType::kInt32:
      return Load<int32_t>(t.data, i);
    case DataType::kInt64:
      return double(Load<int64_t>(t.data, i));
    case DataType::kFp16:
      return HalfToFloat(Load<uint16_t>(t.data, i));
    case DataType::kBf16:
      return Bf16ToFloat(Load<uint16_t>(t.data, i));
    case DataType::kFp32:
      return Load<float>(t.data, i);
    case DataType::kFp64:
      return Load<double>(t.data, i);
    case DataType::kBytes:
      break;
  }
  return 0;
}

int64_t SignedAt(const OutputTensor& t, int64_t i) {
  switch (t.stored) {
    case DataType::kInt8:
      return Load<int8_t>(t.data, i);
    case DataType::kInt16:
      return Load<int16_t>(t.data, i);
    case DataType::kInt32:
      return Load<int32_t>(t.data, i);
    case DataType::kInt64:
      return Load<int64_t>(t.data, i);
    default:
      return int64_t(UnsignedAt(t, i));
  }
}

uint64_t UnsignedAt(const OutputTensor& t, int64_t i) {
  switch (t.stored) {
    case DataType::kBool:
    case DataType::kUint8:
      return Load<uint8_t>(t.data, i);
    case DataType::kUint16:
      return Load<uint16_t>(t.data, i);
    case DataType::kUint32:
      return Load<uint32_t>(t.data, i);
    case DataType::kUint64:
      return Load<uint64_t>(t.data, i);
    case DataType::kInt8:
    case DataType::kInt16:
    case DataType::kInt32:
    case DataType::kInt64:
      return uint64_t(SignedAt(t, i));
    default:
      return 0;
  }
}

uint64_t FloatBitsAt(const OutputTensor& t, int64_t i) {
  switch (t.stored) {
    case DataType::kFp16:
    case DataType::kBf16:
      return Load<uint16_t>(t.data, i);
    case DataType::kFp32:
      return Load<uint32_t>(t.data, i);
    case DataType::kFp64:
      return Load<uint64_t>(t.data, i);
    default:
      return 0;
  }
}

std::string ElementText(const OutputTensor& t, int64_t i) {
  if (t.datatype == DataType::kBytes) {
    return QuoteForMessage(t.strings != nullptr ? std::string_view((*t.strings)[int(i)]) : RawBytesElement(t.data, i));
  }
  if (t.datatype == DataType::kBool) return UnsignedAt(t, i) != 0 ? "true" : "false";
  if (IsSignedInteger(t.datatype)) return fmt::format("{}", SignedAt(t, i));
  if (IsUnsignedInteger(t.datatype)) return fmt::format("{}", UnsignedAt(t, i));
  if (t.datatype == DataType::kFp64) return ShortestText(Load<double>(t.data, i));
  return ShortestText(static_cast<float>(NumberAt(t, i)));
}

}  // namespace faultdrill::golden
