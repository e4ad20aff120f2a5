#include "server/cost_model.h"

#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "server/model_server.h"
#include "server/strings.h"

namespace faultdrill::server {
namespace {

absl::Status FlagError(std::string_view flag, std::string_view problem) {
  return absl::InvalidArgumentError(
      Cat("--cost '", flag, "': ", problem,
          " (expected MODEL:KEY=DURATION[,KEY=DURATION...], keys per_batch, per_input_token, "
          "per_output_token, e.g. tinylm:per_output_token=2ms)"));
}

absl::Duration* CostField(ModelCost& cost, std::string_view key) {
  if (key == "per_batch") return &cost.per_batch;
  if (key == "per_input_token") return &cost.per_input_token;
  if (key == "per_output_token") return &cost.per_output_token;
  return nullptr;
}

}  // namespace

absl::Status CostModel::AddFlag(std::string_view flag) {
  const size_t colon = flag.find(':');
  if (colon == std::string_view::npos || colon == 0) return FlagError(flag, "no model name before ':'");
  const std::string model(flag.substr(0, colon));
  if (costs_.contains(model)) return FlagError(flag, Cat("model ", model, " has a cost already"));
  const std::string_view terms = flag.substr(colon + 1);
  if (terms.empty()) return FlagError(flag, "no KEY=DURATION after ':'");
  ModelCost cost;
  for (absl::string_view term : absl::StrSplit(ToAbsl(terms), ',')) {
    const std::string_view text = ToStd(term);
    const size_t equals = text.find('=');
    if (equals == std::string_view::npos) return FlagError(flag, Cat("'", text, "' is not KEY=DURATION"));
    const std::string_view key = text.substr(0, equals);
    absl::Duration* field = CostField(cost, key);
    if (field == nullptr) return FlagError(flag, Cat("unknown key '", key, "'"));
    absl::StatusOr<absl::Duration> value = ParseDurationFlag(text.substr(equals + 1));
    if (!value.ok()) return FlagError(flag, ToStd(value.status().message()));
    if (*value > absl::Seconds(60)) return FlagError(flag, Cat(key, " is above 60s"));
    *field = *value;
  }
  costs_.emplace(model, cost);
  return absl::OkStatus();
}

absl::Duration CostModel::ServiceTime(std::string_view model, TokenCounts tokens) const {
  const auto found = costs_.find(model);
  if (found == costs_.end()) return absl::ZeroDuration();
  const ModelCost& cost = found->second;
  return cost.per_batch + cost.per_input_token * tokens.input + cost.per_output_token * tokens.output;
}

}  // namespace faultdrill::server
