// Deterministic weights from a seed: the same recipe and seed give the same
// values bit for bit on every machine (a SplitMix64 stream, no <random>
// distributions, whose output differs between standard libraries).
#ifndef FAULTDRILL_SERVER_WEIGHTS_GENERATOR_H_
#define FAULTDRILL_SERVER_WEIGHTS_GENERATOR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "server/weights_file.h"

namespace faultdrill::server {

// How one tensor of a model is laid out and initialised: each value is
// constant + scale * u with u uniform in [-1, 1).
struct TensorRecipe {
  std::string name;
  std::vector<int64_t> shape;
  float scale = 0;
  float constant = 0;
};

// The weights of `model_name` following `recipe` in order. The stream is seeded
// from `seed` and the model name, so two models never share values.
WeightsFile GenerateWeights(std::string_view model_name, const std::vector<TensorRecipe>& recipe,
                            uint64_t seed);

// The tensor `name` of `weights` if it has exactly `shape`; otherwise
// FailedPrecondition naming the tensor and both shapes (or saying it is missing).
absl::StatusOr<const WeightsTensor*> RequireTensor(const WeightsFile& weights,
                                                   std::string_view name,
                                                   const std::vector<int64_t>& shape);

// Checks `weights` against `recipe`: the model name, and every tensor present with
// its shape. FailedPrecondition with a message naming the first mismatch.
absl::Status CheckWeightsMatchRecipe(const WeightsFile& weights, std::string_view model_name,
                                     const std::vector<TensorRecipe>& recipe);

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_WEIGHTS_GENERATOR_H_
