#include "server/tensor_codec.h"

#include <bit>
#include <cstring>
#include <vector>

#include "server/strings.h"
#include "absl/strings/str_join.h"

namespace faultdrill::server {
namespace {

static_assert(std::endian::native == std::endian::little,
              "raw tensor contents are little-endian; this host must be too");

// The names of the typed fields that hold values, e.g. {"int_contents"}.
std::vector<std::string_view> FilledFields(const inference::InferTensorContents& c) {
  std::vector<std::string_view> fields;
  if (c.bool_contents_size() > 0) fields.push_back("bool_contents");
  if (c.int_contents_size() > 0) fields.push_back("int_contents");
  if (c.int64_contents_size() > 0) fields.push_back("int64_contents");
  if (c.uint_contents_size() > 0) fields.push_back("uint_contents");
  if (c.uint64_contents_size() > 0) fields.push_back("uint64_contents");
  if (c.fp32_contents_size() > 0) fields.push_back("fp32_contents");
  if (c.fp64_contents_size() > 0) fields.push_back("fp64_contents");
  if (c.bytes_contents_size() > 0) fields.push_back("bytes_contents");
  return fields;
}

std::string_view FieldFor(DataType type) {
  switch (type) {
    case DataType::kFp32:
      return "fp32_contents";
    case DataType::kInt32:
      return "int_contents";
    default:
      return "bytes_contents";
  }
}

}  // namespace

bool HasTypedValues(const inference::InferTensorContents& contents) {
  return !FilledFields(contents).empty();
}

absl::Status DecodeTypedContents(const inference::InferTensorContents& contents, int64_t count,
                                 Tensor* out) {
  const std::string_view field = FieldFor(out->type);
  for (std::string_view filled : FilledFields(contents)) {
    if (filled != field) {
      return absl::InvalidArgumentError(Cat(DataTypeName(out->type),
                                                     " values belong in ", field, ", not in ",
                                                     filled));
    }
  }
  int64_t held = 0;
  switch (out->type) {
    case DataType::kFp32:
      held = contents.fp32_contents_size();
      if (held == count) out->fp32.assign(contents.fp32_contents().begin(), contents.fp32_contents().end());
      break;
    case DataType::kInt32:
      held = contents.int_contents_size();
      if (held == count) out->int32.assign(contents.int_contents().begin(), contents.int_contents().end());
      break;
    case DataType::kBytes:
      held = contents.bytes_contents_size();
      if (held == count) out->bytes.assign(contents.bytes_contents().begin(), contents.bytes_contents().end());
      break;
    default:
      return absl::InvalidArgumentError(
          Cat("datatype ", DataTypeName(out->type), " is not supported"));
  }
  if (held != count) {
    return absl::InvalidArgumentError(Cat("shape ", FormatShape(out->shape), " needs ",
                                                   count, " values, ", field, " holds ", held));
  }
  return absl::OkStatus();
}

absl::Status DecodeRawContents(std::string_view raw, int64_t count, Tensor* out) {
  if (out->type == DataType::kBytes) {
    size_t position = 0;
    for (int64_t i = 0; i < count; ++i) {
      uint32_t length = 0;
      if (raw.size() - position < sizeof(length)) {
        return absl::InvalidArgumentError(Cat(
            "raw BYTES data ends before the length prefix of element ", i, " of ", count));
      }
      std::memcpy(&length, raw.data() + position, sizeof(length));
      position += sizeof(length);
      if (raw.size() - position < length) {
        return absl::InvalidArgumentError(Cat("raw BYTES element ", i, " claims ", length,
                                                       " bytes but only ", raw.size() - position,
                                                       " remain"));
      }
      out->bytes.emplace_back(raw.substr(position, length));
      position += length;
    }
    if (position != raw.size()) {
      return absl::InvalidArgumentError(Cat("raw BYTES data has ", raw.size() - position,
                                                     " bytes after its ", count, " elements"));
    }
    return absl::OkStatus();
  }
  const int size = ElementByteSize(out->type);
  if (out->type != DataType::kFp32 && out->type != DataType::kInt32) {
    return absl::InvalidArgumentError(
        Cat("datatype ", DataTypeName(out->type), " is not supported"));
  }
  if (static_cast<uint64_t>(raw.size()) != static_cast<uint64_t>(count) * size) {
    return absl::InvalidArgumentError(Cat(
        "shape ", FormatShape(out->shape), " needs ", count * size, " bytes of raw ",
        DataTypeName(out->type), " data, got ", raw.size()));
  }
  if (out->type == DataType::kFp32) {
    out->fp32.resize(count);
    std::memcpy(out->fp32.data(), raw.data(), raw.size());
  } else {
    out->int32.resize(count);
    std::memcpy(out->int32.data(), raw.data(), raw.size());
  }
  return absl::OkStatus();
}

void EncodeTypedContents(const Tensor& tensor, inference::InferTensorContents* contents) {
  switch (tensor.type) {
    case DataType::kFp32:
      contents->mutable_fp32_contents()->Add(tensor.fp32.begin(), tensor.fp32.end());
      break;
    case DataType::kInt32:
      contents->mutable_int_contents()->Add(tensor.int32.begin(), tensor.int32.end());
      break;
    case DataType::kBytes:
      for (const std::string& element : tensor.bytes) contents->add_bytes_contents(element);
      break;
    default:
      break;
  }
}

std::string EncodeRawContents(const Tensor& tensor) {
  std::string raw;
  switch (tensor.type) {
    case DataType::kFp32:
      raw.assign(reinterpret_cast<const char*>(tensor.fp32.data()), tensor.fp32.size() * 4);
      break;
    case DataType::kInt32:
      raw.assign(reinterpret_cast<const char*>(tensor.int32.data()), tensor.int32.size() * 4);
      break;
    case DataType::kBytes:
      for (const std::string& element : tensor.bytes) {
        const auto length = static_cast<uint32_t>(element.size());
        raw.append(reinterpret_cast<const char*>(&length), sizeof(length));
        raw += element;
      }
      break;
    default:
      break;
  }
  return raw;
}

}  // namespace faultdrill::server
