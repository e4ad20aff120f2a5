// What the server needs to know about a model: its signature (the inputs,
// outputs and parameters it takes, from which requests are validated and
// metadata is answered) and how to run it on validated inputs.
#ifndef FAULTDRILL_SERVER_MODEL_H_
#define FAULTDRILL_SERVER_MODEL_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/cost_model.h"
#include "server/tensor.h"

namespace faultdrill::server {

struct TensorSignature {
  std::string name;
  DataType type = DataType::kFp32;
  // -1 marks a variable dimension; its accepted range is [min_dim, max_dim].
  std::vector<int64_t> shape;
  int64_t min_dim = 1;
  int64_t max_dim = 1;
  // BYTES only: bounds on each element's length in bytes; elements must be UTF-8.
  size_t min_element_bytes = 0;
  size_t max_element_bytes = 0;
  // FP32 only: when > 0, every value must lie within [-max_abs_value, max_abs_value].
  float max_abs_value = 0;
};

// An int64 request parameter with its accepted range and its default.
struct ParameterSignature {
  std::string name;
  int64_t min = 0;
  int64_t max = 0;
  int64_t default_value = 0;
};

struct ModelSignature {
  std::string name;
  std::vector<TensorSignature> inputs;
  std::vector<TensorSignature> outputs;
  std::vector<ParameterSignature> parameters;
  // When true, requests may be concatenated along dimension 0 of every input and
  // tensor and run as one (dynamic batching), up to `max_batch_rows` rows.
  bool batchable = false;
  int64_t max_batch_rows = 1;

  const TensorSignature* FindInput(std::string_view name) const;
  const TensorSignature* FindOutput(std::string_view name) const;
};

// Resolved request parameters: every parameter of the signature, with its
// default where the request did not set it.
using ParameterValues = std::map<std::string, int64_t, std::less<>>;

// Tells a long-running model when to stop: the request's deadline passed or the
// client went away. Cheap to copy; `cancelled` (may be null) must outlive it.
class Interrupt {
 public:
  Interrupt() = default;
  Interrupt(absl::Time deadline, const std::atomic<bool>* cancelled)
      : deadline_(deadline), cancelled_(cancelled) {}

  // DeadlineExceeded or Cancelled when the work should stop, else OK.
  absl::Status Check() const;

  // Waits until `end` (the steady clock), checking every millisecond; returns
  // early with Check()'s error when the request's deadline passes or it is
  // cancelled meanwhile.
  absl::Status SleepUntil(std::chrono::steady_clock::time_point end) const;

 private:
  absl::Time deadline_ = absl::InfiniteFuture();
  const std::atomic<bool>* cancelled_ = nullptr;
};

// A loaded model: immutable after construction, so one instance is shared by any
// number of threads; reloading weights builds a new instance.
class Model {
 public:
  virtual ~Model() = default;

  virtual const ModelSignature& signature() const = 0;

  // Runs the model on inputs that passed validation against signature() (names,
  // types and shapes are as declared, in signature order). Returns every output
  // of the signature, in signature order. Must be deterministic: the same inputs
  // give the same outputs bit for bit. Checks `interrupt` between expensive steps.
  virtual absl::StatusOr<std::vector<Tensor>> Run(const std::vector<Tensor>& inputs,
                                                  const ParameterValues& parameters,
                                                  const Interrupt& interrupt) const = 0;

  // What a request asks of the model in the units of the cost model (see
  // cost_model.h), from inputs and parameters that passed validation. Models
  // without tokens count none.
  virtual TokenCounts CountTokens(const std::vector<Tensor>& inputs,
                                  const ParameterValues& parameters) const {
    return {};
  }
};

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_MODEL_H_
