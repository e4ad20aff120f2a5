#include "golden/masters.h"

#include <algorithm>

#include "core/durable_file.h"
#include "core/json_text.h"
#include "fmt/format.h"
#include "golden/masters_codec.h"
#include "nlohmann/json.hpp"

namespace faultdrill::golden {
namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "faultdrill-golden";

// "file:line: problem", keeping the status code.
absl::Status At(const std::string& path, size_t line, const absl::Status& status) {
  return absl::Status(status.code(), fmt::format("{}:{}: {}", path, line, std::string(status.message())));
}

absl::Status CheckKeys(const json& object, std::initializer_list<std::string_view> known, std::string_view what) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return absl::InvalidArgumentError(fmt::format("{} has an unknown key \"{}\"", what, key));
    }
  }
  return absl::OkStatus();
}

absl::Status ReadString(const json& object, const char* key, bool required, std::string* out) {
  if (!object.contains(key)) {
    return required ? absl::InvalidArgumentError(fmt::format("missing \"{}\"", key)) : absl::OkStatus();
  }
  if (!object[key].is_string()) return absl::InvalidArgumentError(fmt::format("\"{}\" must be a string", key));
  *out = object[key].get<std::string>();
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> ReadCount(const json& object, const char* key) {
  if (!object.contains(key)) return absl::InvalidArgumentError(fmt::format("missing \"{}\"", key));
  if (!object[key].is_number_unsigned()) {
    return absl::InvalidArgumentError(fmt::format("\"{}\" must be an integer >= 0", key));
  }
  return object[key].get<uint64_t>();
}

absl::StatusOr<json> ParseLine(std::string_view line) {
  JsonTextPosition where;
  absl::StatusOr<json> j = ParseJsonText(line, &where);
  if (!j.ok()) return absl::InvalidArgumentError(fmt::format("column {}: {}", where.column, std::string(j.status().message())));
  return j;
}

struct Header {
  MastersHeader header;
  uint64_t requests = 0;
};

absl::StatusOr<Header> DecodeHeader(const json& j) {
  if (!j.is_object() || !j.contains("format") || j["format"] != kFormat) {
    return absl::InvalidArgumentError(
        fmt::format("not a golden masters file (the first line must be a header with \"format\": \"{}\")", kFormat));
  }
  if (!j.contains("version") || !j["version"].is_number_integer()) {
    return absl::InvalidArgumentError("the header needs an integer \"version\"");
  }
  if (j["version"] != kMastersVersion) {
    return absl::InvalidArgumentError(fmt::format(
        "masters format version {} is not supported (this faultdrill reads version {}; re-record, or use the "
        "faultdrill that wrote them)",
        j["version"].dump(), kMastersVersion));
  }
  if (absl::Status s = CheckKeys(j,
                                 {"format", "version", "model", "model_version", "weights_sha256", "faultdrill_version",
                                  "recorded_at", "scenario", "requests"},
                                 "the header");
      !s.ok()) {
    return s;
  }
  Header h;
  const std::pair<const char*, std::string*> fields[] = {{"model", &h.header.model},
                                                         {"model_version", &h.header.model_version},
                                                         {"weights_sha256", &h.header.weights_sha256},
                                                         {"faultdrill_version", &h.header.faultdrill_version},
                                                         {"recorded_at", &h.header.recorded_at},
                                                         {"scenario", &h.header.scenario}};
  for (const auto& [key, field] : fields) {
    if (absl::Status s = ReadString(j, key, std::string_view(key) == "model", field); !s.ok()) return s;
  }
  absl::StatusOr<uint64_t> requests = ReadCount(j, "requests");
  if (!requests.ok()) return requests.status();
  h.requests = *requests;
  return h;
}

std::string EncodeHeader(const MastersHeader& h, size_t requests) {
  return fmt::format(
      R"({{"format":"{}","version":{},"model":{},"model_version":{},"weights_sha256":{},"faultdrill_version":{},)"
      R"("recorded_at":{},"scenario":{},"requests":{}}})",
      kFormat, kMastersVersion, JsonString(h.model), JsonString(h.model_version), JsonString(h.weights_sha256),
      JsonString(h.faultdrill_version), JsonString(h.recorded_at), JsonString(h.scenario), requests);
}

absl::StatusOr<MasterResponse> DecodeResponse(const json& j, Sidecar& sidecar) {
  if (!j.is_object()) return absl::InvalidArgumentError("each request line must be a JSON object");
  if (absl::Status s = CheckKeys(j, {"request_index", "request_id", "outputs"}, "a request line"); !s.ok()) return s;
  MasterResponse response;
  absl::StatusOr<uint64_t> index = ReadCount(j, "request_index");
  if (!index.ok()) return index.status();
  response.request_index = *index;
  if (absl::Status s = ReadString(j, "request_id", false, &response.request_id); !s.ok()) return s;
  if (!j.contains("outputs") || !j["outputs"].is_array())
    return absl::InvalidArgumentError("missing \"outputs\" (an array)");
  for (const json& output : j["outputs"]) {
    absl::StatusOr<MasterTensor> tensor = DecodeTensor(output, sidecar);
    if (!tensor.ok()) return tensor.status();
    if (response.FindOutput(tensor->name) != nullptr) {
      return absl::InvalidArgumentError(fmt::format("output '{}' appears twice", tensor->name));
    }
    response.outputs.push_back(std::move(*tensor));
  }
  return response;
}

absl::StatusOr<std::string> EncodeResponse(const MasterResponse& response, std::string* sidecar) {
  std::string line = fmt::format(R"({{"request_index":{},)", response.request_index);
  if (!response.request_id.empty()) line += fmt::format(R"("request_id":{},)", JsonString(response.request_id));
  line += "\"outputs\":[";
  for (size_t i = 0; i < response.outputs.size(); ++i) {
    const MasterTensor& tensor = response.outputs[i];
    absl::StatusOr<OutputTensor> view = tensor.View();
    if (!view.ok()) {
      return absl::InvalidArgumentError(
          fmt::format("request {}: {}", response.request_index, std::string(view.status().message())));
    }
    if (i > 0) line += ',';
    line += EncodeTensor(tensor, *view, sidecar);
  }
  return line + "]}";
}

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

absl::StatusOr<Masters> Masters::Load(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return Parse(*text, path);
}

absl::StatusOr<Masters> Masters::Parse(std::string_view text, const std::string& path) {
  std::string_view rest = text;
  if (rest.empty()) return absl::InvalidArgumentError(fmt::format("{}: empty file (no header line)", path));
  Sidecar sidecar(SidecarPath(path));
  Masters masters;
  std::optional<Header> header;
  size_t line_number = 0;
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    ++line_number;
    absl::StatusOr<json> j = ParseLine(line);
    if (!j.ok()) return At(path, line_number, j.status());
    if (!header) {
      absl::StatusOr<Header> h = DecodeHeader(*j);
      if (!h.ok()) return At(path, line_number, h.status());
      header = std::move(*h);
      masters.header_ = header->header;
      continue;
    }
    if (masters.responses_.size() == header->requests) {
      return At(path, line_number,
                absl::InvalidArgumentError(
                    fmt::format("more request lines than the {} the header promises", header->requests)));
    }
    absl::StatusOr<MasterResponse> response = DecodeResponse(*j, sidecar);
    if (!response.ok()) return At(path, line_number, response.status());
    if (absl::Status s = masters.Add(std::move(*response)); !s.ok()) {
      return At(path, line_number, absl::InvalidArgumentError(std::string(s.message())));
    }
  }
  if (masters.responses_.size() != header->requests) {
    return absl::InvalidArgumentError(
        fmt::format("{}: truncated: the header promises {} requests, the file holds {} (re-record the masters)", path,
                    header->requests, masters.responses_.size()));
  }
  return masters;
}

absl::Status Masters::Save(const std::string& path) const {
  std::vector<const MasterResponse*> ordered;
  ordered.reserve(responses_.size());
  for (const MasterResponse& r : responses_) ordered.push_back(&r);
  std::sort(ordered.begin(), ordered.end(),
            [](const MasterResponse* a, const MasterResponse* b) { return a->request_index < b->request_index; });
  std::string text = EncodeHeader(header_, responses_.size()) + "\n";
  std::string sidecar;
  for (const MasterResponse* response : ordered) {
    absl::StatusOr<std::string> line = EncodeResponse(*response, &sidecar);
    if (!line.ok()) return line.status();
    text += *line;
    text += '\n';
  }
  if (!sidecar.empty()) {
    if (absl::Status s = WriteFileAtomically(SidecarPath(path), sidecar); !s.ok()) return s;
  }
  if (absl::Status s = WriteFileAtomically(path, text); !s.ok()) return s;
  return sidecar.empty() ? RemoveFileIfExists(SidecarPath(path)) : absl::OkStatus();
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
