#include "golden/response_compare.h"

#include <algorithm>

#include "fmt/format.h"

namespace faultdrill::golden {
namespace {

using Views = absl::StatusOr<std::vector<OutputTensor>>;

Views MasterViews(const MasterResponse& master) {
  std::vector<OutputTensor> views;
  views.reserve(master.outputs.size());
  for (const MasterTensor& tensor : master.outputs) {
    absl::StatusOr<OutputTensor> view = tensor.View();
    if (!view.ok()) return view.status();
    views.push_back(*view);
  }
  return views;
}

const OutputTensor* FindView(const std::vector<OutputTensor>& views, std::string_view name) {
  for (const OutputTensor& view : views) {
    if (view.name == name) return &view;
  }
  return nullptr;
}

void AddDifference(ResponseComparison& out, std::string output, std::string problem) {
  TensorComparison comparison;
  comparison.differs = true;
  comparison.problem = std::move(problem);
  out.differs = true;
  out.differences.push_back({std::move(output), std::move(comparison)});
}

void Fold(ResponseComparison& out, std::string_view name, TensorComparison comparison) {
  ++out.outputs_compared;
  out.max_abs_error = std::max(out.max_abs_error, comparison.max_abs_error);
  out.max_rel_error = std::max(out.max_rel_error, comparison.max_rel_error);
  out.max_ulp = std::max(out.max_ulp, comparison.max_ulp);
  out.argmax_disagreements += comparison.argmax_disagreements;
  out.top_k_disagreements += comparison.top_k_disagreements;
  out.max_edit_distance = std::max(out.max_edit_distance, comparison.edit_distance.value_or(0));
  if (!comparison.differs) return;
  out.differs = true;
  out.differences.push_back({std::string(name), std::move(comparison)});
}

// `expected_what` names the expected side in messages: "master", "primary".
ResponseComparison CompareViews(const Views& actual, const Views& expected, const GoldenSpec& spec,
                                std::string_view actual_what, std::string_view expected_what) {
  ResponseComparison out;
  if (!expected.ok()) {
    AddDifference(out, "",
                  fmt::format("the {} is malformed: {}", expected_what, std::string(expected.status().message())));
    return out;
  }
  if (!actual.ok()) {
    AddDifference(out, "", fmt::format("malformed {}: {}", actual_what, std::string(actual.status().message())));
    return out;
  }
  for (const OutputTensor& e : *expected) {
    const OutputTensor* a = FindView(*actual, e.name);
    if (a == nullptr) {
      AddDifference(out, std::string(e.name), fmt::format("missing output '{}'", e.name));
      continue;
    }
    Fold(out, e.name, CompareTensor(*a, e, spec.ToleranceFor(e.name), spec.nan_equal));
  }
  for (const OutputTensor& a : *actual) {
    if (FindView(*expected, a.name) == nullptr) {
      AddDifference(out, std::string(a.name),
                    fmt::format("unexpected output '{}' (the {} has no such output)", a.name, expected_what));
    }
  }
  return out;
}

}  // namespace

ResponseComparison CompareResponse(const inference::ModelInferResponse& actual, const MasterResponse& expected,
                                   const GoldenSpec& spec) {
  return CompareViews(DecodeOutputs(actual), MasterViews(expected), spec, "response", "master");
}

ResponseComparison CompareResponses(const inference::ModelInferResponse& candidate,
                                    const inference::ModelInferResponse& primary, const GoldenSpec& spec) {
  return CompareViews(DecodeOutputs(candidate), DecodeOutputs(primary), spec, "candidate response",
                      "primary's response");
}

ResponseComparison CompareMasters(const MasterResponse& actual, const MasterResponse& expected,
                                  const GoldenSpec& spec) {
  return CompareViews(MasterViews(actual), MasterViews(expected), spec, "new master", "old master");
}

ResponseDiff ToResponseDiff(const ResponseComparison& comparison, double t_s, uint64_t request_index) {
  ResponseDiff diff;
  diff.t_s = t_s;
  diff.request_index = request_index;
  if (comparison.differences.empty()) return diff;
  const OutputDifference& first = comparison.differences.front();
  diff.output = first.output;
  diff.problem = first.comparison.problem;
  diff.side_by_side = first.comparison.side_by_side;
  if (comparison.differences.size() > 1) {
    const size_t more = comparison.differences.size() - 1;
    diff.problem +=
        fmt::format(" (and {} more output{} {})", more, more > 1 ? "s" : "", more > 1 ? "differ" : "differs");
  }
  return diff;
}

}  // namespace faultdrill::golden
