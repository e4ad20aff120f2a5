// The reference server's cost model: how long one model run occupies an
// inference worker, set by configuration rather than by the CPU it runs on.
//
// With a cost set, a worker that finishes a run early waits out the rest of its
// service time, so a model served by W workers at service time S has a capacity
// of W / S on any machine fast enough to compute a run within S. Tests and
// scenarios that judge speed or capacity set it; without it (the default) a run
// takes as long as the computation, as before.
//
// Service time of one run = per_batch + per_input_token * input tokens
//                          + per_output_token * output tokens,
// where the tokens are summed over the requests of a batch. tinylm counts a
// prompt byte as an input token and max_tokens as output tokens; the classifier
// has no tokens, so its cost is per batch. Immutable after parsing; safe to
// share between threads.
#ifndef FAULTDRILL_SERVER_COST_MODEL_H_
#define FAULTDRILL_SERVER_COST_MODEL_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace faultdrill::server {

struct ModelCost {
  absl::Duration per_batch = absl::ZeroDuration();
  absl::Duration per_input_token = absl::ZeroDuration();
  absl::Duration per_output_token = absl::ZeroDuration();
};

// What a request asks of a model, in the units its cost is counted in.
struct TokenCounts {
  int64_t input = 0;
  int64_t output = 0;
};

class CostModel {
 public:
  // Adds one `--cost` flag: "MODEL:KEY=DURATION[,KEY=DURATION...]", keys
  // per_batch, per_input_token, per_output_token, durations as "2ms", "250us".
  // InvalidArgument naming the flag and the part that is wrong; a model given
  // twice is an error (the second would silently win).
  absl::Status AddFlag(std::string_view flag);

  // The service time of one run of `model` on requests asking `tokens`; zero
  // for a model without a cost.
  absl::Duration ServiceTime(std::string_view model, TokenCounts tokens) const;

  bool empty() const { return costs_.empty(); }

 private:
  std::map<std::string, ModelCost, std::less<>> costs_;
};

}  // namespace faultdrill::server

#endif  // FAULTDRILL_SERVER_COST_MODEL_H_
