#include "server/classifier.h"

#include <gtest/gtest.h>

#include <cstring>

#include "tests/server/infer_requests.h"

namespace faultdrill::server {
namespace {

Classifier ReferenceClassifier() {
  absl::StatusOr<Classifier> classifier =
      Classifier::FromWeights(GenerateWeights(kClassifierName, Classifier::WeightsRecipe(), 42));
  EXPECT_TRUE(classifier.ok()) << classifier.status();
  return *std::move(classifier);
}

TEST(Classifier, EveryRowOfProbabilitiesSumsToOne) {
  const std::vector<float> rows = testing::ClassifierRows(64);
  std::vector<float> probabilities(64 * 4);
  ReferenceClassifier().Predict(rows, probabilities);
  for (int r = 0; r < 64; ++r) {
    float total = 0;
    for (int c = 0; c < 4; ++c) {
      const float p = probabilities[r * 4 + c];
      EXPECT_GE(p, 0.0f);
      EXPECT_LE(p, 1.0f);
      total += p;
    }
    EXPECT_NEAR(total, 1.0f, 1e-6f) << "row " << r;
  }
}

TEST(Classifier, ARowGivesTheSameBitsAloneAndInsideABatch) {
  const Classifier classifier = ReferenceClassifier();
  const std::vector<float> rows = testing::ClassifierRows(10);
  std::vector<float> batched(40);
  classifier.Predict(rows, batched);
  for (int r = 0; r < 10; ++r) {
    std::vector<float> alone(4);
    classifier.Predict(std::span<const float>(rows).subspan(r * 16, 16), alone);
    EXPECT_EQ(std::memcmp(alone.data(), batched.data() + r * 4, 16), 0) << "row " << r;
  }
}

TEST(Classifier, InputsChangeTheOutput) {
  const Classifier classifier = ReferenceClassifier();
  std::vector<float> a(4), b(4);
  classifier.Predict(testing::ClassifierRows(1, 0), a);
  classifier.Predict(testing::ClassifierRows(1, 5), b);
  EXPECT_NE(a, b);
}

TEST(Classifier, ServableModelShapesTheOutputByRows) {
  auto model = LoadClassifierModel(GenerateWeights(kClassifierName, Classifier::WeightsRecipe(), 42));
  ASSERT_TRUE(model.ok());
  Tensor input{"INPUT", DataType::kFp32, {3, 16}, testing::ClassifierRows(3), {}, {}};
  auto outputs = (*model)->Run({input}, {}, Interrupt());
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  EXPECT_EQ((*outputs)[0].name, "PROBABILITIES");
  EXPECT_EQ((*outputs)[0].shape, (std::vector<int64_t>{3, 4}));
}

}  // namespace
}  // namespace faultdrill::server
