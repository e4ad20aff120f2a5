#include "golden/masters_reader.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "fmt/format.h"
#include "golden/masters_lines.h"

namespace faultdrill::golden {

absl::StatusOr<std::unique_ptr<MastersReader>> MastersReader::Open(const std::string& path) {
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) {
    const std::string message = fmt::format("cannot open {}: {}", path, std::strerror(errno));
    return errno == ENOENT ? absl::NotFoundError(message) : absl::InternalError(message);
  }
  return Start(path, std::move(in));
}

absl::StatusOr<std::unique_ptr<MastersReader>> MastersReader::OpenText(std::string text, const std::string& path) {
  return Start(path, std::make_unique<std::istringstream>(std::move(text)));
}

absl::StatusOr<std::unique_ptr<MastersReader>> MastersReader::Start(const std::string& path,
                                                                    std::unique_ptr<std::istream> in) {
  std::string line;
  if (!std::getline(*in, line)) {
    return absl::InvalidArgumentError(fmt::format("{}: empty file (no header line)", path));
  }
  absl::StatusOr<nlohmann::json> j = ParseMastersLine(line);
  if (!j.ok()) return AtLine(path, 1, j.status());
  absl::StatusOr<MastersFileHeader> header = DecodeMastersHeader(*j);
  if (!header.ok()) return AtLine(path, 1, header.status());
  return std::unique_ptr<MastersReader>(new MastersReader(path, std::move(in), *std::move(header)));
}

absl::StatusOr<std::optional<MasterResponse>> MastersReader::Next() {
  if (at_end_) return std::nullopt;
  std::string line;
  if (!std::getline(*in_, line)) {
    if (in_->bad()) return absl::InternalError(fmt::format("cannot read {}: {}", path_, std::strerror(errno)));
    at_end_ = true;
    if (read_ != header_.requests) {
      return absl::InvalidArgumentError(
          fmt::format("{}: truncated: the header promises {} requests, the file holds {} (re-record the masters)",
                      path_, header_.requests, read_));
    }
    return std::nullopt;
  }
  ++line_number_;
  absl::StatusOr<nlohmann::json> j = ParseMastersLine(line);
  if (!j.ok()) return AtLine(path_, line_number_, j.status());
  if (read_ == header_.requests) {
    return AtLine(path_, line_number_,
                  absl::InvalidArgumentError(
                      fmt::format("more request lines than the {} the header promises", header_.requests)));
  }
  absl::StatusOr<MasterResponse> response = DecodeMasterResponse(*j, sidecar_);
  if (!response.ok()) return AtLine(path_, line_number_, response.status());
  ++read_;
  return std::optional<MasterResponse>(*std::move(response));
}

absl::StatusOr<const MasterResponse*> MastersReader::Seek(uint64_t request_index) {
  while (!current_ || current_->request_index < request_index) {
    const std::optional<uint64_t> previous =
        current_ ? std::optional<uint64_t>(current_->request_index) : std::nullopt;
    absl::StatusOr<std::optional<MasterResponse>> next = Next();
    if (!next.ok()) return next.status();
    if (!*next) {
      current_.reset();
      return nullptr;
    }
    if (previous && (*next)->request_index <= *previous) {
      return AtLine(path_, line_number_,
                    absl::InvalidArgumentError(fmt::format("request {} comes after request {}: the lines must be in "
                                                           "request_index order",
                                                           (*next)->request_index, *previous)));
    }
    current_ = std::move(*next);
  }
  return current_->request_index == request_index ? &*current_ : nullptr;
}

}  // namespace faultdrill::golden
