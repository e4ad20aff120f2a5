// Writes a masters file (format in masters.h) one master at a time, as the
// answers arrive: each large tensor goes to the sidecar at once and each
// request line to a scratch file, so that memory holds one answer rather than
// the whole recording. Nothing is visible until Commit: then the sidecar and
// the masters file each replace their old version atomically
// (core/durable_file.h: unnamed temporary files, so a kill at any point
// leaves the old masters and no partial file). `golden record` writes with
// it; Masters::Save is built on it.
//
// Not thread-safe.
#ifndef FAULTDRILL_GOLDEN_MASTERS_WRITER_H_
#define FAULTDRILL_GOLDEN_MASTERS_WRITER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "core/durable_file.h"
#include "golden/masters.h"

namespace faultdrill::golden {

class MastersWriter {
 public:
  // Errors as DurableFileWriter::Create (e.g. NotFound for a missing folder).
  static absl::StatusOr<std::unique_ptr<MastersWriter>> Create(const std::string& path);

  // Appends one master. InvalidArgument when its request_index is not
  // greater than the previous one's (lines are in request_index order) or a
  // tensor does not match its datatype and shape; an I/O error names the file.
  absl::Status Add(const MasterResponse& response);
  uint64_t added() const { return added_; }

  // Writes the sidecar (or removes a stale one when no tensor needed it),
  // then the masters file: `header`, with the number of masters added, and
  // the request lines. Call once; without it nothing changes on disk.
  absl::Status Commit(const MastersHeader& header);

 private:
  MastersWriter(std::string path, std::unique_ptr<DurableFileWriter> lines)
      : path_(std::move(path)), lines_(std::move(lines)) {}
  absl::StatusOr<uint64_t> AppendBlob(std::string_view bytes);

  const std::string path_;
  std::unique_ptr<DurableFileWriter> lines_;    // scratch for the request lines; never committed
  std::unique_ptr<DurableFileWriter> sidecar_;  // made with the first large tensor
  uint64_t lines_bytes_ = 0;
  uint64_t sidecar_bytes_ = 0;
  uint64_t added_ = 0;
  std::optional<uint64_t> last_index_;
};

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_MASTERS_WRITER_H_
