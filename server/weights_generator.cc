#include "server/weights_generator.h"

#include "absl/status/status.h"
#include "server/strings.h"
#include "server/tensor.h"

namespace faultdrill::server {
namespace {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

  // Uniform in [-1, 1), with 24 bits of resolution (exact in float).
  float NextSigned() {
    const auto bits = static_cast<int32_t>(Next() >> 40);  // 0 .. 2^24-1
    return static_cast<float>(bits - (1 << 23)) / static_cast<float>(1 << 23);
  }

 private:
  uint64_t state_;
};

uint64_t Fnv1a(std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

}  // namespace

WeightsFile GenerateWeights(std::string_view model_name, const std::vector<TensorRecipe>& recipe,
                            uint64_t seed) {
  SplitMix64 random(seed ^ Fnv1a(model_name));
  WeightsFile weights;
  weights.model_name = std::string(model_name);
  for (const TensorRecipe& entry : recipe) {
    WeightsTensor tensor{entry.name, entry.shape, {}};
    size_t count = 1;
    for (int64_t dim : entry.shape) count *= static_cast<size_t>(dim);
    tensor.values.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      tensor.values.push_back(entry.constant + entry.scale * random.NextSigned());
    }
    weights.tensors.push_back(std::move(tensor));
  }
  return weights;
}

absl::StatusOr<const WeightsTensor*> RequireTensor(const WeightsFile& weights,
                                                   std::string_view name,
                                                   const std::vector<int64_t>& shape) {
  const WeightsTensor* tensor = weights.Find(name);
  if (tensor == nullptr) {
    return absl::FailedPreconditionError(Cat("weights of model '", weights.model_name,
                                                      "' lack tensor '", name, "'"));
  }
  if (tensor->shape != shape) {
    return absl::FailedPreconditionError(
        Cat("tensor '", name, "' has shape ", FormatShape(tensor->shape),
                     ", the model expects ", FormatShape(shape)));
  }
  return tensor;
}

absl::Status CheckWeightsMatchRecipe(const WeightsFile& weights, std::string_view model_name,
                                     const std::vector<TensorRecipe>& recipe) {
  if (weights.model_name != model_name) {
    return absl::FailedPreconditionError(Cat("the weights file is for model '",
                                                      weights.model_name, "', not '",
                                                      model_name, "'"));
  }
  for (const TensorRecipe& entry : recipe) {
    if (auto tensor = RequireTensor(weights, entry.name, entry.shape); !tensor.ok()) {
      return tensor.status();
    }
  }
  return absl::OkStatus();
}

}  // namespace faultdrill::server
