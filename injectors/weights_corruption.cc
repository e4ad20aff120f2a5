#include "injectors/weights_corruption.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <random>
#include <unordered_set>

namespace faultdrill::injectors {
namespace {

static_assert(std::endian::native == std::endian::little, "the .fdw layout is little-endian");

constexpr std::string_view kMagic = "FDW1";
constexpr uint64_t kDigestBytes = 32;

// Bounds-checked little-endian reads; a read past the end fails.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  uint64_t position() const { return position_; }

  template <typename T>
  bool Read(T* out) {
    if (bytes_.size() - position_ < sizeof(T)) return false;
    std::memcpy(out, bytes_.data() + position_, sizeof(T));
    position_ += sizeof(T);
    return true;
  }
  bool ReadString(size_t length, std::string* out) {
    if (bytes_.size() - position_ < length) return false;
    out->assign(bytes_.data() + position_, length);
    position_ += length;
    return true;
  }
  bool Skip(uint64_t length) {
    if (bytes_.size() - position_ < length) return false;
    position_ += length;
    return true;
  }

 private:
  std::string_view bytes_;
  uint64_t position_ = 0;
};

absl::Status NotWeights(std::string_view problem) {
  return absl::InvalidArgumentError(fmt::format("not a readable .fdw weights file: {}", problem));
}

}  // namespace

const WeightsLayout::Tensor* WeightsLayout::Find(std::string_view name) const {
  for (const Tensor& tensor : tensors) {
    if (tensor.name == name) return &tensor;
  }
  return nullptr;
}

absl::StatusOr<WeightsLayout> ReadWeightsLayout(std::string_view bytes) {
  if (!bytes.starts_with(kMagic)) return NotWeights("no FDW1 magic");
  Reader reader(bytes);
  reader.Skip(kMagic.size());
  uint32_t version = 0;
  uint16_t name_length = 0;
  uint32_t count = 0;
  if (!reader.Read(&version) || !reader.Read(&name_length) || !reader.Skip(name_length) || !reader.Read(&count)) {
    return NotWeights("the header is cut short");
  }
  if (version != 1) return NotWeights(fmt::format("format version {} (only 1 is known)", version));
  struct Entry {
    std::string name;
    uint64_t offset = 0, length = 0;
  };
  std::vector<Entry> entries(count);
  for (Entry& entry : entries) {
    uint16_t length = 0;
    uint8_t dtype = 0, rank = 0;
    if (!reader.Read(&length) || !reader.ReadString(length, &entry.name) || !reader.Read(&dtype) ||
        !reader.Read(&rank) || !reader.Skip(4ull * rank) || !reader.Read(&entry.offset) ||
        !reader.Read(&entry.length)) {
      return NotWeights("the tensor table is cut short");
    }
    if (dtype != 1) return NotWeights(fmt::format("tensor '{}' is not FP32", entry.name));
  }
  WeightsLayout layout;
  if (!reader.Read(&layout.data_length)) return NotWeights("the data length is missing");
  layout.data_begin = reader.position();
  if (bytes.size() < layout.data_begin || bytes.size() - layout.data_begin != layout.data_length + kDigestBytes) {
    return NotWeights(fmt::format("{} bytes do not hold a {}-byte data section and its digest", bytes.size(),
                                  layout.data_length));
  }
  for (const Entry& entry : entries) {
    if (entry.offset > layout.data_length || entry.length > layout.data_length - entry.offset) {
      return NotWeights(fmt::format("tensor '{}' lies outside the data section", entry.name));
    }
    layout.tensors.push_back({entry.name, layout.data_begin + entry.offset, entry.length});
  }
  return layout;
}

namespace {

absl::StatusOr<CorruptionResult> FlipBits(std::string& bytes, const Corruption& c, uint64_t seed) {
  uint64_t begin = 0, length = bytes.size();
  if (!c.whole_file) {
    auto layout = ReadWeightsLayout(bytes);
    if (!layout.ok()) {
      return absl::FailedPreconditionError(
          fmt::format("{}; use `region: file` to flip bits anywhere in it", std::string(layout.status().message())));
    }
    begin = layout->data_begin;
    length = layout->data_length;
  }
  const uint64_t bits = length * 8;
  if (c.flips > bits) {
    return absl::FailedPreconditionError(
        fmt::format("cannot flip {} distinct bits in a region of {} bits", c.flips, bits));
  }
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<uint64_t> pick(0, bits - 1);
  std::unordered_set<uint64_t> chosen;
  std::unordered_set<uint64_t> touched_bytes;
  while (chosen.size() < c.flips) {
    const uint64_t bit = pick(random);
    if (!chosen.insert(bit).second) continue;
    bytes[begin + bit / 8] = static_cast<char>(static_cast<unsigned char>(bytes[begin + bit / 8]) ^ (1u << (bit % 8)));
    touched_bytes.insert(bit / 8);
  }
  // Two flips in one byte still change it (they are distinct bits).
  return CorruptionResult{.bits_flipped = c.flips, .bytes_changed = touched_bytes.size()};
}

absl::StatusOr<CorruptionResult> ZeroRange(std::string& bytes, const Corruption& c) {
  if (c.zero_offset >= bytes.size()) {
    return absl::FailedPreconditionError(
        fmt::format("zero offset {} is past the end of the file ({} bytes)", c.zero_offset, bytes.size()));
  }
  const uint64_t end = c.zero_offset + std::min<uint64_t>(c.zero_length, bytes.size() - c.zero_offset);
  CorruptionResult result;
  for (uint64_t i = c.zero_offset; i < end; ++i) {
    if (bytes[i] != '\0') ++result.bytes_changed;
    bytes[i] = '\0';
  }
  return result;
}

absl::StatusOr<CorruptionResult> Truncate(std::string& bytes, const Corruption& c) {
  const uint64_t keep = c.keep_bytes ? *c.keep_bytes
                                     : static_cast<uint64_t>(std::floor(*c.keep_fraction * double(bytes.size())));
  if (keep >= bytes.size()) {
    return absl::FailedPreconditionError(
        fmt::format("the file has {} bytes; truncating it to {} changes nothing", bytes.size(), keep));
  }
  CorruptionResult result{.bytes_changed = bytes.size() - keep};
  bytes.resize(keep);
  return result;
}

absl::StatusOr<CorruptionResult> ScaleTensor(std::string& bytes, const Corruption& c) {
  auto layout = ReadWeightsLayout(bytes);
  if (!layout.ok()) return absl::FailedPreconditionError(std::string(layout.status().message()));
  const WeightsLayout::Tensor* tensor = layout->Find(c.tensor);
  if (tensor == nullptr) {
    std::string names;
    for (const auto& t : layout->tensors) names += (names.empty() ? "" : ", ") + t.name;
    return absl::FailedPreconditionError(fmt::format("no tensor '{}' in the file (it has {})", c.tensor, names));
  }
  CorruptionResult result;
  for (uint64_t at = tensor->offset; at + 4 <= tensor->offset + tensor->length; at += 4) {
    float value = 0;
    std::memcpy(&value, bytes.data() + at, 4);
    const float scaled = static_cast<float>(value * c.factor);
    char after[4];
    std::memcpy(after, &scaled, 4);
    for (int k = 0; k < 4; ++k) result.bytes_changed += bytes[at + k] != after[k] ? 1 : 0;
    std::memcpy(bytes.data() + at, after, 4);
  }
  return result;
}

}  // namespace

absl::StatusOr<CorruptionResult> Corrupt(std::string& bytes, const Corruption& corruption, uint64_t seed) {
  std::string work = bytes;  // `bytes` stays as it was when an operation fails
  absl::StatusOr<CorruptionResult> result;
  switch (corruption.kind) {
    case Corruption::Kind::kFlips: result = FlipBits(work, corruption, seed); break;
    case Corruption::Kind::kZero: result = ZeroRange(work, corruption); break;
    case Corruption::Kind::kTruncate: result = Truncate(work, corruption); break;
    case Corruption::Kind::kScale: result = ScaleTensor(work, corruption); break;
  }
  if (result.ok()) bytes = std::move(work);
  return result;
}

std::string DescribeCorruption(const Corruption& c) {
  switch (c.kind) {
    case Corruption::Kind::kFlips:
      return fmt::format("flip {} random bit{} in {}", c.flips, c.flips == 1 ? "" : "s",
                         c.whole_file ? "the whole file" : "the tensor data");
    case Corruption::Kind::kZero:
      return fmt::format("zero {} bytes from offset {}", c.zero_length, c.zero_offset);
    case Corruption::Kind::kTruncate:
      return c.keep_bytes ? fmt::format("truncate to {} bytes", *c.keep_bytes)
                          : fmt::format("truncate to {:g}% of its size", *c.keep_fraction * 100);
    case Corruption::Kind::kScale:
      return fmt::format("scale tensor '{}' by {:g} (checksum left stale)", c.tensor, c.factor);
  }
  return "";
}

}  // namespace faultdrill::injectors
