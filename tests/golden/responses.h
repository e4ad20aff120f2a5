// Builds ModelInferResponses with the proto API for the golden tests, in
// either wire form (raw_output_contents or typed contents).
#ifndef FAULTDRILL_TESTS_GOLDEN_RESPONSES_H_
#define FAULTDRILL_TESTS_GOLDEN_RESPONSES_H_

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include "golden/output_tensor.h"
#include "gtest/gtest.h"
#include "proto/grpc_service.pb.h"

namespace faultdrill::golden::testing {

using inference::ModelInferResponse;

// Little-endian bytes of `values` (the host is little-endian: float_bits.h).
template <typename T>
std::string RawOf(const std::vector<T>& values) {
  std::string out(values.size() * sizeof(T), '\0');
  if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
  return out;
}

// BYTES raw form: 4-byte little-endian length, then the bytes, per element.
inline std::string RawBytesOf(const std::vector<std::string>& elements) {
  std::string out;
  for (const std::string& e : elements) {
    const uint32_t length = uint32_t(e.size());
    out.append(reinterpret_cast<const char*>(&length), sizeof(length));
    out += e;
  }
  return out;
}

inline ModelInferResponse::InferOutputTensor* AddOutputHeader(ModelInferResponse& r, const std::string& name,
                                                              const std::string& datatype,
                                                              std::initializer_list<int64_t> shape) {
  auto* out = r.add_outputs();
  out->set_name(name);
  out->set_datatype(datatype);
  for (int64_t d : shape) out->add_shape(d);
  return out;
}

// An output in raw form. Every output of a response must use the same form.
inline void AddRaw(ModelInferResponse& r, const std::string& name, const std::string& datatype,
                   std::initializer_list<int64_t> shape, std::string raw) {
  AddOutputHeader(r, name, datatype, shape);
  r.add_raw_output_contents(std::move(raw));
}

inline ModelInferResponse RawFp32(const std::string& name, std::initializer_list<int64_t> shape,
                                  const std::vector<float>& values) {
  ModelInferResponse r;
  AddRaw(r, name, "FP32", shape, RawOf(values));
  return r;
}

inline ModelInferResponse TypedFp32(const std::string& name, std::initializer_list<int64_t> shape,
                                    const std::vector<float>& values) {
  ModelInferResponse r;
  auto* out = AddOutputHeader(r, name, "FP32", shape);
  for (float v : values) out->mutable_contents()->add_fp32_contents(v);
  return r;
}

// The views of a response that must decode.
inline std::vector<OutputTensor> Views(const ModelInferResponse& r) {
  absl::StatusOr<std::vector<OutputTensor>> views = DecodeOutputs(r);
  EXPECT_TRUE(views.ok()) << views.status();
  return views.ok() ? *views : std::vector<OutputTensor>{};
}

// The only output's view.
inline OutputTensor View(const ModelInferResponse& r) {
  std::vector<OutputTensor> views = Views(r);
  EXPECT_EQ(views.size(), 1u);
  return views.empty() ? OutputTensor{} : views.front();
}

}  // namespace faultdrill::golden::testing

#endif  // FAULTDRILL_TESTS_GOLDEN_RESPONSES_H_
