#include "golden/masters_lines.h"

#include <algorithm>

#include "core/json_text.h"
#include "fmt/format.h"

namespace faultdrill::golden {
namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "faultdrill-golden";

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

}  // namespace

using nlohmann::json;

absl::Status AtLine(const std::string& path, size_t line, const absl::Status& status) {
  return absl::Status(status.code(), fmt::format("{}:{}: {}", path, line, std::string(status.message())));
}

// Depth-checked before parsing, every error located (core/json_text.h): a
// hostile line can neither overflow the stack nor throw.
absl::StatusOr<json> ParseMastersLine(std::string_view line) {
  JsonTextPosition where;
  absl::StatusOr<json> j = ParseJsonText(line, &where);
  if (!j.ok()) {
    return absl::InvalidArgumentError(fmt::format("column {}: {}", where.column, std::string(j.status().message())));
  }
  return j;
}

absl::StatusOr<MastersFileHeader> DecodeMastersHeader(const json& j) {
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
  MastersFileHeader h;
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

std::string EncodeMastersHeader(const MastersHeader& h, size_t requests) {
  return fmt::format(
      R"({{"format":"{}","version":{},"model":{},"model_version":{},"weights_sha256":{},"faultdrill_version":{},)"
      R"("recorded_at":{},"scenario":{},"requests":{}}})",
      kFormat, kMastersVersion, JsonString(h.model), JsonString(h.model_version), JsonString(h.weights_sha256),
      JsonString(h.faultdrill_version), JsonString(h.recorded_at), JsonString(h.scenario), requests);
}

absl::StatusOr<MasterResponse> DecodeMasterResponse(const json& j, Sidecar& sidecar) {
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

absl::StatusOr<std::string> EncodeMasterResponse(const MasterResponse& response, const BlobSink& sidecar) {
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
    absl::StatusOr<std::string> encoded = EncodeTensor(tensor, *view, sidecar);
    if (!encoded.ok()) return encoded.status();
    line += *encoded;
  }
  return line + "]}";
}

}  // namespace faultdrill::golden
