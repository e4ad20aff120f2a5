// Golden masters: the recorded outputs of a known-good model, one entry per
// request of a request set, kept in a file that diffs well in git and loads
// fast when large.
//
// File format (JSON Lines, `NAME.golden.jsonl`; see the README):
//   line 1: {"format":"faultdrill-golden","version":1,"model":..,
//            "model_version":..,"weights_sha256":..,"faultdrill_version":..,
//            "recorded_at":..,"scenario":..,"requests":N}
//   then N lines, in request_index order:
//            {"request_index":I,"request_id":"..","outputs":[
//              {"name":..,"datatype":"FP32","shape":[1,4],"data":[0.25,...]},
//              {"name":..,"datatype":"FP32","shape":[1,4096],
//               "blob":{"offset":0,"bytes":16384,"sha256":".."}}]}
// Tensors of at most kInlineElements elements (and kInlineBytes bytes) are
// inline in "data": numbers as JSON numbers in the shortest text that reads
// back exactly (NaN and infinities as the strings "NaN", "Infinity",
// "-Infinity"; a NaN with another payload as "NaN:0x<bits>"), BOOL as
// true/false, BYTES as JSON strings when valid UTF-8 and {"base64":".."}
// otherwise. Larger tensors live in the sidecar `NAME.golden.jsonl.bin`, in
// raw form (as raw_output_contents), referenced by offset, size and SHA-256.
#ifndef FAULTDRILL_GOLDEN_MASTERS_H_
#define FAULTDRILL_GOLDEN_MASTERS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "golden/data_type.h"
#include "golden/output_tensor.h"
#include "proto/grpc_service.pb.h"

namespace faultdrill::golden {

inline constexpr int kMastersVersion = 1;
inline constexpr int64_t kInlineElements = 256;
inline constexpr size_t kInlineBytes = 16 * 1024;

// One recorded output tensor; owns its values.
struct MasterTensor {
  std::string name;
  DataType datatype = DataType::kFp32;
  std::vector<int64_t> shape;
  // Raw form: little-endian values; BYTES as 4-byte length + bytes per element.
  std::string data;

  // A view for comparisons, valid while this tensor lives unchanged.
  // InvalidArgument when data does not match datatype and shape (only
  // possible for a tensor built by hand: Load and MasterFromResponse check).
  absl::StatusOr<OutputTensor> View() const;
};

struct MasterResponse {
  uint64_t request_index = 0;
  std::string request_id;  // the response's id, when it had one
  std::vector<MasterTensor> outputs;

  const MasterTensor* FindOutput(std::string_view name) const;
};

struct MastersHeader {
  std::string model;
  std::string model_version;
  std::string weights_sha256;  // empty when the target does not report it
  std::string faultdrill_version;
  std::string recorded_at;  // ISO 8601 UTC
  std::string scenario;
};

// Thread-safety: const methods may be called concurrently; Add is not.
class Masters {
 public:
  Masters() = default;
  explicit Masters(MastersHeader header) : header_(std::move(header)) {}

  const MastersHeader& header() const { return header_; }
  void set_header(MastersHeader header) { header_ = std::move(header); }

  // AlreadyExists when a master for the same request_index is there. Pointers
  // returned by Find stay valid across Add only if no reallocation happens;
  // do not hold them while adding.
  absl::Status Add(MasterResponse response);

  // O(1); null when there is no master for the request.
  const MasterResponse* Find(uint64_t request_index) const;
  // In the order added (Load: file order).
  const std::vector<MasterResponse>& responses() const { return responses_; }

  // Reads and validates the file (and its sidecar when referenced). Errors
  // name the place: "file:line: problem" (InvalidArgument) for bad JSON, a
  // missing or mistyped field, values that do not fit the datatype or shape,
  // a duplicate request_index, a version from a newer faultdrill, fewer or
  // more lines than the header promises (a truncated file); DataLoss for a
  // sidecar blob outside the sidecar or with the wrong SHA-256; NotFound when
  // the file is missing.
  // Holds every master in memory; MastersReader reads one at a time.
  static absl::StatusOr<Masters> Load(const std::string& path);
  // The same for the file's `text` already read: `path` names it in errors
  // and locates the sidecar (read only when a blob refers to it).
  static absl::StatusOr<Masters> Parse(std::string_view text, const std::string& path);

  // Writes the file, and the sidecar when a tensor is too large to inline,
  // each atomically (MastersWriter: unnamed temporary file, fsync, rename,
  // fsync of the folder), the sidecar first. A stale sidecar that is no
  // longer needed is removed. Responses are written in request_index order.
  absl::Status Save(const std::string& path) const;

  // A master from a live response: every output copied into raw form.
  // InvalidArgument when the response is malformed (output_tensor.h).
  static absl::StatusOr<MasterResponse> MasterFromResponse(uint64_t request_index,
                                                           const inference::ModelInferResponse& response);

  // "<path>.bin".
  static std::string SidecarPath(const std::string& path) { return path + ".bin"; }

 private:
  MastersHeader header_;
  std::vector<MasterResponse> responses_;
  absl::flat_hash_map<uint64_t, size_t> index_;  // request_index -> position in responses_
};

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_MASTERS_H_
