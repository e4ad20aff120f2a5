#include "server/classifier.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "absl/status/status.h"

namespace faultdrill::server {

std::vector<TensorRecipe> Classifier::WeightsRecipe() {
  return {
      {"w1", {kFeatures, kHidden}, std::sqrt(6.0f / kFeatures), 0.0f},
      {"b1", {kHidden}, 0.1f, 0.0f},
      {"w2", {kHidden, kClasses}, std::sqrt(6.0f / kHidden), 0.0f},
      {"b2", {kClasses}, 0.1f, 0.0f},
  };
}

absl::StatusOr<Classifier> Classifier::FromWeights(const WeightsFile& weights) {
  if (auto s = CheckWeightsMatchRecipe(weights, kClassifierName, WeightsRecipe()); !s.ok()) {
    return s;
  }
  Classifier model;
  model.w1_ = weights.Find("w1")->values;
  model.b1_ = weights.Find("b1")->values;
  model.w2_ = weights.Find("w2")->values;
  model.b2_ = weights.Find("b2")->values;
  return model;
}

void Classifier::Predict(std::span<const float> rows, std::span<float> probabilities) const {
  const size_t n = rows.size() / kFeatures;
  for (size_t r = 0; r < n; ++r) {
    const float* x = rows.data() + r * kFeatures;
    std::array<float, kHidden> hidden;
    std::copy(b1_.begin(), b1_.end(), hidden.begin());
    for (int i = 0; i < kFeatures; ++i) {
      for (int j = 0; j < kHidden; ++j) hidden[j] += x[i] * w1_[i * kHidden + j];
    }
    for (float& v : hidden) v = std::max(v, 0.0f);
    std::array<float, kClasses> logits;
    std::copy(b2_.begin(), b2_.end(), logits.begin());
    for (int i = 0; i < kHidden; ++i) {
      for (int j = 0; j < kClasses; ++j) logits[j] += hidden[i] * w2_[i * kClasses + j];
    }
    const float max = *std::max_element(logits.begin(), logits.end());
    float total = 0;
    for (float& v : logits) {
      v = std::exp(v - max);
      total += v;
    }
    float* out = probabilities.data() + r * kClasses;
    for (int j = 0; j < kClasses; ++j) out[j] = logits[j] / total;
  }
}

namespace {

class ClassifierModel final : public Model {
 public:
  explicit ClassifierModel(Classifier classifier) : classifier_(std::move(classifier)) {}

  const ModelSignature& signature() const override { return ClassifierSignature(); }

  absl::StatusOr<std::vector<Tensor>> Run(const std::vector<Tensor>& inputs,
                                          const ParameterValues& parameters,
                                          const Interrupt& interrupt) const override {
    if (inputs.size() != 1 || inputs[0].shape.size() != 2 ||
        inputs[0].fp32.size() != static_cast<size_t>(inputs[0].shape[0]) * Classifier::kFeatures) {
      return absl::InternalError("classifier was run on inputs that did not pass validation");
    }
    const int64_t rows = inputs[0].shape[0];
    Tensor out{"PROBABILITIES", DataType::kFp32, {rows, Classifier::kClasses}, {}, {}, {}};
    out.fp32.resize(static_cast<size_t>(rows) * Classifier::kClasses);
    classifier_.Predict(inputs[0].fp32, out.fp32);
    std::vector<Tensor> outputs;
    outputs.push_back(std::move(out));
    return outputs;
  }

 private:
  const Classifier classifier_;
};

}  // namespace

const ModelSignature& ClassifierSignature() {
  static const ModelSignature* const signature = [] {
    auto* s = new ModelSignature;
    s->name = std::string(kClassifierName);
    TensorSignature input{"INPUT", DataType::kFp32, {-1, Classifier::kFeatures}, 1,
                          Classifier::kMaxBatch};
    // Larger values could overflow float inside the MLP.
    input.max_abs_value = 1e6f;
    s->inputs = {input};
    s->outputs = {
        {"PROBABILITIES", DataType::kFp32, {-1, Classifier::kClasses}, 1, Classifier::kMaxBatch}};
    s->batchable = true;
    s->max_batch_rows = Classifier::kMaxBatch;
    return s;
  }();
  return *signature;
}

absl::StatusOr<std::shared_ptr<const Model>> LoadClassifierModel(const WeightsFile& weights) {
  absl::StatusOr<Classifier> classifier = Classifier::FromWeights(weights);
  if (!classifier.ok()) return classifier.status();
  return std::make_shared<const ClassifierModel>(*std::move(classifier));
}

}  // namespace faultdrill::server
