// Golden-master and shadow comparison during a run: every OK response of the
// load is compared with its master (load/response_observer.h), and with
// shadow traffic every pair of primary and candidate answers is compared
// with each other; both accumulate per window (golden/golden_accumulator.h).
#ifndef FAULTDRILL_CLI_GOLDEN_WATCH_H_
#define FAULTDRILL_CLI_GOLDEN_WATCH_H_

#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "core/run_result.h"
#include "core/scenario.h"
#include "core/timeline.h"
#include "golden/golden_accumulator.h"
#include "golden/masters.h"
#include "load/response_observer.h"

namespace faultdrill::cli {

// Against the scenario's masters.
class GoldenWatch final : public load::ResponseObserver {
 public:
  // Loads scenario.golden->masters (which must be set). `request_count` is
  // the size of the load's request set: request seq is master seq % count.
  static absl::StatusOr<std::unique_ptr<GoldenWatch>> Open(const Scenario& scenario, const Timeline& timeline,
                                                           size_t request_count);

  void OnResponse(uint64_t seq, Duration intended, const inference::ModelInferResponse& response) override;

  std::vector<GoldenWindowResult> Results() const { return accumulator_.Results(); }
  const golden::MastersHeader& header() const { return masters_.header(); }

 private:
  GoldenWatch(const GoldenSpec& spec, golden::Masters masters, const Timeline& timeline, size_t request_count);

  const GoldenSpec& spec_;
  const golden::Masters masters_;
  const size_t request_count_;
  golden::GoldenAccumulator accumulator_;
};

// The candidate's answers against the primary's (both OK; a failed call is
// judged by the error-rate verdict instead).
class ShadowWatch {
 public:
  ShadowWatch(const Scenario& scenario, const Timeline& timeline);

  void Compare(Duration sent, const inference::ModelInferResponse& primary,
               const inference::ModelInferResponse& candidate);

  std::vector<GoldenWindowResult> Results() const { return accumulator_.Results(); }

  // Output agreement per golden window (group "shadow"), and the candidate's
  // latency (p99 of service time) and error rate against the primary's over
  // the whole run.
  std::vector<Verdict> Verdicts(const std::vector<GoldenWindowResult>& results, const WindowResult* primary_all,
                                const WindowResult* candidate_all) const;

 private:
  const GoldenSpec spec_;  // the scenario's golden tolerances, or the defaults
  const CandidateSpec candidate_;
  golden::GoldenAccumulator accumulator_;
};

}  // namespace faultdrill::cli

#endif  // FAULTDRILL_CLI_GOLDEN_WATCH_H_
