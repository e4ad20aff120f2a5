// Converts tensor values between the wire forms of the Open Inference Protocol
// and Tensor: typed `contents` (InferTensorContents) and raw bytes
// (row-major, little-endian; BYTES elements as a 4-byte little-endian length
// followed by the bytes). One piece of code serves requests and responses.
#ifndef FAULTDRILL_SERVER_TENSOR_CODEC_H_
#define FAULTDRILL_SERVER_TENSOR_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "proto/grpc_service.pb.h"
#include "server/tensor.h"

namespace faultdrill::server {

// Fills the value vector of `out` (whose type is FP32, INT32 or BYTES) with
// exactly `count` values from `contents`. InvalidArgument, with a message that
// does not name the tensor (the caller adds it), when values sit in a field that
// is not the one for the datatype or their number is not `count`.
absl::Status DecodeTypedContents(const inference::InferTensorContents& contents, int64_t count,
                                 Tensor* out);

// As DecodeTypedContents, from one raw_input_contents entry.
absl::Status DecodeRawContents(std::string_view raw, int64_t count, Tensor* out);

// Whether any field of `contents` holds a value.
bool HasTypedValues(const inference::InferTensorContents& contents);

// The typed form of `tensor`'s values.
void EncodeTypedContents(const Tensor& tensor, inference::InferTensorContents* contents);

// The raw form of `tensor`'s values.
std::string EncodeRawContents(const Tensor& tensor);

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_TENSOR_CODEC_H_
