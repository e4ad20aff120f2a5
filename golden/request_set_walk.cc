#include "golden/request_set_walk.h"

#include "absl/status/status.h"
#include "fmt/format.h"

namespace faultdrill::golden {

absl::StatusOr<WalkSummary> WalkRequestSet(
    uint64_t count, std::stop_token stop, const std::function<Answer(uint64_t index)>& ask,
    const std::function<absl::Status(uint64_t index, inference::ModelInferResponse& response)>& on_answer) {
  WalkSummary summary;
  uint64_t failed_in_a_row = 0;
  for (uint64_t i = 0; i < count; ++i) {
    if (stop.stop_requested()) return absl::CancelledError("interrupted");
    Answer answer = ask(i);
    ++summary.sent;
    if (!answer.status.ok()) {
      summary.last_failure = fmt::format("request {}: {} ({})", i, std::string(answer.status.message()),
                                         absl::StatusCodeToString(answer.status.code()));
      if (summary.failed++ == 0) summary.first_failure = summary.last_failure;
      if (++failed_in_a_row == kHopelessFailures && i + 1 < count) {
        summary.hopeless = true;
        return summary;
      }
      continue;
    }
    failed_in_a_row = 0;
    if (absl::Status s = on_answer(i, answer.response); !s.ok()) return s;
  }
  return summary;
}

std::string DescribeFailures(const WalkSummary& summary, uint64_t count) {
  if (summary.failed == 0) return "";
  std::string text =
      summary.hopeless
          ? fmt::format("stopped after {} failed calls in a row (the target is unreachable or fails every call); "
                        "{} of the {} requests sent failed",
                        kHopelessFailures, summary.failed, summary.sent)
          : fmt::format("{} of {} requests failed", summary.failed, count);
  text += fmt::format(" (first: {}", summary.first_failure);
  if (summary.failed > 1) text += fmt::format("; last: {}", summary.last_failure);
  return text + ")";
}

}  // namespace faultdrill::golden
