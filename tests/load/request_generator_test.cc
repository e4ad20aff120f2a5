#include "load/request_generator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "google/protobuf/util/message_differencer.h"

namespace faultdrill::load {
namespace {

GeneratorSpec Spec(const std::string& model, int batch = 1, int max_tokens = 8) {
  GeneratorSpec spec;
  spec.model = model;
  spec.batch = batch;
  spec.max_tokens = max_tokens;
  return spec;
}

TEST(MakeGenerator, ClassifierRequestsAreFiniteFp32BatchBy16) {
  auto source = MakeGenerator(Spec("classifier", 4), "classifier", "1", 7);
  ASSERT_TRUE(source.ok()) << source.status();
  ASSERT_GT((*source)->size(), 1u);
  for (size_t i = 0; i < (*source)->size(); ++i) {
    const auto& r = (*source)->At(i);
    EXPECT_EQ(r.model_name(), "classifier");
    EXPECT_EQ(r.model_version(), "1");
    ASSERT_EQ(r.inputs_size(), 1);
    EXPECT_EQ(r.inputs(0).name(), "INPUT");
    EXPECT_EQ(r.inputs(0).datatype(), "FP32");
    EXPECT_EQ(r.inputs(0).shape(0), 4);
    EXPECT_EQ(r.inputs(0).shape(1), 16);
    ASSERT_EQ(r.inputs(0).contents().fp32_contents_size(), 64);
    for (float v : r.inputs(0).contents().fp32_contents()) EXPECT_TRUE(std::isfinite(v));
  }
}

TEST(MakeGenerator, TinyLmRequestsCarryAPromptAndMaxTokens) {
  auto source = MakeGenerator(Spec("tinylm", 1, 12), "tinylm", "", 1);
  ASSERT_TRUE(source.ok()) << source.status();
  std::set<std::string> prompts;
  for (size_t i = 0; i < (*source)->size(); ++i) {
    const auto& r = (*source)->At(i);
    EXPECT_EQ(r.parameters().at("max_tokens").int64_param(), 12);
    ASSERT_EQ(r.inputs(0).name(), "PROMPT");
    EXPECT_EQ(r.inputs(0).datatype(), "BYTES");
    EXPECT_EQ(r.inputs(0).shape_size(), 1);
    prompts.insert(r.inputs(0).contents().bytes_contents(0));
  }
  EXPECT_GE(prompts.size(), 24u);
}

TEST(MakeGenerator, SameSeedSameRequestsOtherSeedOtherRequests) {
  auto a = MakeGenerator(Spec("classifier"), "classifier", "", 5);
  auto b = MakeGenerator(Spec("classifier"), "classifier", "", 5);
  auto c = MakeGenerator(Spec("classifier"), "classifier", "", 6);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  using google::protobuf::util::MessageDifferencer;
  EXPECT_TRUE(MessageDifferencer::Equals((*a)->At(3), (*b)->At(3)));
  EXPECT_FALSE(MessageDifferencer::Equals((*a)->At(3), (*c)->At(3)));
}

TEST(MakeGenerator, RejectsUnknownModelsAndBadSizes) {
  EXPECT_FALSE(MakeGenerator(Spec("resnet"), "resnet", "", 1).ok());
  EXPECT_FALSE(MakeGenerator(Spec("classifier", 0), "classifier", "", 1).ok());
  EXPECT_FALSE(MakeGenerator(Spec("tinylm", 1, 0), "tinylm", "", 1).ok());
}

}  // namespace
}  // namespace faultdrill::load
