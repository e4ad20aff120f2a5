#include "injectors/poison_variants.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "load/status_code_name.h"

namespace faultdrill::injectors {
namespace {

using Request = inference::ModelInferRequest;
using Input = inference::ModelInferRequest::InferInputTensor;
using Code = grpc::StatusCode;

constexpr StatusCodeSet kInvalid = CodeBit(Code::INVALID_ARGUMENT);
constexpr StatusCodeSet kInvalidOrOk = CodeBit(Code::INVALID_ARGUMENT) | CodeBit(Code::OK);
constexpr StatusCodeSet kNotFound = CodeBit(Code::NOT_FOUND);
constexpr StatusCodeSet kTooLarge = CodeBit(Code::RESOURCE_EXHAUSTED);

// What the planned request a variant starts from must have.
enum class Base { kInput, kFp32, kBytes, kParameter };

constexpr std::string_view NeedsText(Base base) {
  switch (base) {
    case Base::kInput: return "an input";
    case Base::kFp32: return "an FP32 input";
    case Base::kBytes: return "a BYTES input";
    case Base::kParameter: return "a request parameter";
  }
  return "";
}

// Breaks `r` (a copy of the base request) at input `in`; false when the
// variant cannot be made from this request.
using Builder = bool (*)(Request& r, int in, const PoisonBuildOptions& options);

struct Entry {
  PoisonVariantInfo info;
  Base base;
  Builder build;
};

bool IsRaw(const Request& r) { return r.raw_input_contents_size() > 0; }

template <typename T>
void Put(std::string& out, T value, size_t width = sizeof(T)) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, width);  // little-endian: the low `width` bytes
}

// The raw (row-major little-endian) form of a typed input; nullopt for a
// datatype with no typed form.
std::optional<std::string> EncodeTyped(const Input& input) {
  const auto& c = input.contents();
  const std::string& type = input.datatype();
  std::string out;
  if (type == "FP32") {
    for (float v : c.fp32_contents()) Put(out, v);
  } else if (type == "FP64") {
    for (double v : c.fp64_contents()) Put(out, v);
  } else if (type == "INT8" || type == "INT16" || type == "INT32") {
    const size_t width = type == "INT8" ? 1 : type == "INT16" ? 2 : 4;
    for (int32_t v : c.int_contents()) Put(out, v, width);
  } else if (type == "INT64") {
    for (int64_t v : c.int64_contents()) Put(out, v);
  } else if (type == "UINT8" || type == "UINT16" || type == "UINT32") {
    const size_t width = type == "UINT8" ? 1 : type == "UINT16" ? 2 : 4;
    for (uint32_t v : c.uint_contents()) Put(out, v, width);
  } else if (type == "UINT64") {
    for (uint64_t v : c.uint64_contents()) Put(out, v);
  } else if (type == "BOOL") {
    for (bool v : c.bool_contents()) Put(out, uint8_t{v});
  } else if (type == "BYTES") {
    for (const std::string& v : c.bytes_contents()) {
      Put(out, static_cast<uint32_t>(v.size()));
      out += v;
    }
  } else {
    return std::nullopt;
  }
  return out;
}

// Moves every input of a typed request to raw_input_contents.
bool ToRaw(Request& r) {
  if (IsRaw(r)) return true;
  std::vector<std::string> raws;
  for (const Input& input : r.inputs()) {
    std::optional<std::string> raw = EncodeTyped(input);
    if (!raw) return false;
    raws.push_back(*std::move(raw));
  }
  for (Input& input : *r.mutable_inputs()) input.clear_contents();
  for (std::string& raw : raws) r.add_raw_input_contents(std::move(raw));
  return true;
}

int64_t Fp32Count(const Request& r, int in) {
  return IsRaw(r) ? int64_t(r.raw_input_contents(in).size() / 4) : r.inputs(in).contents().fp32_contents_size();
}

void SetFp32(Request& r, int in, int64_t element, float value) {
  if (IsRaw(r)) {
    std::memcpy(r.mutable_raw_input_contents(in)->data() + element * 4, &value, 4);
  } else {
    r.mutable_inputs(in)->mutable_contents()->set_fp32_contents(int(element), value);
  }
}

bool SetFirstFp32(Request& r, int in, float value) {
  if (Fp32Count(r, in) == 0) return false;
  SetFp32(r, in, 0, value);
  return true;
}

// Replaces the first BYTES element of input `in`.
bool SetFirstBytes(Request& r, int in, const std::string& value) {
  if (!IsRaw(r)) {
    if (r.inputs(in).contents().bytes_contents_size() == 0) return false;
    r.mutable_inputs(in)->mutable_contents()->set_bytes_contents(0, value);
    return true;
  }
  std::string& raw = *r.mutable_raw_input_contents(in);
  uint32_t length = 0;
  if (raw.size() < 4) return false;
  std::memcpy(&length, raw.data(), 4);
  if (raw.size() - 4 < length) return false;
  std::string rebuilt;
  Put(rebuilt, static_cast<uint32_t>(value.size()));
  rebuilt += value;
  rebuilt.append(raw, 4 + length);
  raw = std::move(rebuilt);
  return true;
}

void CopyInput(Request& r, int in, const std::string& name) {
  Input copy = r.inputs(in);
  if (!name.empty()) copy.set_name(name);
  *r.add_inputs() = std::move(copy);
  if (IsRaw(r)) {
    std::string raw = r.raw_input_contents(in);
    r.add_raw_input_contents(std::move(raw));
  }
}

void SetDim0(Request& r, int in, int64_t value) {
  Input& input = *r.mutable_inputs(in);
  if (input.shape_size() == 0) {
    input.add_shape(value);
  } else {
    input.set_shape(0, value);
  }
}

// One value of zero in the typed field that `datatype` uses.
void AddTypedZero(Input& input) {
  auto& c = *input.mutable_contents();
  const std::string& type = input.datatype();
  if (type == "FP32") c.add_fp32_contents(0);
  else if (type == "FP64") c.add_fp64_contents(0);
  else if (type == "INT64") c.add_int64_contents(0);
  else if (type == "UINT64") c.add_uint64_contents(0);
  else if (type.starts_with("UINT")) c.add_uint_contents(0);
  else if (type == "BOOL") c.add_bool_contents(false);
  else if (type == "BYTES") c.add_bytes_contents()->push_back('x');
  else c.add_int_contents(0);
}

const std::vector<Entry>& Catalogue() {
  static const std::vector<Entry>* entries = new std::vector<Entry>{
      {{"nan", "one FP32 element is NaN", "", kInvalidOrOk, false}, Base::kFp32,
       [](Request& r, int in, const PoisonBuildOptions&) {
         return SetFirstFp32(r, in, std::numeric_limits<float>::quiet_NaN());
       }},
      {{"pos-inf", "one FP32 element is +Inf", "", kInvalidOrOk, false}, Base::kFp32,
       [](Request& r, int in, const PoisonBuildOptions&) {
         return SetFirstFp32(r, in, std::numeric_limits<float>::infinity());
       }},
      {{"neg-inf", "one FP32 element is -Inf", "", kInvalidOrOk, false}, Base::kFp32,
       [](Request& r, int in, const PoisonBuildOptions&) {
         return SetFirstFp32(r, in, -std::numeric_limits<float>::infinity());
       }},
      {{"denormal", "every FP32 element is the smallest denormal", "", kInvalidOrOk, false}, Base::kFp32,
       [](Request& r, int in, const PoisonBuildOptions&) {
         const int64_t count = Fp32Count(r, in);
         for (int64_t i = 0; i < count; ++i) SetFp32(r, in, i, std::numeric_limits<float>::denorm_min());
         return count > 0;
       }},
      {{"wrong-shape", "an input has one dimension more (a trailing 1)", "", kInvalid, true}, Base::kInput,
       [](Request& r, int in, const PoisonBuildOptions&) {
         r.mutable_inputs(in)->add_shape(1);
         return true;
       }},
      {{"wrong-datatype", "an input declares another real datatype (INT32 or FP32)", "", kInvalid, true},
       Base::kInput,
       [](Request& r, int in, const PoisonBuildOptions&) {
         Input& input = *r.mutable_inputs(in);
         input.set_datatype(input.datatype() == "INT32" ? "FP32" : "INT32");
         return true;
       }},
      {{"unknown-datatype", "an input declares the datatype FP33", "", kInvalid, true}, Base::kInput,
       [](Request& r, int in, const PoisonBuildOptions&) {
         r.mutable_inputs(in)->set_datatype("FP33");
         return true;
       }},
      {{"missing-input", "an input is left out", "", kInvalid, true}, Base::kInput,
       [](Request& r, int in, const PoisonBuildOptions&) {
         r.mutable_inputs()->DeleteSubrange(in, 1);
         if (IsRaw(r)) r.mutable_raw_input_contents()->DeleteSubrange(in, 1);
         return true;
       }},
      {{"unknown-input", "an input is renamed to a name the model does not have", "", kInvalid, true},
       Base::kInput,
       [](Request& r, int in, const PoisonBuildOptions&) {
         r.mutable_inputs(in)->set_name("FAULTDRILL_POISON_NO_SUCH_INPUT");
         return true;
       }},
      {{"extra-input", "an input the model does not have is added", "", kInvalid, true}, Base::kInput,
       [](Request& r, int in, const PoisonBuildOptions&) {
         CopyInput(r, in, "FAULTDRILL_POISON_EXTRA_INPUT");
         return true;
       }},
      {{"duplicate-input", "an input is given twice under the same name", "", kInvalid, true}, Base::kInput,
       [](Request& r, int in, const PoisonBuildOptions&) {
         CopyInput(r, in, "");
         return true;
       }},
      {{"empty-tensor", "an input has dimension 0 of size 0 and no data", "", kInvalid, true}, Base::kInput,
       [](Request& r, int in, const PoisonBuildOptions&) {
         SetDim0(r, in, 0);
         r.mutable_inputs(in)->clear_contents();
         if (IsRaw(r)) r.mutable_raw_input_contents(in)->clear();
         return true;
       }},
      {{"huge-dimension", "dimension 0 of an input is 2^63-1", "", kInvalid, true}, Base::kInput,
       [](Request& r, int in, const PoisonBuildOptions&) {
         SetDim0(r, in, std::numeric_limits<int64_t>::max());
         return true;
       }},
      {{"negative-dimension", "dimension 0 of an input is -1", "", kInvalid, true}, Base::kInput,
       [](Request& r, int in, const PoisonBuildOptions&) {
         SetDim0(r, in, -1);
         return true;
       }},
      {{"shape-data-mismatch", "dimension 0 is one more than the data holds", "", kInvalid, true}, Base::kInput,
       [](Request& r, int in, const PoisonBuildOptions&) {
         const Input& input = r.inputs(in);
         SetDim0(r, in, input.shape_size() == 0 ? 2 : input.shape(0) + 1);
         return true;
       }},
      {{"raw-and-typed", "an input has typed contents and raw_input_contents at once", "", kInvalid, true},
       Base::kInput,
       [](Request& r, int in, const PoisonBuildOptions&) {
         if (IsRaw(r)) {
           AddTypedZero(*r.mutable_inputs(in));
           return true;
         }
         Request raw = r;
         if (!ToRaw(raw)) return false;
         *r.mutable_raw_input_contents() = raw.raw_input_contents();
         return true;
       }},
      {{"truncated-raw", "the raw bytes of an input lack their last byte", "", kInvalid, true}, Base::kInput,
       [](Request& r, int in, const PoisonBuildOptions&) {
         if (!ToRaw(r) || r.raw_input_contents(in).empty()) return false;
         r.mutable_raw_input_contents(in)->pop_back();
         return true;
       }},
      {{"raw-count-mismatch", "raw_input_contents has one entry more than there are inputs", "", kInvalid, true},
       Base::kInput,
       [](Request& r, int in, const PoisonBuildOptions&) {
         if (!ToRaw(r)) return false;
         std::string extra = r.raw_input_contents(in);
         r.add_raw_input_contents(std::move(extra));
         return true;
       }},
      {{"invalid-utf8", "a BYTES element is not valid UTF-8", "", kInvalid, true}, Base::kBytes,
       [](Request& r, int in, const PoisonBuildOptions&) {
         return SetFirstBytes(r, in, std::string("faultdrill \xc3\x28 \xff\xfe"));
       }},
      {{"oversized-message", "the message is larger than the server accepts (oversized_bytes)", "", kTooLarge,
        false},
       Base::kInput,
       [](Request& r, int, const PoisonBuildOptions& options) {
         (*r.mutable_parameters())["faultdrill_poison_padding"].set_string_param(
             std::string(options.oversized_bytes, 'x'));
         return true;
       }},
      {{"unknown-model", "the request names a model the server does not have", "", kNotFound, false},
       Base::kInput,
       [](Request& r, int, const PoisonBuildOptions&) {
         r.set_model_name("faultdrill-poison-no-such-model");
         return true;
       }},
      {{"bad-version", "the request names model version 999999", "", kNotFound, false}, Base::kInput,
       [](Request& r, int, const PoisonBuildOptions&) {
         r.set_model_version("999999");
         return true;
       }},
      {{"absurd-parameters", "every request parameter has an absurd value (2^63-1, NaN, 64 KiB)", "", kInvalid,
        true},
       Base::kParameter,
       [](Request& r, int, const PoisonBuildOptions&) {
         for (auto& [name, value] : *r.mutable_parameters()) {
           switch (value.parameter_choice_case()) {
             case inference::InferParameter::kInt64Param:
               value.set_int64_param(std::numeric_limits<int64_t>::max());
               break;
             case inference::InferParameter::kDoubleParam:
               value.set_double_param(std::numeric_limits<double>::quiet_NaN());
               break;
             case inference::InferParameter::kUint64Param:
               value.set_uint64_param(std::numeric_limits<uint64_t>::max());
               break;
             default:
               value.set_string_param(std::string(64 << 10, '\xff'));
           }
         }
         return true;
       }},
      {{"parameter-type", "every request parameter has the wrong type", "", kInvalid, true}, Base::kParameter,
       [](Request& r, int, const PoisonBuildOptions&) {
         for (auto& [name, value] : *r.mutable_parameters()) {
           if (value.parameter_choice_case() == inference::InferParameter::kStringParam) {
             value.set_int64_param(-1);
           } else {
             value.set_string_param("faultdrill-poison");
           }
         }
         return true;
       }},
      {{"unknown-output", "the request asks for an output the model does not have", "", kInvalid, true},
       Base::kInput,
       [](Request& r, int, const PoisonBuildOptions&) {
         r.add_outputs()->set_name("FAULTDRILL_POISON_NO_SUCH_OUTPUT");
         return true;
       }},
      {{"wrong-contents-field", "typed values sit in a field that does not match the datatype", "", kInvalid,
        true},
       Base::kInput,
       [](Request& r, int in, const PoisonBuildOptions&) {
         if (IsRaw(r)) return false;
         Input& input = *r.mutable_inputs(in);
         std::optional<std::string> raw = EncodeTyped(input);
         if (!raw || raw->empty()) return false;
         const bool is_float = input.datatype() == "FP32" || input.datatype() == "FP64";
         const int count = std::max(1, input.contents().fp32_contents_size() + input.contents().fp64_contents_size() +
                                           input.contents().int_contents_size() +
                                           input.contents().bytes_contents_size());
         input.clear_contents();
         for (int i = 0; i < count; ++i) {
           if (is_float) {
             input.mutable_contents()->add_int_contents(0);
           } else {
             input.mutable_contents()->add_fp32_contents(0);
           }
         }
         return true;
       }},
  };
  return *entries;
}

// The first planned request `base` applies to and the input to break.
std::optional<std::pair<const Request*, int>> FindBase(Base base, const load::RequestSource& planned) {
  const size_t look = std::min<size_t>(planned.size(), 512);
  for (size_t i = 0; i < look; ++i) {
    const Request& r = planned.At(i);
    if (base == Base::kParameter) {
      if (r.parameters_size() > 0 && r.inputs_size() > 0) return std::make_pair(&r, 0);
      continue;
    }
    for (int in = 0; in < r.inputs_size(); ++in) {
      const std::string& type = r.inputs(in).datatype();
      if (base == Base::kInput || (base == Base::kFp32 && type == "FP32") ||
          (base == Base::kBytes && type == "BYTES")) {
        return std::make_pair(&r, in);
      }
    }
  }
  return std::nullopt;
}

const Entry* FindEntry(std::string_view name) {
  for (const Entry& entry : Catalogue()) {
    if (entry.info.name == name) return &entry;
  }
  return nullptr;
}

}  // namespace

std::string FormatCodeSet(StatusCodeSet set) {
  std::string text;
  for (size_t code = 0; code < load::kStatusCodeCount; ++code) {
    if ((set & (StatusCodeSet{1} << code)) == 0) continue;
    if (!text.empty()) text += "|";
    text += load::StatusCodeName(static_cast<grpc::StatusCode>(code));
  }
  return text;
}

std::optional<grpc::StatusCode> ParseStatusCodeName(std::string_view name) {
  for (size_t code = 0; code < load::kStatusCodeCount; ++code) {
    if (load::StatusCodeName(static_cast<grpc::StatusCode>(code)) == name) return static_cast<grpc::StatusCode>(code);
  }
  return std::nullopt;
}

const std::vector<PoisonVariantInfo>& PoisonVariants() {
  static const std::vector<PoisonVariantInfo>* infos = [] {
    auto* out = new std::vector<PoisonVariantInfo>();
    for (const Entry& entry : Catalogue()) {
      PoisonVariantInfo info = entry.info;
      info.needs = NeedsText(entry.base);
      out->push_back(info);
    }
    return out;
  }();
  return *infos;
}

const PoisonVariantInfo* FindPoisonVariant(std::string_view name) {
  for (const PoisonVariantInfo& info : PoisonVariants()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

absl::StatusOr<inference::ModelInferRequest> BuildPoisonVariant(std::string_view name,
                                                                const load::RequestSource& planned,
                                                                const PoisonBuildOptions& options) {
  const Entry* entry = FindEntry(name);
  if (entry == nullptr) return absl::InvalidArgumentError(fmt::format("unknown poison variant '{}'", name));
  auto base = FindBase(entry->base, planned);
  if (!base) {
    return absl::FailedPreconditionError(fmt::format("variant '{}' needs a planned request with {}; the load has none",
                                                     name, NeedsText(entry->base)));
  }
  Request poisoned = *base->first;
  if (!entry->build(poisoned, base->second, options)) {
    return absl::FailedPreconditionError(
        fmt::format("variant '{}' cannot be made from the load's requests (datatype {} has no typed form, or the "
                    "input holds no values)",
                    name, base->first->inputs(base->second).datatype()));
  }
  poisoned.set_id(fmt::format("faultdrill-poison-{}", name));
  return poisoned;
}

}  // namespace faultdrill::injectors
