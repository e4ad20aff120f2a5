#include "golden/masters_codec.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <cmath>
#include <cstring>
#include <limits>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "fmt/format.h"
#include "golden/float_bits.h"
#include "golden/number_text.h"

namespace faultdrill::golden {
namespace {

using nlohmann::json;

// Bounds element counts of a masters file (a 32-bit length per BYTES element,
// 8 bytes per number: well past anything a file holds).
constexpr int64_t kMaxElements = int64_t(1) << 40;

absl::Status Bad(std::string_view name, std::string_view problem) {
  return absl::InvalidArgumentError(fmt::format("output '{}': {}", name, problem));
}

// --- floats: canonical NaN bits per width, special values as strings --------

uint64_t CanonicalNan(DataType type) {
  switch (type) {
    case DataType::kFp16:
      return 0x7e00;
    case DataType::kBf16:
      return 0x7fc0;
    case DataType::kFp32:
      return 0x7fc00000;
    default:
      return 0x7ff8000000000000;
  }
}

// Sign bit, exponent mask and mantissa mask of a float type.
struct FloatLayout {
  uint64_t sign, exponent, mantissa;
};
FloatLayout LayoutOf(DataType type) {
  switch (type) {
    case DataType::kFp16:
      return {0x8000, 0x7c00, 0x3ff};
    case DataType::kBf16:
      return {0x8000, 0x7f80, 0x7f};
    case DataType::kFp32:
      return {0x80000000, 0x7f800000, 0x7fffff};
    default:
      return {0x8000000000000000, 0x7ff0000000000000, 0xfffffffffffff};
  }
}

std::string EncodeFloat(const OutputTensor& t, int64_t i) {
  const uint64_t bits = FloatBitsAt(t, i);
  const FloatLayout layout = LayoutOf(t.datatype);
  if ((bits & layout.exponent) == layout.exponent) {
    if ((bits & layout.mantissa) == 0) return (bits & layout.sign) != 0 ? "\"-Infinity\"" : "\"Infinity\"";
    if (bits == CanonicalNan(t.datatype)) return "\"NaN\"";
    return fmt::format("\"NaN:0x{:0{}x}\"", bits, ElementByteSize(t.datatype) * 2);
  }
  if (t.datatype == DataType::kFp64) return DoubleJsonNumber(NumberAt(t, i));
  return FloatJsonNumber(static_cast<float>(NumberAt(t, i)));
}

absl::StatusOr<uint64_t> SpecialFloatBits(const std::string& text, DataType type) {
  const FloatLayout layout = LayoutOf(type);
  if (text == "NaN") return CanonicalNan(type);
  if (text == "Infinity") return layout.exponent;
  if (text == "-Infinity") return layout.sign | layout.exponent;
  uint64_t bits = 0;
  if (text.rfind("NaN:0x", 0) == 0 && absl::SimpleHexAtoi(text.substr(6), &bits) &&
      bits <= (layout.sign | (layout.sign - 1)) && (bits & layout.exponent) == layout.exponent &&
      (bits & layout.mantissa) != 0) {
    return bits;
  }
  return absl::InvalidArgumentError(
      fmt::format("\"{}\" is not a number, \"NaN\", \"Infinity\", \"-Infinity\" or \"NaN:0x<bits>\" of {}", text,
                  DataTypeName(type)));
}

absl::StatusOr<uint64_t> DecodeFloatBits(const json& value, DataType type) {
  if (value.is_string()) return SpecialFloatBits(value.get_ref<const std::string&>(), type);
  if (!value.is_number()) return absl::InvalidArgumentError(fmt::format("expected a number, got {}", value.dump()));
  const double d = value.get<double>();
  if (type == DataType::kFp64) return std::bit_cast<uint64_t>(d);
  const std::optional<float> f = DoubleToFloat(d);
  std::optional<uint64_t> bits;
  if (f && type == DataType::kFp32) bits = std::bit_cast<uint32_t>(*f);
  if (f && type == DataType::kFp16) bits = FloatToHalfExact(*f);
  if (f && type == DataType::kBf16) bits = FloatToBf16Exact(*f);
  if (!bits) return absl::InvalidArgumentError(fmt::format("{} is not an {} value", value.dump(), DataTypeName(type)));
  return *bits;
}

// --- integers --------------------------------------------------------------

absl::StatusOr<uint64_t> DecodeIntegerBits(const json& value, DataType type) {
  const int width = ElementByteSize(type) * 8;
  if (type == DataType::kBool) {
    if (!value.is_boolean())
      return absl::InvalidArgumentError(fmt::format("expected true or false, got {}", value.dump()));
    return value.get<bool>() ? 1 : 0;
  }
  if (!value.is_number_integer()) {
    return absl::InvalidArgumentError(fmt::format("expected an integer, got {}", value.dump()));
  }
  const auto out_of_range = [&] {
    return absl::InvalidArgumentError(fmt::format("{} is out of range for {}", value.dump(), DataTypeName(type)));
  };
  if (IsUnsignedInteger(type)) {
    if (!value.is_number_unsigned()) return out_of_range();
    const uint64_t v = value.get<uint64_t>();
    if (width < 64 && v >> width != 0) return out_of_range();
    return v;
  }
  if (value.is_number_unsigned() && value.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max())) {
    return out_of_range();
  }
  const int64_t v = value.get<int64_t>();
  if (width < 64 && (v < -(int64_t(1) << (width - 1)) || v >= (int64_t(1) << (width - 1)))) return out_of_range();
  return uint64_t(v);
}

void AppendLittleEndian(uint64_t bits, int bytes, std::string* out) {
  char buffer[8];
  std::memcpy(buffer, &bits, sizeof(bits));  // little-endian host (float_bits.h)
  out->append(buffer, size_t(bytes));
}

void AppendBytesElement(std::string_view element, std::string* out) {
  AppendLittleEndian(uint32_t(element.size()), 4, out);
  out->append(element);
}

absl::StatusOr<std::string> DecodeInlineData(const json& data, DataType type, int64_t elements,
                                             absl::Span<const int64_t> shape) {
  if (!data.is_array()) return absl::InvalidArgumentError("\"data\" must be an array");
  if (int64_t(data.size()) != elements) {
    return absl::InvalidArgumentError(fmt::format("\"data\" holds {} values, but {} {} needs {}", data.size(),
                                                  DataTypeName(type), FormatShape(shape), elements));
  }
  std::string raw;
  for (int64_t i = 0; i < elements; ++i) {
    const json& value = data[size_t(i)];
    const auto located = [&](const absl::Status& s) {
      return absl::InvalidArgumentError(fmt::format("element {}: {}", FormatIndex(i, shape), std::string(s.message())));
    };
    if (type == DataType::kBytes) {
      std::string decoded;
      if (value.is_string()) {
        decoded = value.get<std::string>();
      } else if (!(value.is_object() && value.size() == 1 && value.contains("base64") && value["base64"].is_string() &&
                   absl::Base64Unescape(value["base64"].get<std::string>(), &decoded))) {
        return located(absl::InvalidArgumentError(
            fmt::format("expected a string or {{\"base64\": \"...\"}}, got {}", value.dump())));
      }
      if (decoded.size() > std::numeric_limits<uint32_t>::max()) {
        return located(absl::InvalidArgumentError("a BYTES element longer than 4 GiB"));
      }
      AppendBytesElement(decoded, &raw);
      continue;
    }
    const absl::StatusOr<uint64_t> bits = IsFloat(type) ? DecodeFloatBits(value, type) : DecodeIntegerBits(value, type);
    if (!bits.ok()) return located(bits.status());
    AppendLittleEndian(*bits, ElementByteSize(type), &raw);
  }
  return raw;
}

std::string EncodeInlineData(const OutputTensor& view) {
  std::string out = "[";
  std::vector<std::string_view> strings;
  if (view.datatype == DataType::kBytes) strings = BytesElements(view);
  for (int64_t i = 0; i < view.elements; ++i) {
    if (i > 0) out += ',';
    if (view.datatype == DataType::kBytes) {
      const std::string_view s = strings[size_t(i)];
      out += IsValidUtf8(s)
                 ? JsonString(s)
                 : fmt::format("{{\"base64\":\"{}\"}}", absl::Base64Escape(absl::string_view(s.data(), s.size())));
    } else if (IsFloat(view.datatype)) {
      out += EncodeFloat(view, i);
    } else if (view.datatype == DataType::kBool) {
      out += UnsignedAt(view, i) != 0 ? "true" : "false";
    } else if (IsSignedInteger(view.datatype)) {
      out += std::to_string(SignedAt(view, i));
    } else {
      out += std::to_string(UnsignedAt(view, i));
    }
  }
  return out + "]";
}

absl::StatusOr<std::vector<int64_t>> DecodeShape(const json& shape) {
  if (!shape.is_array()) return absl::InvalidArgumentError("\"shape\" must be an array of dimensions");
  std::vector<int64_t> dims;
  for (const json& d : shape) {
    if (!d.is_number_unsigned() || d.get<uint64_t>() > uint64_t(kMaxElements)) {
      return absl::InvalidArgumentError(fmt::format("\"shape\" has {}, not a dimension (an integer >= 0)", d.dump()));
    }
    dims.push_back(d.get<int64_t>());
  }
  return dims;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    int extra = 0;
    uint32_t code = 0, minimum = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      extra = 1, code = c & 0x1f, minimum = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2, code = c & 0x0f, minimum = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      extra = 3, code = c & 0x07, minimum = 0x10000;
    } else {
      return false;
    }
    if (text.size() - i <= size_t(extra)) return false;
    for (int k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + size_t(k)]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < minimum || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
    i += size_t(extra) + 1;
  }
  return true;
}

std::string JsonString(std::string_view text) {
  return json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
}

absl::StatusOr<std::string> EncodeTensor(const MasterTensor& tensor, const OutputTensor& view,
                                         const BlobSink& sidecar) {
  std::string out = fmt::format(R"({{"name":{},"datatype":"{}","shape":[{}],)", JsonString(tensor.name),
                                DataTypeName(tensor.datatype), fmt::join(tensor.shape, ","));
  if (view.elements <= kInlineElements && tensor.data.size() <= kInlineBytes) {
    return out + "\"data\":" + EncodeInlineData(view) + "}";
  }
  absl::StatusOr<uint64_t> offset = sidecar(tensor.data);
  if (!offset.ok()) return offset.status();
  return out + fmt::format(R"("blob":{{"offset":{},"bytes":{},"sha256":"{}"}}}})", *offset, tensor.data.size(),
                           Sha256Hex(tensor.data));
}

Sidecar::~Sidecar() {
  if (fd_ >= 0) ::close(fd_);
}

absl::StatusOr<std::string> Sidecar::Blob(uint64_t offset, uint64_t bytes, std::string_view sha256) {
  if (fd_ < 0) {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0) {
      return absl::DataLossError(
          fmt::format("the masters refer to the sidecar, but cannot open {}: {}", path_, std::strerror(errno)));
    }
    size_ = uint64_t(st.st_size);
  }
  if (offset > size_ || bytes > size_ - offset) {
    return absl::DataLossError(fmt::format("blob at offset {} of {} bytes lies past the end of {} ({} bytes)", offset,
                                           bytes, path_, size_));
  }
  std::string blob(bytes, '\0');
  for (uint64_t done = 0; done < bytes;) {
    const ssize_t n = ::pread(fd_, blob.data() + done, bytes - done, off_t(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return absl::DataLossError(fmt::format("cannot read the blob at offset {} of {}: {}", offset, path_,
                                             n == 0 ? "the file is shorter than it was" : std::strerror(errno)));
    }
    done += uint64_t(n);
  }
  if (Sha256Hex(blob) != sha256) {
    return absl::DataLossError(
        fmt::format("blob at offset {} of {} in {} does not match its sha256 (changed or "
                    "from another recording)",
                    offset, bytes, path_));
  }
  return blob;
}

absl::StatusOr<MasterTensor> DecodeTensor(const json& object, Sidecar& sidecar) {
  if (!object.is_object()) return absl::InvalidArgumentError("each output must be an object");
  for (const auto& [key, value] : object.items()) {
    if (key != "name" && key != "datatype" && key != "shape" && key != "data" && key != "blob") {
      return absl::InvalidArgumentError(fmt::format("an output has an unknown key \"{}\"", key));
    }
  }
  if (!object.contains("name") || !object["name"].is_string() || object["name"].get_ref<const std::string&>().empty()) {
    return absl::InvalidArgumentError("an output needs a \"name\" (a non-empty string)");
  }
  MasterTensor tensor;
  tensor.name = object["name"].get<std::string>();
  if (!object.contains("datatype") || !object["datatype"].is_string()) return Bad(tensor.name, "needs a \"datatype\"");
  const std::optional<DataType> datatype = ParseDataType(object["datatype"].get_ref<const std::string&>());
  if (!datatype) return Bad(tensor.name, fmt::format("unknown datatype {}", object["datatype"].dump()));
  tensor.datatype = *datatype;
  if (!object.contains("shape")) return Bad(tensor.name, "needs a \"shape\"");
  absl::StatusOr<std::vector<int64_t>> shape = DecodeShape(object["shape"]);
  if (!shape.ok()) return Bad(tensor.name, std::string(shape.status().message()));
  tensor.shape = std::move(*shape);
  std::string problem;
  const std::optional<int64_t> elements = ElementCount(tensor.shape, kMaxElements, &problem);
  if (!elements) return Bad(tensor.name, problem);

  const bool has_data = object.contains("data"), has_blob = object.contains("blob");
  if (has_data == has_blob) return Bad(tensor.name, "needs exactly one of \"data\" and \"blob\"");
  if (has_data) {
    absl::StatusOr<std::string> raw = DecodeInlineData(object["data"], tensor.datatype, *elements, tensor.shape);
    if (!raw.ok()) return Bad(tensor.name, std::string(raw.status().message()));
    tensor.data = std::move(*raw);
  } else {
    const json& blob = object["blob"];
    if (!blob.is_object() || blob.size() != 3 || !blob.contains("offset") || !blob["offset"].is_number_unsigned() ||
        !blob.contains("bytes") || !blob["bytes"].is_number_unsigned() || !blob.contains("sha256") ||
        !blob["sha256"].is_string()) {
      return Bad(tensor.name, "\"blob\" must be {\"offset\": N, \"bytes\": N, \"sha256\": \"hex\"}");
    }
    absl::StatusOr<std::string> bytes = sidecar.Blob(blob["offset"].get<uint64_t>(), blob["bytes"].get<uint64_t>(),
                                                          blob["sha256"].get_ref<const std::string&>());
    if (!bytes.ok())
      return absl::Status(bytes.status().code(),
                          fmt::format("output '{}': {}", tensor.name, std::string(bytes.status().message())));
    tensor.data = std::move(*bytes);
  }
  if (absl::StatusOr<OutputTensor> view = tensor.View(); !view.ok()) return view.status();
  return tensor;
}

}  // namespace faultdrill::golden
