// `poison-inputs`: while the fault is applied, a `fraction` of the load's
// requests are replaced by malformed ones (injectors/poison_variants.h), sent
// in turn so that every chosen variant is exercised; each answer is checked
// against what that variant should get.
//
//   - {kind: poison-inputs, at: 10s, for: 5s, fraction: 10%, expect: INVALID_ARGUMENT}
//   - {kind: poison-inputs, at: 10s, for: 5s, variants: [nan, wrong-shape], expect_by_variant: {nan: OK}}
//
// Poisoned calls are the fault's traffic: they are counted here (by variant)
// and NOT in the service's latency, throughput or error rate (see
// load/request_interceptor.h). The fault's verdict fails when any poisoned
// request got an answer outside its expected codes: a different code
// ("unexpected"), DEADLINE_EXCEEDED ("timeout"), UNAVAILABLE or a launched
// target found not running when the fault ends ("crash"), or no answer. A
// poisoned call that the fault proxy ended itself (a grpc-fault abort,
// kProxyInjectedDetails) never reached the target: it is counted as
// "ended_by_proxy" and not judged.
//
// Which requests are poisoned is a pure function of (seed, seq): the same
// scenario seed poisons the same sequence numbers. Variants are built once,
// in PrepareRequests (injectors/load_hook.h); the hot path only reads.
#ifndef FAULTDRILL_INJECTORS_POISON_INPUTS_H_
#define FAULTDRILL_INJECTORS_POISON_INPUTS_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "injectors/injector.h"
#include "injectors/load_hook.h"
#include "injectors/poison_variants.h"
#include "injectors/registry.h"

namespace faultdrill::injectors {

struct PoisonInputsSettings {
  std::string name;
  double fraction = 0.1;  // (0, 1]
  struct Variant {
    std::string name;
    StatusCodeSet expect = 0;
  };
  // The chosen variants, catalogue order. Empty `variants:` means every
  // variant the planned requests allow (the others are listed as skipped).
  std::vector<Variant> variants;
  bool all_variants = true;
  uint64_t seed = 0;
  PoisonBuildOptions build;
  std::optional<Duration> active_for;
};

class PoisonInputsInjector final : public Injector, public LoadHook, private load::RequestInterceptor {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  PoisonInputsInjector(PoisonInputsSettings settings, Targets& targets)
      : settings_(std::move(settings)), targets_(targets) {}

  // Injector
  std::string Describe() const override;
  std::optional<Duration> ActiveFor() const override { return settings_.active_for; }
  // Starts poisoning; FailedPrecondition when PrepareRequests was not called.
  absl::Status Apply() override;
  // Stops poisoning (calls in flight are still counted when they complete).
  absl::Status Revert() override;
  std::map<std::string, int64_t> Counters() const override;
  std::vector<std::string> Touches() const override;
  std::vector<Verdict> Verdicts() const override;
  std::vector<PoisonOutcome> PoisonOutcomes() const override;

  // LoadHook
  absl::Status PrepareRequests(const load::RequestSource& planned) override;
  load::RequestInterceptor& interceptor() override { return *this; }

  // Whether request `seq` is among the poisoned ones (given the fault is on).
  bool Selects(uint64_t seq) const;
  // The variants PrepareRequests built, in the order they are sent.
  const std::vector<inference::ModelInferRequest>& variant_requests() const { return requests_; }
  const std::vector<std::string>& variant_names() const { return names_; }

 private:
  // RequestInterceptor
  const inference::ModelInferRequest* Substitute(uint64_t seq, const inference::ModelInferRequest& planned) override;
  void OnSubstitutedComplete(const load::SubstitutedCall& call) override;

  struct Tally {
    std::atomic<int64_t> sent{0};
    std::atomic<int64_t> expected{0};
    std::atomic<int64_t> unexpected{0};
    std::atomic<int64_t> timeouts{0};
    std::atomic<int64_t> crashes{0};
    std::atomic<int64_t> ended_by_proxy{0};  // never reached the target
    std::atomic<int> first_unexpected{-1};  // the first unexpected code seen
  };
  int64_t Sum(std::atomic<int64_t> Tally::*field) const;

  const PoisonInputsSettings settings_;
  Targets& targets_;

  // Set once by PrepareRequests, before the load starts; read-only after.
  std::vector<inference::ModelInferRequest> requests_;  // contiguous: a pointer tells the variant
  std::vector<std::string> names_;
  std::vector<StatusCodeSet> expect_;
  std::vector<std::string> skipped_;  // "name (why)"
  std::unique_ptr<Tally[]> tallies_;

  std::atomic<bool> active_{false};
  std::atomic<uint64_t> next_variant_{0};
  std::atomic<bool> applied_{false};
  std::atomic<bool> target_down_{false};  // the launched target was not running when the fault ended
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_POISON_INPUTS_H_
