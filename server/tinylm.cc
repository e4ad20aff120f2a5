#include "server/tinylm.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "server/strings.h"

namespace faultdrill::server {
namespace {

constexpr float kNormEpsilon = 1e-5f;
// ALiBi: head h subtracts slope[h] * distance from its attention scores.
constexpr std::array<float, TinyLm::kHeads> kAlibiSlopes = {0.5f, 0.25f, 0.125f, 0.0625f};

std::string LayerTensor(int layer, std::string_view name) {
  return Cat("layers.", layer, ".", name);
}

// y = x * W with W row-major [in, out].
void MatVec(const float* x, const std::vector<float>& w, int in, int out, float* y) {
  std::fill(y, y + out, 0.0f);
  for (int i = 0; i < in; ++i) {
    const float xi = x[i];
    const float* row = w.data() + static_cast<size_t>(i) * out;
    for (int j = 0; j < out; ++j) y[j] += xi * row[j];
  }
}

void RmsNorm(const float* x, const std::vector<float>& gain, int n, float* y) {
  float sum = 0;
  for (int i = 0; i < n; ++i) sum += x[i] * x[i];
  const float scale = 1.0f / std::sqrt(sum / static_cast<float>(n) + kNormEpsilon);
  for (int i = 0; i < n; ++i) y[i] = x[i] * scale * gain[i];
}

void LogSoftmax(const float* logits, int n, float* out) {
  const float max = *std::max_element(logits, logits + n);
  float sum = 0;
  for (int i = 0; i < n; ++i) sum += std::exp(logits[i] - max);
  const float log_sum = std::log(sum) + max;
  for (int i = 0; i < n; ++i) out[i] = logits[i] - log_sum;
}

bool Emittable(int token) { return token == '\n' || (token >= 0x20 && token <= 0x7e); }

}  // namespace

std::vector<TensorRecipe> TinyLm::WeightsRecipe() {
  const float attention_scale = std::sqrt(3.0f / kDim);
  const float down_scale = std::sqrt(3.0f / kHidden);
  std::vector<TensorRecipe> recipe;
  recipe.push_back({"embedding", {kVocab, kDim}, 1.0f, 0.0f});
  for (int l = 0; l < kLayers; ++l) {
    recipe.push_back({LayerTensor(l, "attn_norm"), {kDim}, 0.1f, 1.0f});
    for (const char* name : {"wq", "wk", "wv", "wo"}) {
      recipe.push_back({LayerTensor(l, name), {kDim, kDim}, attention_scale, 0.0f});
    }
    recipe.push_back({LayerTensor(l, "ffn_norm"), {kDim}, 0.1f, 1.0f});
    recipe.push_back({LayerTensor(l, "w1"), {kDim, kHidden}, attention_scale, 0.0f});
    recipe.push_back({LayerTensor(l, "w2"), {kHidden, kDim}, down_scale, 0.0f});
  }
  recipe.push_back({"final_norm", {kDim}, 0.1f, 1.0f});
  // A larger output scale makes the next-byte distribution peaked, as a trained
  // model's is, rather than nearly uniform.
  recipe.push_back({"lm_head", {kDim, kVocab}, 3.0f * attention_scale, 0.0f});
  return recipe;
}

absl::StatusOr<TinyLm> TinyLm::FromWeights(const WeightsFile& weights) {
  if (auto s = CheckWeightsMatchRecipe(weights, kTinyLmName, WeightsRecipe()); !s.ok()) return s;
  auto values = [&](const std::string& name) { return weights.Find(name)->values; };
  TinyLm model;
  model.embedding_ = values("embedding");
  for (int l = 0; l < kLayers; ++l) {
    Layer& layer = model.layers_[l];
    layer.attn_norm = values(LayerTensor(l, "attn_norm"));
    layer.wq = values(LayerTensor(l, "wq"));
    layer.wk = values(LayerTensor(l, "wk"));
    layer.wv = values(LayerTensor(l, "wv"));
    layer.wo = values(LayerTensor(l, "wo"));
    layer.ffn_norm = values(LayerTensor(l, "ffn_norm"));
    layer.w1 = values(LayerTensor(l, "w1"));
    layer.w2 = values(LayerTensor(l, "w2"));
  }
  model.final_norm_ = values("final_norm");
  model.lm_head_ = values("lm_head");
  return model;
}

TinyLm::State::State()
    : keys_(static_cast<size_t>(kLayers) * kWindow * kDim, 0.0f),
      values_(static_cast<size_t>(kLayers) * kWindow * kDim, 0.0f) {}

void TinyLm::Step(State& state, uint8_t token, std::span<float> logprobs) const {
  std::array<float, kDim> x, h, q, attended, projected;
  std::array<float, kHidden> hidden;
  std::array<float, kWindow> scores;
  std::copy_n(embedding_.data() + static_cast<size_t>(token) * kDim, kDim, x.begin());

  const int64_t position = state.position_;
  const int64_t first = std::max<int64_t>(0, position - kWindow + 1);
  const int count = static_cast<int>(position - first + 1);
  const float score_scale = 1.0f / std::sqrt(static_cast<float>(kHeadDim));

  for (int l = 0; l < kLayers; ++l) {
    const Layer& layer = layers_[l];
    float* keys = state.keys_.data() + static_cast<size_t>(l) * kWindow * kDim;
    float* values = state.values_.data() + static_cast<size_t>(l) * kWindow * kDim;
    const size_t slot = static_cast<size_t>(position % kWindow);

    RmsNorm(x.data(), layer.attn_norm, kDim, h.data());
    MatVec(h.data(), layer.wq, kDim, kDim, q.data());
    MatVec(h.data(), layer.wk, kDim, kDim, keys + slot * kDim);
    MatVec(h.data(), layer.wv, kDim, kDim, values + slot * kDim);

    for (int head = 0; head < kHeads; ++head) {
      const int offset = head * kHeadDim;
      float max_score = -INFINITY;
      for (int i = 0; i < count; ++i) {
        const int64_t p = first + i;
        const float* key = keys + static_cast<size_t>(p % kWindow) * kDim + offset;
        float dot = 0;
        for (int d = 0; d < kHeadDim; ++d) dot += q[offset + d] * key[d];
        scores[i] = dot * score_scale - kAlibiSlopes[head] * static_cast<float>(position - p);
        max_score = std::max(max_score, scores[i]);
      }
      float total = 0;
      for (int i = 0; i < count; ++i) {
        scores[i] = std::exp(scores[i] - max_score);
        total += scores[i];
      }
      std::fill_n(attended.begin() + offset, kHeadDim, 0.0f);
      for (int i = 0; i < count; ++i) {
        const float weight = scores[i] / total;
        const float* value = values + static_cast<size_t>((first + i) % kWindow) * kDim + offset;
        for (int d = 0; d < kHeadDim; ++d) attended[offset + d] += weight * value[d];
      }
    }
    MatVec(attended.data(), layer.wo, kDim, kDim, projected.data());
    for (int i = 0; i < kDim; ++i) x[i] += projected[i];

    RmsNorm(x.data(), layer.ffn_norm, kDim, h.data());
    MatVec(h.data(), layer.w1, kDim, kHidden, hidden.data());
    for (float& v : hidden) v = v / (1.0f + std::exp(-v));  // SiLU
    MatVec(hidden.data(), layer.w2, kHidden, kDim, projected.data());
    for (int i = 0; i < kDim; ++i) x[i] += projected[i];
  }
  ++state.position_;

  if (!logprobs.empty()) {
    std::array<float, kVocab> logits;
    RmsNorm(x.data(), final_norm_, kDim, h.data());
    MatVec(h.data(), lm_head_, kDim, kVocab, logits.data());
    LogSoftmax(logits.data(), kVocab, logprobs.data());
  }
}

int TinyLm::ArgmaxEmittable(std::span<const float> logprobs) {
  int best = -1;
  for (int token = 0; token < static_cast<int>(logprobs.size()); ++token) {
    if (Emittable(token) && (best < 0 || logprobs[token] > logprobs[best])) best = token;
  }
  return best;
}

absl::StatusOr<TinyLm::Generation> TinyLm::Generate(std::string_view prompt, int max_tokens,
                                                     const Interrupt& interrupt) const {
  if (prompt.empty() || max_tokens < 1) {
    return absl::InvalidArgumentError("tinylm needs a non-empty prompt and max_tokens >= 1");
  }
  State state;
  std::array<float, kVocab> logprobs;
  for (size_t i = 0; i < prompt.size(); ++i) {
    if (auto s = interrupt.Check(); !s.ok()) return s;
    const bool last = i + 1 == prompt.size();
    Step(state, static_cast<uint8_t>(prompt[i]), last ? std::span<float>(logprobs) : std::span<float>());
  }
  Generation generation;
  for (int t = 0; t < max_tokens; ++t) {
    const int token = ArgmaxEmittable(logprobs);
    generation.token_ids.push_back(token);
    generation.logprobs.push_back(logprobs[token]);
    generation.text.push_back(static_cast<char>(token));
    if (t + 1 < max_tokens) {
      if (auto s = interrupt.Check(); !s.ok()) return s;
      Step(state, static_cast<uint8_t>(token), logprobs);
    }
  }
  return generation;
}

namespace {

class TinyLmModel final : public Model {
 public:
  explicit TinyLmModel(TinyLm lm) : lm_(std::move(lm)) {}

  const ModelSignature& signature() const override { return TinyLmSignature(); }

  absl::StatusOr<std::vector<Tensor>> Run(const std::vector<Tensor>& inputs,
                                          const ParameterValues& parameters,
                                          const Interrupt& interrupt) const override {
    const auto max_tokens = parameters.find("max_tokens");
    if (inputs.size() != 1 || inputs[0].bytes.size() != 1 || max_tokens == parameters.end()) {
      return absl::InternalError("tinylm was run on inputs that did not pass validation");
    }
    absl::StatusOr<TinyLm::Generation> generation =
        lm_.Generate(inputs[0].bytes[0], static_cast<int>(max_tokens->second), interrupt);
    if (!generation.ok()) return generation.status();
    const auto n = static_cast<int64_t>(generation->token_ids.size());
    std::vector<Tensor> outputs(3);
    outputs[0] = {"TEXT", DataType::kBytes, {1}, {}, {}, {std::move(generation->text)}};
    outputs[1] = {"TOKEN_IDS", DataType::kInt32, {n}, {}, std::move(generation->token_ids), {}};
    outputs[2] = {"LOGPROBS", DataType::kFp32, {n}, std::move(generation->logprobs), {}, {}};
    return outputs;
  }

  // Byte-level: a prompt byte is an input token; exactly max_tokens are generated.
  TokenCounts CountTokens(const std::vector<Tensor>& inputs,
                          const ParameterValues& parameters) const override {
    TokenCounts tokens;
    if (!inputs.empty() && !inputs[0].bytes.empty()) {
      tokens.input = static_cast<int64_t>(inputs[0].bytes[0].size());
    }
    if (const auto max_tokens = parameters.find("max_tokens"); max_tokens != parameters.end()) {
      tokens.output = max_tokens->second;
    }
    return tokens;
  }

 private:
  const TinyLm lm_;
};

}  // namespace

const ModelSignature& TinyLmSignature() {
  static const ModelSignature* const signature = [] {
    auto* s = new ModelSignature;
    s->name = std::string(kTinyLmName);
    TensorSignature prompt{"PROMPT", DataType::kBytes, {1}};
    prompt.min_element_bytes = 1;
    prompt.max_element_bytes = 4096;
    s->inputs = {prompt};
    s->outputs = {
        {"TEXT", DataType::kBytes, {1}},
        {"TOKEN_IDS", DataType::kInt32, {-1}, 1, 256},
        {"LOGPROBS", DataType::kFp32, {-1}, 1, 256},
    };
    s->parameters = {{"max_tokens", 1, 256, 16}};
    return s;
  }();
  return *signature;
}

absl::StatusOr<std::shared_ptr<const Model>> LoadTinyLmModel(const WeightsFile& weights) {
  absl::StatusOr<TinyLm> lm = TinyLm::FromWeights(weights);
  if (!lm.ok()) return lm.status();
  return std::make_shared<const TinyLmModel>(*std::move(lm));
}

}  // namespace faultdrill::server
