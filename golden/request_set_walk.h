// The walk of `golden record|compare|approve`: sends the request set once,
// one request at a time, and hands each answer on as it arrives, so that no
// answer is kept longer than its own turn. It gives up on a hopeless target:
// after kHopelessFailures calls in a row have failed (the target is
// unreachable, or fails every call), the rest of the set is not sent, since
// every call would wait out its deadline for nothing.
#ifndef FAULTDRILL_GOLDEN_REQUEST_SET_WALK_H_
#define FAULTDRILL_GOLDEN_REQUEST_SET_WALK_H_

#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>

#include "absl/status/statusor.h"
#include "proto/grpc_service.pb.h"

namespace faultdrill::golden {

inline constexpr uint64_t kHopelessFailures = 5;

// One call's outcome: `response` is meaningful when `status` is OK.
struct Answer {
  absl::Status status;
  inference::ModelInferResponse response;
};

struct WalkSummary {
  uint64_t sent = 0;    // requests sent (all of them unless it stopped early)
  uint64_t failed = 0;  // calls that failed
  std::string first_failure;  // "request 3: connection refused (UNAVAILABLE)"
  bool hopeless = false;      // stopped after kHopelessFailures failures in a row
  std::string last_failure;   // the last failed call, same form
};

// Calls `ask(i)` for i = 0..count-1 in order (it sends request i and waits
// for the answer), then `on_answer(i, response)` for every OK answer (it may
// take the response apart). An error from `on_answer` ends the walk and is
// returned; Cancelled when `stop` is requested between calls.
absl::StatusOr<WalkSummary> WalkRequestSet(
    uint64_t count, std::stop_token stop, const std::function<Answer(uint64_t index)>& ask,
    const std::function<absl::Status(uint64_t index, inference::ModelInferResponse& response)>& on_answer);

// What failed, for the user: "stopped after 5 failed calls in a row (the
// target is unreachable or fails every call); 5 of the 5 requests sent failed
// (first: ...; last: ...)", or "2 of 64 requests failed (first: ...; last:
// ...)" when it did not stop early. "" when nothing failed.
std::string DescribeFailures(const WalkSummary& summary, uint64_t count);

}  // namespace faultdrill::golden

#endif  // FAULTDRILL_GOLDEN_REQUEST_SET_WALK_H_
