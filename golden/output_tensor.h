// A decoded, non-owning view of each output tensor of a ModelInferResponse
// (or of a master's owned bytes): name, datatype, shape, element count, and
// where the values lie, without copying them.
//
// Values travel either in `raw_output_contents` (row-major, little-endian;
// BYTES as a 4-byte little-endian length then the bytes, per element) or in
// the typed `contents` fields (INT8/INT16/INT32 in int_contents,
// UINT8/UINT16/UINT32 in uint_contents, ...). FP16 and BF16 have no typed
// field and must be raw. Decoding validates everything once, so reading an
// element of a view it returned can never run past the data.
//
// Lifetime: a view points into the response (or string) it was made from and
// is valid while that lives unchanged. Views are cheap to copy.
#ifndef FAULTDRILL_GOLDEN_OUTPUT_TENSOR_H_
#define FAULTDRILL_GOLDEN_OUTPUT_TENSOR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "golden/data_type.h"
#include "proto/grpc_service.pb.h"

namespace faultdrill::golden {

struct OutputTensor {
  std::string_view name;
  DataType datatype = DataType::kFp32;
  absl::Span<const int64_t> shape;
  int64_t elements = 0;
  // Fixed-size datatypes: `elements` values of type `stored`, packed and
  // little-endian, in `data`. `stored` is `datatype` except for typed
  // contents, which widen INT8/INT16 to INT32 and UINT8/UINT16 to UINT32.
  DataType stored = DataType::kFp32;
  // Fixed-size values, or BYTES in raw form (length-prefixed elements).
  std::string_view data;
  // BYTES from typed contents (bytes_contents); null otherwise.
  const google::protobuf::RepeatedPtrField<std::string>* strings = nullptr;
};

// Views of every output, in response order. InvalidArgument naming the output
// when the response is malformed: an unknown datatype, a negative dimension, a
// raw_output_contents count that is neither 0 nor the number of outputs, raw
// bytes that do not match shape x datatype, a BYTES length prefix that runs
// past the data, typed values in the wrong field or of the wrong number or
// out of range for INT8/INT16/UINT8/UINT16, values in both forms, an FP16 or
// BF16 output without raw contents.
absl::StatusOr<std::vector<OutputTensor>> DecodeOutputs(const inference::ModelInferResponse& response);

// A view of a tensor held in raw form in `raw`, validated as DecodeOutputs
// validates raw_output_contents. The view points into `raw` and `shape`.
absl::StatusOr<OutputTensor> RawTensorView(std::string_view name, DataType datatype, absl::Span<const int64_t> shape,
                                           std::string_view raw);

// Element access for a view returned above (i in [0, elements)).
// Every BYTES element, in order.
std::vector<std::string_view> BytesElements(const OutputTensor& tensor);
// A numeric element (not BYTES) as a double: exact for floats, BOOL and
// integers up to 2^53, rounded beyond.
double NumberAt(const OutputTensor& tensor, int64_t i);
// An integer or BOOL element, exactly.
int64_t SignedAt(const OutputTensor& tensor, int64_t i);
uint64_t UnsignedAt(const OutputTensor& tensor, int64_t i);
// A float element's bit pattern in its own width (16, 32 or 64 bits).
uint64_t FloatBitsAt(const OutputTensor& tensor, int64_t i);
// For messages: shortest round-trip text of a number, a quoted BYTES element.
std::string ElementText(const OutputTensor& tensor, int64_t i);

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_OUTPUT_TENSOR_H_
