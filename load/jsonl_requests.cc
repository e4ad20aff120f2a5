#include "load/jsonl_requests.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"

namespace faultdrill::load {
namespace {

static_assert(std::endian::native == std::endian::little, "raw tensors are little-endian");

using Json = nlohmann::json;
using Tensor = inference::ModelInferRequest::InferInputTensor;

absl::Status Invalid(absl::string_view message) { return absl::InvalidArgumentError(message); }

void Flatten(const Json& data, std::vector<const Json*>& out) {
  if (data.is_array()) {
    for (const Json& item : data) Flatten(item, out);
  } else {
    out.push_back(&data);
  }
}

absl::Status ParseParameter(const std::string& key, const Json& value, inference::InferParameter& out) {
  if (value.is_boolean()) {
    out.set_bool_param(value.get<bool>());
  } else if (value.is_number_unsigned() && value.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max())) {
    out.set_uint64_param(value.get<uint64_t>());
  } else if (value.is_number_integer()) {
    out.set_int64_param(value.get<int64_t>());
  } else if (value.is_number_float()) {
    out.set_double_param(value.get<double>());
  } else if (value.is_string()) {
    out.set_string_param(value.get<std::string>());
  } else {
    return Invalid(absl::StrCat("parameter \"", key, "\" must be a bool, number or string"));
  }
  return absl::OkStatus();
}

absl::Status ParseParameters(const Json& object, const std::string& where,
                             google::protobuf::Map<std::string, inference::InferParameter>& out) {
  if (!object.is_object()) return Invalid(absl::StrCat(where, "\"parameters\" must be an object"));
  for (const auto& [key, value] : object.items()) {
    absl::Status s = ParseParameter(key, value, out[key]);
    if (!s.ok()) return Invalid(absl::StrCat(where, s.message()));
  }
  return absl::OkStatus();
}

// Appends one element as `T` to the raw buffer.
template <typename T>
void AppendRaw(std::string& raw, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  raw.append(bytes, sizeof(T));
}

template <typename T>
absl::StatusOr<T> AsInteger(const Json& v) {
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > uint64_t(std::numeric_limits<T>::max())) return Invalid("out of range");
    return T(u);
  }
  if (v.is_number_integer()) {
    const int64_t i = v.get<int64_t>();
    if constexpr (std::is_unsigned_v<T>) {
      if (i < 0 || uint64_t(i) > uint64_t(std::numeric_limits<T>::max())) return Invalid("out of range");
    } else {
      if (i < int64_t(std::numeric_limits<T>::min()) || i > int64_t(std::numeric_limits<T>::max())) {
        return Invalid("out of range");
      }
    }
    return T(i);
  }
  return Invalid("expected an integer");
}

// Converts every element for one datatype. `typed` appends to the typed
// contents, `raw` receives the little-endian bytes when non-null.
absl::Status FillElements(absl::string_view datatype, const std::vector<const Json*>& elems,
                          inference::InferTensorContents& typed, std::string* raw) {
  auto fail = [](size_t i, absl::string_view why) {
    return Invalid(absl::StrCat("element ", i, ": ", why));
  };
  auto integers = [&]<typename T>(auto append) -> absl::Status {
    for (size_t i = 0; i < elems.size(); ++i) {
      absl::StatusOr<T> v = AsInteger<T>(*elems[i]);
      if (!v.ok()) return fail(i, absl::StrCat(v.status().message(), " for ", datatype));
      if (raw) {
        AppendRaw<T>(*raw, *v);
      } else {
        append(*v);
      }
    }
    return absl::OkStatus();
  };
  if (datatype == "BOOL") {
    for (size_t i = 0; i < elems.size(); ++i) {
      if (!elems[i]->is_boolean()) return fail(i, "expected true or false for BOOL");
      const bool b = elems[i]->get<bool>();
      if (raw) {
        AppendRaw<uint8_t>(*raw, b ? 1 : 0);
      } else {
        typed.add_bool_contents(b);
      }
    }
    return absl::OkStatus();
  }
  if (datatype == "INT8") return integers.operator()<int8_t>([&](int8_t v) { typed.add_int_contents(v); });
  if (datatype == "INT16") return integers.operator()<int16_t>([&](int16_t v) { typed.add_int_contents(v); });
  if (datatype == "INT32") return integers.operator()<int32_t>([&](int32_t v) { typed.add_int_contents(v); });
  if (datatype == "INT64") return integers.operator()<int64_t>([&](int64_t v) { typed.add_int64_contents(v); });
  if (datatype == "UINT8") return integers.operator()<uint8_t>([&](uint8_t v) { typed.add_uint_contents(v); });
  if (datatype == "UINT16") return integers.operator()<uint16_t>([&](uint16_t v) { typed.add_uint_contents(v); });
  if (datatype == "UINT32") return integers.operator()<uint32_t>([&](uint32_t v) { typed.add_uint_contents(v); });
  if (datatype == "UINT64") return integers.operator()<uint64_t>([&](uint64_t v) { typed.add_uint64_contents(v); });
  if (datatype == "FP32" || datatype == "FP64") {
    for (size_t i = 0; i < elems.size(); ++i) {
      if (!elems[i]->is_number()) return fail(i, absl::StrCat("expected a number for ", datatype));
      const double d = elems[i]->get<double>();
      if (datatype == "FP32") {
        if (raw) {
          AppendRaw<float>(*raw, float(d));
        } else {
          typed.add_fp32_contents(float(d));
        }
      } else if (raw) {
        AppendRaw<double>(*raw, d);
      } else {
        typed.add_fp64_contents(d);
      }
    }
    return absl::OkStatus();
  }
  if (datatype == "BYTES") {
    for (size_t i = 0; i < elems.size(); ++i) {
      if (!elems[i]->is_string()) return fail(i, "expected a string for BYTES");
      const std::string& s = elems[i]->get_ref<const std::string&>();
      if (raw) {
        AppendRaw<uint32_t>(*raw, uint32_t(s.size()));
        raw->append(s);
      } else {
        typed.add_bytes_contents(s);
      }
    }
    return absl::OkStatus();
  }
  return Invalid(absl::StrCat("unknown datatype \"", datatype,
                              "\" (expected BOOL, UINT8..UINT64, INT8..INT64, FP32, FP64 or BYTES)"));
}

absl::Status ParseInput(const Json& in, size_t index, bool raw, inference::ModelInferRequest& request) {
  const std::string where = absl::StrCat("inputs[", index, "]: ");
  if (!in.is_object()) return Invalid(absl::StrCat(where, "must be an object"));
  auto name = in.find("name");
  if (name == in.end() || !name->is_string() || name->get_ref<const std::string&>().empty()) {
    return Invalid(absl::StrCat(where, "missing \"name\""));
  }
  const std::string label = absl::StrCat("input \"", name->get_ref<const std::string&>(), "\": ");
  auto datatype = in.find("datatype");
  if (datatype == in.end() || !datatype->is_string()) return Invalid(absl::StrCat(label, "missing \"datatype\""));
  auto shape = in.find("shape");
  if (shape == in.end() || !shape->is_array()) return Invalid(absl::StrCat(label, "missing \"shape\""));
  auto data = in.find("data");
  if (data == in.end()) return Invalid(absl::StrCat(label, "missing \"data\""));

  Tensor& tensor = *request.add_inputs();
  tensor.set_name(name->get<std::string>());
  tensor.set_datatype(datatype->get<std::string>());
  uint64_t expected = 1;
  for (const Json& dim : *shape) {
    if (!dim.is_number_integer() || dim.get<int64_t>() < 0) {
      return Invalid(absl::StrCat(label, "\"shape\" must hold non-negative integers"));
    }
    const uint64_t d = uint64_t(dim.get<int64_t>());
    if (d != 0 && expected > (uint64_t{1} << 40) / d) return Invalid(absl::StrCat(label, "\"shape\" is too large"));
    expected *= d;
    tensor.add_shape(int64_t(d));
  }
  if (auto params = in.find("parameters"); params != in.end()) {
    absl::Status s = ParseParameters(*params, label, *tensor.mutable_parameters());
    if (!s.ok()) return s;
  }
  std::vector<const Json*> elems;
  Flatten(*data, elems);
  std::string* raw_bytes = raw ? request.add_raw_input_contents() : nullptr;
  absl::Status s = FillElements(tensor.datatype(), elems, *tensor.mutable_contents(), raw_bytes);
  if (!s.ok()) return Invalid(absl::StrCat(label, s.message()));
  if (elems.size() != expected) {
    return Invalid(absl::StrCat(label, "data has ", elems.size(), " elements but shape [",
                                absl::StrJoin(tensor.shape(), ","), "] needs ", expected));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<inference::ModelInferRequest> ParseJsonInferRequest(const Json& json, const std::string& model,
                                                                   const std::string& version) {
  if (!json.is_object()) return Invalid("a request must be a JSON object");
  inference::ModelInferRequest request;
  auto string_field = [&](const char* key, const std::string& fallback, std::string* out) -> absl::Status {
    auto it = json.find(key);
    if (it == json.end()) {
      *out = fallback;
    } else if (!it->is_string()) {
      return Invalid(absl::StrCat("\"", key, "\" must be a string"));
    } else {
      *out = it->get<std::string>();
    }
    return absl::OkStatus();
  };
  if (absl::Status s = string_field("id", "", request.mutable_id()); !s.ok()) return s;
  if (absl::Status s = string_field("model_name", model, request.mutable_model_name()); !s.ok()) return s;
  if (absl::Status s = string_field("model_version", version, request.mutable_model_version()); !s.ok()) return s;
  if (request.model_name().empty()) return Invalid("missing \"model_name\" and no model given");
  if (auto params = json.find("parameters"); params != json.end()) {
    if (absl::Status s = ParseParameters(*params, "", *request.mutable_parameters()); !s.ok()) return s;
  }
  bool raw = false;
  if (auto it = json.find("raw"); it != json.end()) {
    if (!it->is_boolean()) return Invalid("\"raw\" must be true or false");
    raw = it->get<bool>();
  }
  auto inputs = json.find("inputs");
  if (inputs == json.end() || !inputs->is_array() || inputs->empty()) {
    return Invalid("missing \"inputs\" (a non-empty array)");
  }
  for (size_t i = 0; i < inputs->size(); ++i) {
    if (absl::Status s = ParseInput((*inputs)[i], i, raw, request); !s.ok()) return s;
  }
  if (auto outputs = json.find("outputs"); outputs != json.end()) {
    if (!outputs->is_array()) return Invalid("\"outputs\" must be an array");
    for (size_t i = 0; i < outputs->size(); ++i) {
      const Json& out = (*outputs)[i];
      auto name = out.is_object() ? out.find("name") : out.end();
      if (!out.is_object() || name == out.end() || !name->is_string()) {
        return Invalid(absl::StrCat("outputs[", i, "]: missing \"name\""));
      }
      auto* requested = request.add_outputs();
      requested->set_name(name->get<std::string>());
      if (auto params = out.find("parameters"); params != out.end()) {
        absl::Status s = ParseParameters(*params, absl::StrCat("output \"", requested->name(), "\": "),
                                         *requested->mutable_parameters());
        if (!s.ok()) return s;
      }
    }
  }
  return request;
}

absl::StatusOr<std::unique_ptr<RequestSource>> LoadJsonlRequests(const std::string& path, const std::string& model,
                                                                  const std::string& version) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open the requests file"));
  std::vector<inference::ModelInferRequest> requests;
  std::string line;
  size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Json json = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return Invalid(absl::StrCat(path, ":", line_number, ": not valid JSON"));
    absl::StatusOr<inference::ModelInferRequest> request = ParseJsonInferRequest(json, model, version);
    if (!request.ok()) return Invalid(absl::StrCat(path, ":", line_number, ": ", request.status().message()));
    requests.push_back(*std::move(request));
  }
  if (in.bad()) return absl::InvalidArgumentError(absl::StrCat(path, ": read error"));
  if (requests.empty()) return Invalid(absl::StrCat(path, ":", line_number == 0 ? 1 : line_number, ": no requests in the file"));
  return std::unique_ptr<RequestSource>(std::make_unique<VectorRequestSource>(std::move(requests)));
}

}  // namespace faultdrill::load
