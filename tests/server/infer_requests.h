// Builders of well-formed ModelInferRequests for the reference models, in typed
// or raw form, for the server tests. Tests break them in one place each.
#ifndef FAULTDRILL_TESTS_SERVER_INFER_REQUESTS_H_
#define FAULTDRILL_TESTS_SERVER_INFER_REQUESTS_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "proto/grpc_service.pb.h"

namespace faultdrill::testing {

enum class TensorForm { kTyped, kRaw };

// A deterministic classifier input: rows x 16 values in [-1, 1].
inline std::vector<float> ClassifierRows(int rows, int salt = 0) {
  std::vector<float> values;
  for (int i = 0; i < rows * 16; ++i) {
    values.push_back(static_cast<float>(((i * 37 + salt * 11) % 29) - 14) / 14.0f);
  }
  return values;
}

inline inference::ModelInferRequest ClassifierRequest(const std::vector<float>& values,
                                                      TensorForm form = TensorForm::kTyped) {
  inference::ModelInferRequest request;
  request.set_model_name("classifier");
  request.set_id("classifier-request");
  auto* input = request.add_inputs();
  input->set_name("INPUT");
  input->set_datatype("FP32");
  input->add_shape(static_cast<int64_t>(values.size() / 16));
  input->add_shape(16);
  if (form == TensorForm::kRaw) {
    std::string raw(values.size() * sizeof(float), '\0');
    std::memcpy(raw.data(), values.data(), raw.size());
    request.add_raw_input_contents(raw);
  } else {
    input->mutable_contents()->mutable_fp32_contents()->Add(values.begin(), values.end());
  }
  return request;
}

inline std::string RawBytesElement(const std::string& element) {
  const auto length = static_cast<uint32_t>(element.size());
  std::string raw(reinterpret_cast<const char*>(&length), sizeof(length));
  return raw + element;
}

inline inference::ModelInferRequest TinyLmRequest(const std::string& prompt, int64_t max_tokens,
                                                  TensorForm form = TensorForm::kTyped) {
  inference::ModelInferRequest request;
  request.set_model_name("tinylm");
  request.set_id("tinylm-request");
  (*request.mutable_parameters())["max_tokens"].set_int64_param(max_tokens);
  auto* input = request.add_inputs();
  input->set_name("PROMPT");
  input->set_datatype("BYTES");
  input->add_shape(1);
  if (form == TensorForm::kRaw) {
    request.add_raw_input_contents(RawBytesElement(prompt));
  } else {
    input->mutable_contents()->add_bytes_contents(prompt);
  }
  return request;
}

// The FP32 values of output `index` of `response`, whichever form it uses.
inline std::vector<float> Fp32Output(const inference::ModelInferResponse& response, int index) {
  if (response.raw_output_contents_size() > index) {
    const std::string& raw = response.raw_output_contents(index);
    std::vector<float> values(raw.size() / sizeof(float));
    std::memcpy(values.data(), raw.data(), values.size() * sizeof(float));
    return values;
  }
  const auto& contents = response.outputs(index).contents().fp32_contents();
  return {contents.begin(), contents.end()};
}

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_SERVER_INFER_REQUESTS_H_
