#include "golden/masters.h"

#include <algorithm>

#include "fmt/format.h"
#include "golden/masters_lines.h"
#include "golden/masters_reader.h"
#include "golden/masters_writer.h"

namespace faultdrill::golden {
namespace {

// Copies one view into raw form, narrowing typed INT8/INT16/UINT8/UINT16.
MasterTensor ToMaster(const OutputTensor& view) {
  MasterTensor tensor;
  tensor.name = std::string(view.name);
  tensor.datatype = view.datatype;
  tensor.shape.assign(view.shape.begin(), view.shape.end());
  if (view.datatype == DataType::kBytes && view.strings != nullptr) {
    for (const std::string& s : *view.strings) {
      const uint32_t length = uint32_t(s.size());
      tensor.data.append(reinterpret_cast<const char*>(&length), sizeof(length));
      tensor.data.append(s);
    }
  } else if (view.stored == view.datatype) {
    tensor.data.assign(view.data);
  } else {
    const int width = ElementByteSize(view.datatype);
    tensor.data.reserve(size_t(view.elements) * size_t(width));
    for (int64_t i = 0; i < view.elements; ++i) {
      const uint64_t bits = UnsignedAt(view, i);  // in range: DecodeOutputs checked
      tensor.data.append(reinterpret_cast<const char*>(&bits), size_t(width));
    }
  }
  return tensor;
}

}  // namespace

absl::StatusOr<OutputTensor> MasterTensor::View() const { return RawTensorView(name, datatype, shape, data); }

const MasterTensor* MasterResponse::FindOutput(std::string_view output) const {
  for (const MasterTensor& tensor : outputs) {
    if (tensor.name == output) return &tensor;
  }
  return nullptr;
}

absl::Status Masters::Add(MasterResponse response) {
  if (index_.contains(response.request_index)) {
    return absl::AlreadyExistsError(fmt::format("there is already a master for request {}", response.request_index));
  }
  index_.emplace(response.request_index, responses_.size());
  responses_.push_back(std::move(response));
  return absl::OkStatus();
}

const MasterResponse* Masters::Find(uint64_t request_index) const {
  const auto it = index_.find(request_index);
  return it == index_.end() ? nullptr : &responses_[it->second];
}

// Every master `reader` holds, in file order.
namespace {

absl::StatusOr<Masters> ReadAll(absl::StatusOr<std::unique_ptr<MastersReader>> reader, const std::string& path) {
  if (!reader.ok()) return reader.status();
  Masters masters((*reader)->header());
  for (size_t line = 2;; ++line) {
    absl::StatusOr<std::optional<MasterResponse>> response = (*reader)->Next();
    if (!response.ok()) return response.status();
    if (!*response) return masters;
    if (absl::Status s = masters.Add(std::move(**response)); !s.ok()) {
      return AtLine(path, line, absl::InvalidArgumentError(std::string(s.message())));
    }
  }
}

}  // namespace

absl::StatusOr<Masters> Masters::Load(const std::string& path) { return ReadAll(MastersReader::Open(path), path); }

absl::StatusOr<Masters> Masters::Parse(std::string_view text, const std::string& path) {
  return ReadAll(MastersReader::OpenText(std::string(text), path), path);
}

absl::Status Masters::Save(const std::string& path) const {
  std::vector<const MasterResponse*> ordered;
  ordered.reserve(responses_.size());
  for (const MasterResponse& r : responses_) ordered.push_back(&r);
  std::sort(ordered.begin(), ordered.end(),
            [](const MasterResponse* a, const MasterResponse* b) { return a->request_index < b->request_index; });
  absl::StatusOr<std::unique_ptr<MastersWriter>> writer = MastersWriter::Create(path);
  if (!writer.ok()) return writer.status();
  for (const MasterResponse* response : ordered) {
    if (absl::Status s = (*writer)->Add(*response); !s.ok()) return s;
  }
  return (*writer)->Commit(header_);
}

absl::StatusOr<MasterResponse> Masters::MasterFromResponse(uint64_t request_index,
                                                           const inference::ModelInferResponse& response) {
  absl::StatusOr<std::vector<OutputTensor>> views = DecodeOutputs(response);
  if (!views.ok()) return views.status();
  MasterResponse master;
  master.request_index = request_index;
  master.request_id = response.id();
  for (const OutputTensor& view : *views) {
    if (master.FindOutput(view.name) != nullptr) {
      return absl::InvalidArgumentError(fmt::format("output '{}' appears twice in the response", view.name));
    }
    master.outputs.push_back(ToMaster(view));
  }
  return master;
}

}  // namespace faultdrill::golden
