// tinylm: a small byte-level language model that decodes greedily, token by
// token, so that its cost grows with the tokens it generates like an LLM's.
//
// Architecture: byte embedding (256 x 64), two pre-norm transformer layers
// (RMSNorm; 4-head causal self-attention over a sliding window of the last 64
// positions with ALiBi distance biases and a key/value cache; a SiLU MLP
// 64 -> 128 -> 64), a final RMSNorm and an output projection to 256 byte logits,
// then log-softmax. Greedy decoding picks the most likely byte among printable
// ASCII and '\n' (so TEXT is always valid UTF-8); LOGPROBS are log-probabilities
// under the full 256-way distribution. Exactly max_tokens tokens are generated
// (there is no stop token), so a request's cost is predictable.
//
// Deterministic: plain float arithmetic in a fixed order, no threads, no
// randomness; the same weights and prompt give the same output bit for bit.
#ifndef FAULTDRILL_SERVER_TINYLM_H_
#define FAULTDRILL_SERVER_TINYLM_H_

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "server/model.h"
#include "server/weights_file.h"
#include "server/weights_generator.h"

namespace faultdrill::server {

inline constexpr std::string_view kTinyLmName = "tinylm";

class TinyLm {
 public:
  static constexpr int kVocab = 256;
  static constexpr int kDim = 64;
  static constexpr int kHeads = 4;
  static constexpr int kHeadDim = kDim / kHeads;
  static constexpr int kHidden = 128;
  static constexpr int kLayers = 2;
  static constexpr int kWindow = 64;

  // The tensors a tinylm weights file holds, with their initialisation.
  static std::vector<TensorRecipe> WeightsRecipe();

  // FailedPrecondition when a tensor is missing or has the wrong shape.
  static absl::StatusOr<TinyLm> FromWeights(const WeightsFile& weights);

  // The decoding state of one sequence: the key/value cache of every layer.
  class State {
   public:
    State();
    int64_t position() const { return position_; }

   private:
    friend class TinyLm;
    int64_t position_ = 0;
    // [layer][slot][dim], slot = position % kWindow.
    std::vector<float> keys_;
    std::vector<float> values_;
  };

  // Feeds one byte at state.position() and advances the state. When `logprobs`
  // is non-empty (size kVocab) it receives the log-probabilities of the next byte.
  void Step(State& state, uint8_t token, std::span<float> logprobs) const;

  // The most likely next byte among those greedy decoding may emit.
  static int ArgmaxEmittable(std::span<const float> logprobs);

  struct Generation {
    std::string text;
    std::vector<int32_t> token_ids;
    std::vector<float> logprobs;
  };

  // Feeds `prompt` (non-empty) and greedily generates `max_tokens` (>= 1) bytes.
  // Checks `interrupt` before every step and returns its status when it fires.
  absl::StatusOr<Generation> Generate(std::string_view prompt, int max_tokens,
                                      const Interrupt& interrupt) const;

 private:
  struct Layer {
    std::vector<float> attn_norm, wq, wk, wv, wo, ffn_norm, w1, w2;
  };
  TinyLm() = default;

  std::vector<float> embedding_;
  std::array<Layer, kLayers> layers_;
  std::vector<float> final_norm_;
  std::vector<float> lm_head_;
};

// The tinylm signature: input PROMPT BYTES [1] (1..4096 bytes of UTF-8),
// parameter max_tokens (1..256, default 16), outputs TEXT BYTES [1],
// TOKEN_IDS INT32 [-1], LOGPROBS FP32 [-1].
const ModelSignature& TinyLmSignature();

// The servable tinylm built from `weights` (see TinyLm::FromWeights).
absl::StatusOr<std::shared_ptr<const Model>> LoadTinyLmModel(const WeightsFile& weights);

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_TINYLM_H_
