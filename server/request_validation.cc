#include "server/request_validation.h"

#include <cmath>
#include <set>

#include "absl/status/status.h"
#include "server/strings.h"
#include "absl/strings/str_join.h"
#include "server/tensor_codec.h"

namespace faultdrill::server {
namespace {

absl::Status Invalid(std::string_view tensor, std::string_view message) {
  return absl::InvalidArgumentError(Cat("input '", tensor, "': ", message));
}

std::string InputNames(const ModelSignature& signature) {
  return absl::StrJoin(signature.inputs, ", ",
                       [](std::string* out, const TensorSignature& t) { out->append(t.name); });
}

absl::Status CheckShape(const inference::ModelInferRequest::InferInputTensor& input,
                        const TensorSignature& expected) {
  const std::span<const int64_t> shape(input.shape().data(), input.shape().size());
  if (static_cast<size_t>(shape.size()) != expected.shape.size()) {
    return Invalid(input.name(), Cat("shape ", FormatShape(shape), " has rank ",
                                              shape.size(), ", the model expects rank ",
                                              expected.shape.size(), " ",
                                              FormatShape(expected.shape)));
  }
  for (size_t d = 0; d < shape.size(); ++d) {
    const int64_t dim = shape[d];
    if (dim < 0) {
      return Invalid(input.name(), Cat("dimension ", d, " of shape ", FormatShape(shape),
                                                " is negative"));
    }
    const int64_t want = expected.shape[d];
    if (want >= 0 && dim != want) {
      return Invalid(input.name(), Cat("shape ", FormatShape(shape),
                                                " does not match the model's ",
                                                FormatShape(expected.shape)));
    }
    if (want < 0 && (dim < expected.min_dim || dim > expected.max_dim)) {
      return Invalid(input.name(), Cat("dimension ", d, " is ", dim, ", must be ",
                                                expected.min_dim, "..", expected.max_dim));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckValues(const Tensor& tensor, const TensorSignature& expected) {
  if (tensor.type == DataType::kFp32) {
    for (size_t i = 0; i < tensor.fp32.size(); ++i) {
      if (std::isnan(tensor.fp32[i])) {
        return Invalid(tensor.name, Cat("element ", i, " is NaN"));
      }
      if (std::isinf(tensor.fp32[i])) {
        return Invalid(tensor.name, Cat("element ", i, " is infinite"));
      }
      if (expected.max_abs_value > 0 && std::fabs(tensor.fp32[i]) > expected.max_abs_value) {
        return Invalid(tensor.name, Cat("element ", i, " is ", tensor.fp32[i], ", outside +-",
                                        expected.max_abs_value));
      }
    }
  }
  if (tensor.type == DataType::kBytes) {
    for (size_t i = 0; i < tensor.bytes.size(); ++i) {
      const std::string& element = tensor.bytes[i];
      if (element.size() < expected.min_element_bytes) {
        return Invalid(tensor.name, Cat("element ", i, " is ",
                                                 element.empty() ? "empty" : "too short",
                                                 " (at least ", expected.min_element_bytes,
                                                 " bytes)"));
      }
      if (expected.max_element_bytes > 0 && element.size() > expected.max_element_bytes) {
        return Invalid(tensor.name, Cat("element ", i, " is ", element.size(),
                                                 " bytes, at most ", expected.max_element_bytes,
                                                 " are accepted"));
      }
      size_t offset = 0;
      if (!IsValidUtf8(element, &offset)) {
        return Invalid(tensor.name, Cat("element ", i, " is not valid UTF-8 (byte ",
                                                 offset, ")"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Tensor> DecodeInput(const inference::ModelInferRequest& request, int index,
                                   const TensorSignature& expected) {
  const auto& input = request.inputs(index);
  const std::optional<DataType> type = ParseDataType(input.datatype());
  if (!type) {
    return Invalid(input.name(), Cat("unknown datatype '", input.datatype(), "'"));
  }
  if (*type != expected.type) {
    return Invalid(input.name(), Cat("datatype ", input.datatype(),
                                              ", the model expects ",
                                              DataTypeName(expected.type)));
  }
  if (auto s = CheckShape(input, expected); !s.ok()) return s;
  absl::StatusOr<int64_t> count =
      ElementCount({input.shape().data(), static_cast<size_t>(input.shape_size())},
                   kMaxInputElements);
  if (!count.ok()) return Invalid(input.name(), ToStd(count.status().message()));

  Tensor tensor{input.name(), *type, {input.shape().begin(), input.shape().end()}, {}, {}, {}};
  const absl::Status decoded =
      request.raw_input_contents_size() > 0
          ? DecodeRawContents(request.raw_input_contents(index), *count, &tensor)
          : DecodeTypedContents(input.contents(), *count, &tensor);
  if (!decoded.ok()) return Invalid(input.name(), ToStd(decoded.message()));
  if (auto s = CheckValues(tensor, expected); !s.ok()) return s;
  return tensor;
}

absl::StatusOr<ParameterValues> ResolveParameters(const inference::ModelInferRequest& request,
                                                  const ModelSignature& signature) {
  ParameterValues values;
  for (const ParameterSignature& parameter : signature.parameters) {
    const auto it = request.parameters().find(parameter.name);
    if (it == request.parameters().end()) {
      values[parameter.name] = parameter.default_value;
      continue;
    }
    if (it->second.parameter_choice_case() != inference::InferParameter::kInt64Param) {
      return absl::InvalidArgumentError(Cat("parameter '", parameter.name,
                                                     "' must be an int64_param"));
    }
    const int64_t value = it->second.int64_param();
    if (value < parameter.min || value > parameter.max) {
      return absl::InvalidArgumentError(Cat("parameter '", parameter.name, "' is ",
                                                     value, ", must be ", parameter.min, "..",
                                                     parameter.max));
    }
    values[parameter.name] = value;
  }
  return values;
}

absl::StatusOr<std::vector<std::string>> ResolveOutputs(
    const inference::ModelInferRequest& request, const ModelSignature& signature) {
  std::vector<std::string> outputs;
  if (request.outputs_size() == 0) {
    for (const TensorSignature& output : signature.outputs) outputs.push_back(output.name);
    return outputs;
  }
  std::set<std::string, std::less<>> seen;
  for (const auto& requested : request.outputs()) {
    if (signature.FindOutput(requested.name()) == nullptr) {
      return absl::InvalidArgumentError(Cat("requested output '", requested.name(),
                                                     "' does not exist in model ",
                                                     signature.name));
    }
    if (!seen.insert(requested.name()).second) {
      return absl::InvalidArgumentError(
          Cat("output '", requested.name(), "' is requested twice"));
    }
    outputs.push_back(requested.name());
  }
  return outputs;
}

}  // namespace

absl::StatusOr<ValidatedRequest> ValidateInferRequest(const inference::ModelInferRequest& request,
                                                      const ModelSignature& signature) {
  ValidatedRequest validated;
  validated.id = request.id();
  validated.raw_form = request.raw_input_contents_size() > 0;
  if (request.inputs_size() == 0) {
    return absl::InvalidArgumentError(Cat("the request has no inputs; model ",
                                                   signature.name, " takes ",
                                                   InputNames(signature)));
  }
  if (validated.raw_form) {
    if (request.raw_input_contents_size() != request.inputs_size()) {
      return absl::InvalidArgumentError(Cat(
          "raw_input_contents has ", request.raw_input_contents_size(), " entries for ",
          request.inputs_size(), " inputs (one entry per input is required)"));
    }
    for (const auto& input : request.inputs()) {
      if (HasTypedValues(input.contents())) {
        return Invalid(input.name(), "has typed contents while the request also uses "
                                     "raw_input_contents; use one form");
      }
    }
  }
  std::vector<std::optional<Tensor>> by_position(signature.inputs.size());
  for (int i = 0; i < request.inputs_size(); ++i) {
    const std::string& name = request.inputs(i).name();
    size_t position = 0;
    while (position < signature.inputs.size() && signature.inputs[position].name != name) {
      ++position;
    }
    if (position == signature.inputs.size()) {
      return Invalid(name, Cat("model ", signature.name, " has no such input (it takes ",
                                        InputNames(signature), ")"));
    }
    if (by_position[position].has_value()) return Invalid(name, "given more than once");
    absl::StatusOr<Tensor> tensor = DecodeInput(request, i, signature.inputs[position]);
    if (!tensor.ok()) return tensor.status();
    by_position[position] = *std::move(tensor);
  }
  for (size_t position = 0; position < by_position.size(); ++position) {
    if (!by_position[position].has_value()) {
      return Invalid(signature.inputs[position].name, "missing");
    }
    validated.inputs.push_back(*std::move(by_position[position]));
  }
  if (signature.batchable) validated.rows = validated.inputs[0].shape[0];

  absl::StatusOr<ParameterValues> parameters = ResolveParameters(request, signature);
  if (!parameters.ok()) return parameters.status();
  validated.parameters = *std::move(parameters);
  absl::StatusOr<std::vector<std::string>> outputs = ResolveOutputs(request, signature);
  if (!outputs.ok()) return outputs.status();
  validated.outputs = *std::move(outputs);
  return validated;
}

bool IsValidUtf8(std::string_view text, size_t* bad_offset) {
  size_t i = 0;
  auto fail = [&] {
    if (bad_offset != nullptr) *bad_offset = i;
    return false;
  };
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    int extra = 0;
    uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      extra = 1;
      code = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
      code = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
      code = c & 0x07;
    } else {
      return fail();
    }
    if (text.size() - i <= static_cast<size_t>(extra)) return fail();
    for (int k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return fail();
      code = (code << 6) | (next & 0x3f);
    }
    const bool overlong = (extra == 2 && code < 0x800) || (extra == 3 && code < 0x10000);
    if (overlong || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return fail();
    i += extra + 1;
  }
  return true;
}

}  // namespace faultdrill::server
