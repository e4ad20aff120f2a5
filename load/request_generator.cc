#include "load/request_generator.h"

#include <random>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace faultdrill::load {
namespace {

constexpr int kClassifierFeatures = 16;
constexpr int kClassifierVariants = 64;

// Uniform in [-1, 1), the same on every platform (std distributions are not).
float UnitFloat(std::mt19937_64& rng) {
  const double u = double(rng() >> 11) * 0x1.0p-53;  // [0, 1)
  return float(2 * u - 1);
}

std::vector<inference::ModelInferRequest> Classifier(const GeneratorSpec& spec, const std::string& model,
                                                     const std::string& version, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<inference::ModelInferRequest> requests(kClassifierVariants);
  for (int v = 0; v < kClassifierVariants; ++v) {
    inference::ModelInferRequest& r = requests[size_t(v)];
    r.set_model_name(model);
    r.set_model_version(version);
    r.set_id(absl::StrCat("gen-", v));
    auto* input = r.add_inputs();
    input->set_name("INPUT");
    input->set_datatype("FP32");
    input->add_shape(spec.batch);
    input->add_shape(kClassifierFeatures);
    auto* contents = input->mutable_contents()->mutable_fp32_contents();
    contents->Reserve(spec.batch * kClassifierFeatures);
    for (int i = 0; i < spec.batch * kClassifierFeatures; ++i) contents->Add(UnitFloat(rng));
  }
  return requests;
}

std::vector<inference::ModelInferRequest> TinyLm(const GeneratorSpec& spec, const std::string& model,
                                                 const std::string& version, uint64_t seed) {
  static constexpr const char* kSubjects[] = {"the model", "a server", "the cluster", "my cat",
                                              "the queue", "a replica", "the network", "our pipeline"};
  static constexpr const char* kVerbs[] = {"answers", "recovers", "waits", "fails", "scales", "retries"};
  std::vector<inference::ModelInferRequest> requests;
  std::mt19937_64 rng(seed);
  int v = 0;
  for (const char* subject : kSubjects) {
    for (const char* verb : kVerbs) {
      inference::ModelInferRequest r;
      r.set_model_name(model);
      r.set_model_version(version);
      r.set_id(absl::StrCat("gen-", v++));
      (*r.mutable_parameters())["max_tokens"].set_int64_param(spec.max_tokens);
      auto* input = r.add_inputs();
      input->set_name("PROMPT");
      input->set_datatype("BYTES");
      input->add_shape(1);
      input->mutable_contents()->add_bytes_contents(absl::StrCat(subject, " ", verb, " when"));
      requests.push_back(std::move(r));
    }
  }
  // A seeded order, so different seeds exercise the prompts differently.
  // Fisher-Yates by hand: std::shuffle's sequence differs across libraries.
  for (size_t i = requests.size() - 1; i > 0; --i) std::swap(requests[i], requests[rng() % (i + 1)]);
  return requests;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RequestSource>> MakeGenerator(const GeneratorSpec& spec,
                                                             const std::string& model_name,
                                                             const std::string& version, uint64_t seed) {
  std::vector<inference::ModelInferRequest> requests;
  if (spec.model == "classifier") {
    if (spec.batch < 1) return absl::InvalidArgumentError("generator: batch must be at least 1");
    requests = Classifier(spec, model_name, version, seed);
  } else if (spec.model == "tinylm") {
    if (spec.max_tokens < 1) return absl::InvalidArgumentError("generator: max_tokens must be at least 1");
    requests = TinyLm(spec, model_name, version, seed);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("generator: unknown model \"", spec.model, "\" (expected classifier or tinylm)"));
  }
  return std::unique_ptr<RequestSource>(std::make_unique<VectorRequestSource>(std::move(requests)));
}

}  // namespace faultdrill::load
