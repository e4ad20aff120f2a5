#include "injectors/hog_injector.h"

#include "fmt/format.h"

namespace faultdrill::injectors {

absl::StatusOr<HogAmount> ReadHogAmount(const ParamReader& params, const HogAmountKeys& keys) {
  if (params.Has(keys.fraction_key) == params.Has("bytes")) return params.MapError(keys.give_either);
  HogAmount amount;
  if (params.Has("bytes")) {
    auto bytes = params.Bytes("bytes");
    if (!bytes.ok()) return bytes.status();
    if (*bytes == 0) return params.Error("bytes", "must be greater than zero");
    amount.bytes = *bytes;
  } else {
    auto fraction = params.Percent(keys.fraction_key);
    if (!fraction.ok()) return fraction.status();
    if (*fraction <= 0 || *fraction > keys.max_fraction) return params.Error(keys.fraction_key, keys.out_of_range);
    amount.fraction = *fraction;
  }
  return amount;
}

std::string DescribeHogAmount(const HogAmount& amount, std::string_view whole) {
  if (amount.bytes > 0) return fmt::format("{} bytes", amount.bytes);
  return fmt::format("{:g}% of {}", amount.fraction * 100, whole);
}

HogInjector::HogInjector(HogFault fault, std::vector<HogCounter> counters, RunState& run)
    : fault_(std::move(fault)), counters_(std::move(counters)), run_(run) {
  for (const HogCounter& counter : counters_) values_[counter.name] = 0;
}

absl::Status HogInjector::Apply() {
  if (hog_ != nullptr) return absl::FailedPreconditionError(fmt::format("fault '{}' is already applied", fault_.name));
  absl::StatusOr<std::vector<std::string>> args = PrepareHelper();
  if (!args.ok()) return args.status();
  auto hog = HogProcess::Start(
      {.fault = fault_.name, .kind = fault_.kind, .args = *std::move(args), .ready_timeout = fault_.ready_timeout},
      run_);
  if (!hog.ok()) return hog.status();
  hog_ = std::move(*hog);
  absl::MutexLock lock(&mu_);
  for (const HogCounter& counter : counters_) values_[counter.name] = hog_->ReadyInt(counter.ready_key);
  return absl::OkStatus();
}

absl::Status HogInjector::Revert() {
  if (hog_ != nullptr) {
    hog_->Stop();
    hog_.reset();
  }
  return AfterHelperStopped();
}

std::map<std::string, int64_t> HogInjector::Counters() const {
  absl::MutexLock lock(&mu_);
  return values_;
}

std::vector<Need> HogInjector::Needs() const {
  std::vector<Need> needs = MachineNeeds();
  needs.push_back(HogBinaryNeed());
  return needs;
}

}  // namespace faultdrill::injectors
