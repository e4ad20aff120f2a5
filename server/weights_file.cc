#include "server/weights_file.h"

#include <openssl/evp.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <unistd.h>

#include "server/strings.h"

namespace faultdrill::server {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the .fdw reader and writer assume a little-endian host");

constexpr std::string_view kMagic = "FDW1";
constexpr size_t kDigestBytes = 32;
constexpr uint32_t kMaxTensors = 256;
constexpr size_t kMaxModelName = 64;
constexpr size_t kMaxTensorName = 128;
constexpr uint8_t kDtypeFp32 = 1;
constexpr uint8_t kMaxRank = 4;

using Digest = std::array<unsigned char, kDigestBytes>;

Digest Sha256(std::string_view bytes) {
  Digest digest{};
  unsigned int length = 0;
  // EVP_Digest cannot fail for SHA-256 on in-memory data short of allocation failure.
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    digest.fill(0);
  }
  return digest;
}

std::string HexDigest(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * digest.size());
  for (unsigned char byte : digest) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0xf]);
  }
  return hex;
}

// Bounds-checked little-endian reads from a byte range. Every Read* either
// consumes exactly what it returns or fails without moving.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  size_t position() const { return position_; }
  size_t remaining() const { return bytes_.size() - position_; }

  template <typename T>
  absl::Status ReadInt(std::string_view what, T* out) {
    if (remaining() < sizeof(T)) return Truncated(what);
    std::memcpy(out, bytes_.data() + position_, sizeof(T));
    position_ += sizeof(T);
    return absl::OkStatus();
  }

  absl::Status ReadString(std::string_view what, size_t length, std::string* out) {
    if (remaining() < length) return Truncated(what);
    out->assign(bytes_.data() + position_, length);
    position_ += length;
    return absl::OkStatus();
  }

 private:
  absl::Status Truncated(std::string_view what) const {
    return absl::DataLossError(Cat("weights file is truncated: ", what, " at byte ",
                                            position_, " runs past the end (", bytes_.size(),
                                            " bytes)"));
  }

  std::string_view bytes_;
  size_t position_ = 0;
};

template <typename T>
void AppendInt(std::string* out, T value) {
  char buffer[sizeof(T)];
  std::memcpy(buffer, &value, sizeof(T));
  out->append(buffer, sizeof(T));
}

struct TableEntry {
  std::string name;
  std::vector<int64_t> shape;
  uint64_t offset = 0;
  uint64_t byte_length = 0;
};

absl::StatusOr<TableEntry> ReadTableEntry(ByteReader& reader, uint32_t index) {
  TableEntry entry;
  const std::string where = Cat("tensor table entry ", index);
  uint16_t name_length = 0;
  if (auto s = reader.ReadInt(where, &name_length); !s.ok()) return s;
  if (name_length == 0 || name_length > kMaxTensorName) {
    return absl::DataLossError(Cat(where, ": name length ", name_length,
                                            " is outside 1..", kMaxTensorName));
  }
  if (auto s = reader.ReadString(where, name_length, &entry.name); !s.ok()) return s;
  const std::string named = Cat("tensor '", entry.name, "'");
  uint8_t dtype = 0;
  uint8_t rank = 0;
  if (auto s = reader.ReadInt(named, &dtype); !s.ok()) return s;
  if (dtype != kDtypeFp32) {
    return absl::DataLossError(Cat(named, ": unknown dtype code ", dtype,
                                            " (only 1 = FP32 is defined)"));
  }
  if (auto s = reader.ReadInt(named, &rank); !s.ok()) return s;
  if (rank == 0 || rank > kMaxRank) {
    return absl::DataLossError(Cat(named, ": rank ", rank, " is outside 1..", kMaxRank));
  }
  uint64_t elements = 1;
  for (uint8_t d = 0; d < rank; ++d) {
    uint32_t dim = 0;
    if (auto s = reader.ReadInt(named, &dim); !s.ok()) return s;
    if (dim == 0) return absl::DataLossError(Cat(named, ": dimension ", d, " is 0"));
    elements *= dim;  // at most (2^32)^4 would overflow; checked per step below
    if (elements > kMaxWeightsFileBytes) {
      return absl::DataLossError(Cat(named, ": shape is larger than any weights file"));
    }
    entry.shape.push_back(dim);
  }
  if (auto s = reader.ReadInt(named, &entry.offset); !s.ok()) return s;
  if (auto s = reader.ReadInt(named, &entry.byte_length); !s.ok()) return s;
  if (entry.byte_length != elements * sizeof(float)) {
    return absl::DataLossError(Cat(named, ": byte length ", entry.byte_length,
                                            " does not match its shape (", elements * 4,
                                            " bytes expected)"));
  }
  return entry;
}

}  // namespace

const WeightsTensor* WeightsFile::Find(std::string_view name) const {
  for (const WeightsTensor& tensor : tensors) {
    if (tensor.name == name) return &tensor;
  }
  return nullptr;
}

absl::StatusOr<std::string> SerializeWeights(const WeightsFile& weights) {
  if (weights.model_name.empty() || weights.model_name.size() > kMaxModelName) {
    return absl::InvalidArgumentError("model name must be 1..64 bytes");
  }
  if (weights.tensors.empty() || weights.tensors.size() > kMaxTensors) {
    return absl::InvalidArgumentError("a weights file holds 1..256 tensors");
  }
  std::string out(kMagic);
  AppendInt<uint32_t>(&out, kWeightsFormatVersion);
  AppendInt<uint16_t>(&out, static_cast<uint16_t>(weights.model_name.size()));
  out += weights.model_name;
  AppendInt<uint32_t>(&out, static_cast<uint32_t>(weights.tensors.size()));
  uint64_t offset = 0;
  for (const WeightsTensor& tensor : weights.tensors) {
    if (tensor.name.empty() || tensor.name.size() > kMaxTensorName) {
      return absl::InvalidArgumentError(Cat("tensor name '", tensor.name,
                                                     "' must be 1..128 bytes"));
    }
    if (tensor.shape.empty() || tensor.shape.size() > kMaxRank) {
      return absl::InvalidArgumentError(Cat("tensor '", tensor.name, "' has rank ",
                                                     tensor.shape.size(), ", not 1..4"));
    }
    uint64_t elements = 1;
    for (int64_t dim : tensor.shape) {
      if (dim <= 0 || dim > UINT32_MAX) {
        return absl::InvalidArgumentError(Cat("tensor '", tensor.name,
                                                       "' has a dimension outside 1..2^32-1"));
      }
      elements *= static_cast<uint64_t>(dim);
    }
    if (elements != tensor.values.size()) {
      return absl::InvalidArgumentError(Cat("tensor '", tensor.name, "' holds ",
                                                     tensor.values.size(),
                                                     " values for ", elements, " elements"));
    }
    AppendInt<uint16_t>(&out, static_cast<uint16_t>(tensor.name.size()));
    out += tensor.name;
    AppendInt<uint8_t>(&out, kDtypeFp32);
    AppendInt<uint8_t>(&out, static_cast<uint8_t>(tensor.shape.size()));
    for (int64_t dim : tensor.shape) AppendInt<uint32_t>(&out, static_cast<uint32_t>(dim));
    AppendInt<uint64_t>(&out, offset);
    AppendInt<uint64_t>(&out, elements * sizeof(float));
    offset += elements * sizeof(float);
  }
  AppendInt<uint64_t>(&out, offset);
  for (const WeightsTensor& tensor : weights.tensors) {
    out.append(reinterpret_cast<const char*>(tensor.values.data()),
               tensor.values.size() * sizeof(float));
  }
  const Digest digest = Sha256(out);
  out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return out;
}

absl::StatusOr<WeightsFile> ParseWeights(std::string_view bytes,
                                         const WeightsReadOptions& options) {
  if (bytes.size() < kMagic.size() || bytes.substr(0, kMagic.size()) != kMagic) {
    return absl::DataLossError("not a weights file: the magic \"FDW1\" is missing");
  }
  ByteReader reader(bytes.substr(kMagic.size()));
  uint32_t version = 0;
  if (auto s = reader.ReadInt("format version", &version); !s.ok()) return s;
  if (version != kWeightsFormatVersion) {
    return absl::DataLossError(Cat("unsupported weights format version ", version,
                                            " (this server reads version ",
                                            kWeightsFormatVersion, ")"));
  }
  WeightsFile weights;
  uint16_t name_length = 0;
  if (auto s = reader.ReadInt("model name length", &name_length); !s.ok()) return s;
  if (name_length == 0 || name_length > kMaxModelName) {
    return absl::DataLossError(Cat("model name length ", name_length,
                                            " is outside 1..", kMaxModelName));
  }
  if (auto s = reader.ReadString("model name", name_length, &weights.model_name); !s.ok()) {
    return s;
  }
  uint32_t tensor_count = 0;
  if (auto s = reader.ReadInt("tensor count", &tensor_count); !s.ok()) return s;
  if (tensor_count == 0 || tensor_count > kMaxTensors) {
    return absl::DataLossError(Cat("tensor count ", tensor_count, " is outside 1..",
                                            kMaxTensors));
  }
  std::vector<TableEntry> table;
  for (uint32_t i = 0; i < tensor_count; ++i) {
    absl::StatusOr<TableEntry> entry = ReadTableEntry(reader, i);
    if (!entry.ok()) return entry.status();
    table.push_back(*std::move(entry));
  }
  uint64_t data_length = 0;
  if (auto s = reader.ReadInt("data section length", &data_length); !s.ok()) return s;
  const size_t data_start = kMagic.size() + reader.position();
  const uint64_t available = bytes.size() - data_start;
  if (data_length > available || available - data_length != kDigestBytes) {
    return absl::DataLossError(Cat(
        "weights file size does not match its header: data section of ", data_length,
        " bytes plus a ", kDigestBytes, "-byte checksum needs ", data_start, "+",
        data_length + kDigestBytes, " bytes, the file has ", bytes.size(),
        data_length + kDigestBytes > available ? " (truncated?)" : " (trailing bytes?)"));
  }
  const Digest digest = Sha256(bytes.substr(0, data_start + data_length));
  weights.content_sha256 = HexDigest(digest);
  if (options.verify_checksum) {
    if (std::memcmp(digest.data(), bytes.data() + data_start + data_length, kDigestBytes) != 0) {
      return absl::DataLossError(
          "weights file checksum mismatch: the SHA-256 of its contents differs from the one it "
          "records (the file is corrupted)");
    }
  }
  uint64_t expected_offset = 0;
  for (const TableEntry& entry : table) {
    if (entry.offset != expected_offset || entry.byte_length > data_length - entry.offset) {
      return absl::DataLossError(Cat("tensor '", entry.name, "': data at offset ",
                                              entry.offset, " (", entry.byte_length,
                                              " bytes) is not where the table says it is "
                                              "inside the ", data_length, "-byte data section"));
    }
    if (weights.Find(entry.name) != nullptr) {
      return absl::DataLossError(Cat("tensor '", entry.name, "' appears twice"));
    }
    WeightsTensor tensor{entry.name, entry.shape, {}};
    tensor.values.resize(entry.byte_length / sizeof(float));
    std::memcpy(tensor.values.data(), bytes.data() + data_start + entry.offset, entry.byte_length);
    for (size_t i = 0; i < tensor.values.size(); ++i) {
      if (!std::isfinite(tensor.values[i])) {
        return absl::DataLossError(Cat("tensor '", entry.name, "' holds a non-finite ",
                                                "value at element ", i));
      }
    }
    weights.tensors.push_back(std::move(tensor));
    expected_offset += entry.byte_length;
  }
  if (expected_offset != data_length) {
    return absl::DataLossError(Cat("the tensors cover ", expected_offset, " of the ",
                                            data_length, " bytes of the data section"));
  }
  return weights;
}

absl::StatusOr<WeightsFile> ReadWeightsFile(const std::string& path,
                                            const WeightsReadOptions& options) {
  std::error_code error;
  const uintmax_t size = std::filesystem::file_size(path, error);
  if (error) {
    if (error == std::errc::no_such_file_or_directory) {
      return absl::NotFoundError(Cat(path, ": no such file"));
    }
    return absl::UnavailableError(Cat(path, ": ", error.message()));
  }
  if (size > kMaxWeightsFileBytes) {
    return absl::DataLossError(Cat(path, ": ", size, " bytes is larger than any ",
                                            "weights file (", kMaxWeightsFileBytes, ")"));
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes(size, '\0');
  if (!in || !in.read(bytes.data(), static_cast<std::streamsize>(size))) {
    return absl::UnavailableError(Cat(path, ": cannot read the file"));
  }
  absl::StatusOr<WeightsFile> weights = ParseWeights(bytes, options);
  if (!weights.ok()) {
    return absl::Status(weights.status().code(),
                        Cat(path, ": ", weights.status().message()));
  }
  return weights;
}

absl::Status WriteWeightsFile(const std::string& path, const WeightsFile& weights) {
  absl::StatusOr<std::string> bytes = SerializeWeights(weights);
  if (!bytes.ok()) return bytes.status();
  const std::string temporary = Cat(path, ".tmp.", ::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out || !out.write(bytes->data(), static_cast<std::streamsize>(bytes->size())) ||
        !out.flush()) {
      std::remove(temporary.c_str());
      return absl::UnavailableError(Cat(temporary, ": cannot write the file"));
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::remove(temporary.c_str());
    return absl::UnavailableError(Cat("cannot rename ", temporary, " to ", path, ": ",
                                               error.message()));
  }
  return absl::OkStatus();
}

}  // namespace faultdrill::server
