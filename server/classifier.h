// classifier: an MLP 16 -> 32 (ReLU) -> 4 followed by softmax, run on a batch of
// rows at once. Each row is computed independently in a fixed order, so a row's
// probabilities are identical bit for bit whether it runs alone or inside a
// dynamically formed batch.
#ifndef FAULTDRILL_SERVER_CLASSIFIER_H_
#define FAULTDRILL_SERVER_CLASSIFIER_H_

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "server/model.h"
#include "server/weights_file.h"
#include "server/weights_generator.h"

namespace faultdrill::server {

inline constexpr std::string_view kClassifierName = "classifier";

class Classifier {
 public:
  static constexpr int kFeatures = 16;
  static constexpr int kHidden = 32;
  static constexpr int kClasses = 4;
  static constexpr int kMaxBatch = 64;

  // Tensors w1 [16,32], b1 [32], w2 [32,4], b2 [4].
  static std::vector<TensorRecipe> WeightsRecipe();

  // FailedPrecondition when a tensor is missing or has the wrong shape.
  static absl::StatusOr<Classifier> FromWeights(const WeightsFile& weights);

  // rows: n x 16 values, row-major; probabilities: n x 4, each row sums to 1.
  void Predict(std::span<const float> rows, std::span<float> probabilities) const;

 private:
  Classifier() = default;
  std::vector<float> w1_, b1_, w2_, b2_;
};

// The classifier signature: INPUT FP32 [-1,16] (1..64 rows, values within
// +-1e6) -> PROBABILITIES
// FP32 [-1,4]; batchable up to 64 rows.
const ModelSignature& ClassifierSignature();

absl::StatusOr<std::shared_ptr<const Model>> LoadClassifierModel(const WeightsFile& weights);

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_CLASSIFIER_H_
