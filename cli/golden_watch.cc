#include "cli/golden_watch.h"

#include <fmt/format.h>

#include "golden/golden_verdicts.h"
#include "golden/response_compare.h"

namespace faultdrill::cli {

absl::StatusOr<std::unique_ptr<GoldenWatch>> GoldenWatch::Open(const Scenario& scenario, const Timeline& timeline,
                                                               size_t request_count) {
  const GoldenSpec& spec = *scenario.golden;
  absl::StatusOr<golden::Masters> masters = golden::Masters::Load(spec.masters);
  if (!masters.ok()) {
    if (absl::IsNotFound(masters.status())) {
      return absl::FailedPreconditionError(fmt::format(
          "{}: no golden masters yet; record them first with `faultdrill golden record {}`", spec.masters,
          scenario.file));
    }
    return masters.status();
  }
  return std::unique_ptr<GoldenWatch>(new GoldenWatch(spec, *std::move(masters), timeline, request_count));
}

GoldenWatch::GoldenWatch(const GoldenSpec& spec, golden::Masters masters, const Timeline& timeline,
                         size_t request_count)
    : spec_(spec),
      masters_(std::move(masters)),
      request_count_(request_count),
      accumulator_(timeline.windows(), "masters") {}

void GoldenWatch::OnResponse(uint64_t seq, Duration intended, const inference::ModelInferResponse& response) {
  const uint64_t index = seq % request_count_;
  const golden::MasterResponse* master = masters_.Find(index);
  if (master == nullptr) {
    accumulator_.AddWithoutMaster(intended);
    return;
  }
  accumulator_.Add(intended, index, golden::CompareResponse(response, *master, spec_));
}

namespace {

GoldenSpec ShadowSpec(const Scenario& scenario) {
  if (scenario.golden) return *scenario.golden;
  GoldenSpec spec;
  spec.windows.push_back(WindowSpec{});
  return spec;
}

}  // namespace

ShadowWatch::ShadowWatch(const Scenario& scenario, const Timeline& timeline)
    : spec_(ShadowSpec(scenario)), candidate_(*scenario.candidate), accumulator_(timeline.windows(), "primary") {}

void ShadowWatch::Compare(Duration sent, const inference::ModelInferResponse& primary,
                          const inference::ModelInferResponse& candidate) {
  accumulator_.Add(sent, 0, golden::CompareResponses(candidate, primary, spec_));
}

std::vector<Verdict> ShadowWatch::Verdicts(const std::vector<GoldenWindowResult>& results,
                                           const WindowResult* primary_all,
                                           const WindowResult* candidate_all) const {
  std::vector<Verdict> out = golden::GoldenVerdicts(spec_, results);
  for (Verdict& v : out) {
    v.group = "shadow";
    v.name = "shadow: candidate answers like the primary" + (v.window == "all" ? "" : " in " + v.window);
  }
  Verdict latency;
  latency.name = "shadow: candidate p99 latency";
  latency.group = "shadow";
  latency.window = "all";
  latency.metric = "p99_latency";
  latency.comparison = "<=";
  latency.unit = "ms";
  Verdict errors = latency;
  errors.name = "shadow: candidate error rate";
  errors.metric = "error_rate";
  errors.unit = "%";
  if (primary_all == nullptr || candidate_all == nullptr || primary_all->requests == 0 ||
      candidate_all->requests == 0) {
    latency.message = errors.message = "no requests reached both targets";
    out.push_back(latency);
    out.push_back(errors);
    return out;
  }
  const double primary_p99 = primary_all->service_time.p99_ms;
  latency.threshold = primary_p99 * (1 + candidate_.latency_slack) + 1.0;
  latency.measured = candidate_all->service_time.p99_ms;
  latency.passed = *latency.measured <= latency.threshold;
  latency.message = fmt::format("candidate p99 {:.1f} ms {} {:.1f} ms (primary {:.1f} ms + {:g}% + 1 ms)",
                                *latency.measured, latency.passed ? "<=" : ">", latency.threshold, primary_p99,
                                candidate_.latency_slack * 100);
  errors.threshold = (primary_all->error_rate() + candidate_.max_error_rate_increase) * 100;
  errors.measured = candidate_all->error_rate() * 100;
  errors.passed = *errors.measured <= errors.threshold + 1e-9;
  errors.message = fmt::format("candidate error rate {:.2f}% {} {:.2f}% (primary {:.2f}% + {:g}%)", *errors.measured,
                               errors.passed ? "<=" : ">", errors.threshold, primary_all->error_rate() * 100,
                               candidate_.max_error_rate_increase * 100);
  out.push_back(latency);
  out.push_back(errors);
  return out;
}

}  // namespace faultdrill::cli
