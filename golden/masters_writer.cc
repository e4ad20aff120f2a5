#include "golden/masters_writer.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "fmt/format.h"
#include "golden/masters_lines.h"

namespace faultdrill::golden {

absl::StatusOr<std::unique_ptr<MastersWriter>> MastersWriter::Create(const std::string& path) {
  // The scratch file sits beside the masters (same file system), unnamed where it can be.
  auto lines = DurableFileWriter::Create(path, 0600);
  if (!lines.ok()) return lines.status();
  return std::unique_ptr<MastersWriter>(new MastersWriter(path, *std::move(lines)));
}

absl::StatusOr<uint64_t> MastersWriter::AppendBlob(std::string_view bytes) {
  if (sidecar_ == nullptr) {
    const std::string sidecar = Masters::SidecarPath(path_);
    auto writer = DurableFileWriter::Create(sidecar, ExistingModeOr(sidecar, 0644));
    if (!writer.ok()) return writer.status();
    sidecar_ = *std::move(writer);
  }
  if (absl::Status s = sidecar_->Append(bytes); !s.ok()) return s;
  const uint64_t offset = sidecar_bytes_;
  sidecar_bytes_ += bytes.size();
  return offset;
}

absl::Status MastersWriter::Add(const MasterResponse& response) {
  if (last_index_ && response.request_index <= *last_index_) {
    return absl::InvalidArgumentError(fmt::format("request {} comes after request {}: masters are written in "
                                                  "request_index order",
                                                  response.request_index, *last_index_));
  }
  absl::StatusOr<std::string> line =
      EncodeMasterResponse(response, [this](std::string_view bytes) { return AppendBlob(bytes); });
  if (!line.ok()) return line.status();
  *line += '\n';
  if (absl::Status s = lines_->Append(*line); !s.ok()) return s;
  lines_bytes_ += line->size();
  last_index_ = response.request_index;
  ++added_;
  return absl::OkStatus();
}

absl::Status MastersWriter::Commit(const MastersHeader& header) {
  if (lines_ == nullptr) return absl::FailedPreconditionError(fmt::format("{} is already written", path_));
  if (sidecar_ != nullptr) {
    if (absl::Status s = sidecar_->Commit(); !s.ok()) return s;
  }
  auto masters = DurableFileWriter::Create(path_, ExistingModeOr(path_, 0644));
  if (!masters.ok()) return masters.status();
  if (absl::Status s = (*masters)->Append(EncodeMastersHeader(header, added_) + "\n"); !s.ok()) return s;
  std::vector<char> buffer(1 << 20);
  for (uint64_t done = 0; done < lines_bytes_;) {
    const ssize_t n = ::pread(lines_->fd(), buffer.data(), std::min<uint64_t>(buffer.size(), lines_bytes_ - done),
                              off_t(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return absl::InternalError(fmt::format("cannot read back the request lines written for {}: {}", path_,
                                             n == 0 ? "short file" : std::strerror(errno)));
    }
    if (absl::Status s = (*masters)->Append(std::string_view(buffer.data(), size_t(n))); !s.ok()) return s;
    done += uint64_t(n);
  }
  if (absl::Status s = (*masters)->Commit(); !s.ok()) return s;
  lines_.reset();
  return sidecar_ == nullptr ? RemoveFileIfExists(Masters::SidecarPath(path_)) : absl::OkStatus();
}

}  // namespace faultdrill::golden
