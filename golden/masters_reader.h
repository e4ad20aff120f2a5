// Reads a masters file (format in masters.h) one request line at a time,
// each large tensor read from the sidecar as its line is, so that memory
// holds one master rather than the whole recording. `golden compare` walks
// the masters with it in step with the answers; Masters::Load is built on it.
//
// Not thread-safe.
#ifndef FAULTDRILL_GOLDEN_MASTERS_READER_H_
#define FAULTDRILL_GOLDEN_MASTERS_READER_H_

#include <cstdint>
#include <fstream>
#include <istream>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "golden/masters.h"
#include "golden/masters_codec.h"
#include "golden/masters_lines.h"

namespace faultdrill::golden {

class MastersReader {
 public:
  // Opens the file and reads its header. NotFound when it is missing;
  // InvalidArgument "file:1: problem" for an empty file or a bad header.
  static absl::StatusOr<std::unique_ptr<MastersReader>> Open(const std::string& path);
  // The same over `text` (a masters file in memory); errors and the sidecar
  // are named after `path`.
  static absl::StatusOr<std::unique_ptr<MastersReader>> OpenText(std::string text, const std::string& path);

  const MastersHeader& header() const { return header_.header; }
  // How many request lines the header promises.
  uint64_t requests() const { return header_.requests; }

  // The next master in file order, fully validated; nullopt after the last
  // one. Errors name the place, as Masters::Load documents (including a
  // file with fewer or more lines than the header promises).
  absl::StatusOr<std::optional<MasterResponse>> Next();

  // The master of `request_index`, reading forward: null when the file has
  // none for it. Ask in increasing order; InvalidArgument when the file's
  // lines are not in request_index order (the format requires it). The
  // master stays valid until the next call.
  absl::StatusOr<const MasterResponse*> Seek(uint64_t request_index);

 private:
  MastersReader(std::string path, std::unique_ptr<std::istream> in, MastersFileHeader header)
      : path_(std::move(path)), in_(std::move(in)), header_(std::move(header)), sidecar_(Masters::SidecarPath(path_)) {}
  // Reads the header line of `in`.
  static absl::StatusOr<std::unique_ptr<MastersReader>> Start(const std::string& path, std::unique_ptr<std::istream> in);

  const std::string path_;
  std::unique_ptr<std::istream> in_;
  const MastersFileHeader header_;
  Sidecar sidecar_;
  size_t line_number_ = 1;  // the header
  uint64_t read_ = 0;       // request lines read
  std::optional<MasterResponse> current_;  // Seek: the last master read
  bool at_end_ = false;
};

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_MASTERS_READER_H_
