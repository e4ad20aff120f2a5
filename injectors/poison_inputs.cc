#include "injectors/poison_inputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "injectors/fault_proxy.h"
#include "injectors/fault_seed.h"

namespace faultdrill::injectors {
namespace {

// The codes a scalar ("OK") or a list ([INVALID_ARGUMENT, OK]) names.
absl::StatusOr<StatusCodeSet> ReadCodes(const ParamNode& node, const std::string& what) {
  std::vector<const ParamNode*> items;
  if (node.kind == ParamNode::Kind::kScalar) items.push_back(&node);
  if (node.kind == ParamNode::Kind::kSequence) {
    for (const ParamNode& item : node.items) items.push_back(&item);
  }
  if (items.empty()) {
    return LocatedError(node.where, fmt::format("{}: expected a gRPC status name or a list of them", what));
  }
  StatusCodeSet set = 0;
  for (const ParamNode* item : items) {
    std::optional<grpc::StatusCode> code =
        item->kind == ParamNode::Kind::kScalar ? ParseStatusCodeName(item->scalar) : std::nullopt;
    if (!code) {
      return LocatedError(item->where, fmt::format("{}: '{}' is not a gRPC status name (OK, INVALID_ARGUMENT, "
                                                   "NOT_FOUND, RESOURCE_EXHAUSTED, ...)",
                                                   what, item->scalar));
    }
    set |= CodeBit(*code);
  }
  return set;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Injector>> PoisonInputsInjector::Create(const FaultSpec& spec,
                                                                       InjectorContext& context) {
  const std::string ctx = fmt::format("fault '{}' (poison-inputs)", spec.name);
  ParamReader params(spec.params, ctx);
  if (absl::Status s = params.CheckKnownKeys({"fraction", "variants", "expect", "expect_by_variant", "oversized_bytes"});
      !s.ok()) {
    return s;
  }
  PoisonInputsSettings settings;
  settings.name = spec.name;
  settings.active_for = spec.duration;
  settings.seed = FaultSeed(context.scenario.seed, spec.name);
  auto fraction = params.Percent("fraction", 0.1);
  if (!fraction.ok()) return fraction.status();
  if (*fraction <= 0) return params.Error("fraction", "must be more than 0");
  settings.fraction = *fraction;
  auto oversized = params.Bytes("oversized_bytes", settings.build.oversized_bytes);
  if (!oversized.ok()) return oversized.status();
  if (*oversized < 1024 || *oversized > (1ull << 30)) return params.Error("oversized_bytes", "must be 1KiB..1GiB");
  settings.build.oversized_bytes = *oversized;

  std::optional<StatusCodeSet> expect;
  if (const ParamNode* node = params.Find("expect")) {
    auto codes = ReadCodes(*node, ctx + ": expect");
    if (!codes.ok()) return codes.status();
    expect = *codes;
  }
  std::vector<std::string> chosen;
  if (params.Has("variants")) {
    auto list = params.List("variants", true);
    if (!list.ok()) return list.status();
    for (const ParamNode& item : (*list)->items) {
      if (item.kind != ParamNode::Kind::kScalar || FindPoisonVariant(item.scalar) == nullptr) {
        std::string known;
        for (const PoisonVariantInfo& info : PoisonVariants()) known += (known.empty() ? "" : ", ") + std::string(info.name);
        return LocatedError(item.where, fmt::format("{}: variants: '{}' is not a poison variant (known: {})", ctx,
                                                    item.scalar, known));
      }
      if (std::find(chosen.begin(), chosen.end(), item.scalar) != chosen.end()) {
        return LocatedError(item.where, fmt::format("{}: variants: '{}' is listed twice", ctx, item.scalar));
      }
      chosen.push_back(item.scalar);
    }
    if (chosen.empty()) return params.Error("variants", "name at least one variant (or leave it out for all)");
    settings.all_variants = false;
  }
  std::map<std::string, StatusCodeSet> by_variant;
  if (params.Has("expect_by_variant")) {
    auto map = params.Map("expect_by_variant", true);
    if (!map.ok()) return map.status();
    for (size_t i = 0; i < (*map)->entries.size(); ++i) {
      const auto& [variant, value] = (*map)->entries[i];
      const SourceLocation& where = i < (*map)->key_where.size() ? (*map)->key_where[i] : (*map)->where;
      if (FindPoisonVariant(variant) == nullptr) {
        return LocatedError(where, fmt::format("{}: expect_by_variant: '{}' is not a poison variant", ctx, variant));
      }
      if (!settings.all_variants && std::find(chosen.begin(), chosen.end(), variant) == chosen.end()) {
        return LocatedError(where, fmt::format("{}: expect_by_variant: '{}' is not among `variants`", ctx, variant));
      }
      auto codes = ReadCodes(value, fmt::format("{}: expect_by_variant: {}", ctx, variant));
      if (!codes.ok()) return codes.status();
      by_variant[variant] = *codes;
    }
  }
  for (const PoisonVariantInfo& info : PoisonVariants()) {
    const std::string name(info.name);
    if (!settings.all_variants && std::find(chosen.begin(), chosen.end(), name) == chosen.end()) continue;
    StatusCodeSet codes = info.default_expect;
    if (expect && info.follows_expect) codes = *expect;
    if (auto it = by_variant.find(name); it != by_variant.end()) codes = it->second;
    settings.variants.push_back({name, codes});
  }
  return std::make_unique<PoisonInputsInjector>(std::move(settings), context.targets);
}

absl::Status PoisonInputsInjector::PrepareRequests(const load::RequestSource& planned) {
  if (tallies_) return absl::FailedPreconditionError(fmt::format("fault '{}': requests already prepared", settings_.name));
  for (const PoisonInputsSettings::Variant& variant : settings_.variants) {
    auto request = BuildPoisonVariant(variant.name, planned, settings_.build);
    if (!request.ok()) {
      if (settings_.all_variants && request.status().code() == absl::StatusCode::kFailedPrecondition) {
        skipped_.push_back(fmt::format("{} (needs {})", variant.name, FindPoisonVariant(variant.name)->needs));
        continue;
      }
      return absl::FailedPreconditionError(fmt::format("fault '{}' (poison-inputs): {}", settings_.name,
                                                       std::string(request.status().message())));
    }
    requests_.push_back(*std::move(request));
    names_.push_back(variant.name);
    expect_.push_back(variant.expect);
  }
  if (requests_.empty()) {
    return absl::FailedPreconditionError(
        fmt::format("fault '{}' (poison-inputs): no variant can be made from the load's requests", settings_.name));
  }
  tallies_ = std::make_unique<Tally[]>(requests_.size());
  return absl::OkStatus();
}

bool PoisonInputsInjector::Selects(uint64_t seq) const {
  const double u = double(MixBits(settings_.seed ^ MixBits(seq)) >> 11) * 0x1.0p-53;  // uniform in [0, 1)
  return u < settings_.fraction;
}

const inference::ModelInferRequest* PoisonInputsInjector::Substitute(uint64_t seq,
                                                                     const inference::ModelInferRequest&) {
  if (!active_.load(std::memory_order_acquire) || !Selects(seq)) return nullptr;
  const size_t index = next_variant_.fetch_add(1, std::memory_order_relaxed) % requests_.size();
  tallies_[index].sent.fetch_add(1, std::memory_order_relaxed);
  return &requests_[index];
}

void PoisonInputsInjector::OnSubstitutedComplete(const load::SubstitutedCall& call) {
  const inference::ModelInferRequest* begin = requests_.data();
  std::less<const inference::ModelInferRequest*> before;
  if (requests_.empty() || before(call.request, begin) || !before(call.request, begin + requests_.size())) return;
  const size_t index = static_cast<size_t>(call.request - begin);
  Tally& tally = tallies_[index];
  if (call.code != grpc::StatusCode::OK && call.error_details == kProxyInjectedDetails) {
    tally.ended_by_proxy.fetch_add(1, std::memory_order_relaxed);
  } else if (Contains(expect_[index], call.code)) {
    tally.expected.fetch_add(1, std::memory_order_relaxed);
  } else if (call.code == grpc::StatusCode::DEADLINE_EXCEEDED) {
    tally.timeouts.fetch_add(1, std::memory_order_relaxed);
  } else if (call.code == grpc::StatusCode::UNAVAILABLE) {
    tally.crashes.fetch_add(1, std::memory_order_relaxed);
  } else {
    tally.unexpected.fetch_add(1, std::memory_order_relaxed);
    int none = -1;
    tally.first_unexpected.compare_exchange_strong(none, static_cast<int>(call.code));
  }
}

absl::Status PoisonInputsInjector::Apply() {
  if (!tallies_) {
    return absl::FailedPreconditionError(fmt::format(
        "fault '{}' (poison-inputs): the load's requests were never handed to it (LoadHook::PrepareRequests)",
        settings_.name));
  }
  applied_ = true;
  active_.store(true, std::memory_order_release);
  return absl::OkStatus();
}

absl::Status PoisonInputsInjector::Revert() {
  active_.store(false, std::memory_order_release);
  if (applied_ && targets_.launched() != nullptr && !targets_.launched()->Running()) target_down_ = true;
  return absl::OkStatus();
}

int64_t PoisonInputsInjector::Sum(std::atomic<int64_t> Tally::*field) const {
  int64_t sum = 0;
  for (size_t i = 0; i < requests_.size(); ++i) sum += (tallies_[i].*field).load();
  return sum;
}

std::map<std::string, int64_t> PoisonInputsInjector::Counters() const {
  const int64_t sent = Sum(&Tally::sent);
  return {{"poisoned_sent", sent},
          {"expected", Sum(&Tally::expected)},
          {"unexpected", Sum(&Tally::unexpected)},
          {"timeouts", Sum(&Tally::timeouts)},
          {"crashes", Sum(&Tally::crashes) + (target_down_ ? 1 : 0)},
          {"ended_by_proxy", Sum(&Tally::ended_by_proxy)},
          {"requests_affected", sent},
          {"variants", static_cast<int64_t>(requests_.size())}};
}

std::string PoisonInputsInjector::Describe() const {
  std::string variants = settings_.all_variants ? fmt::format("every variant ({})", settings_.variants.size())
                                                : fmt::format("{} variant{}", settings_.variants.size(),
                                                              settings_.variants.size() == 1 ? "" : "s");
  return fmt::format("replace {:g}% of the load's requests with malformed ones, {} in turn", settings_.fraction * 100,
                     variants);
}

std::vector<std::string> PoisonInputsInjector::Touches() const {
  std::string names;
  for (const auto& variant : settings_.variants) names += (names.empty() ? "" : ", ") + variant.name;
  return {fmt::format("requests: {:g}% of the load's requests replaced by malformed ones ({})",
                      settings_.fraction * 100, names)};
}

std::vector<PoisonOutcome> PoisonInputsInjector::PoisonOutcomes() const {
  std::vector<PoisonOutcome> outcomes;
  if (!tallies_) return outcomes;
  for (size_t i = 0; i < requests_.size(); ++i) {
    const Tally& t = tallies_[i];
    PoisonOutcome o;
    o.variant = names_[i];
    o.expected = FormatCodeSet(expect_[i]);
    o.sent = t.sent;
    o.as_expected = t.expected;
    o.unexpected = t.unexpected;
    o.timeouts = t.timeouts;
    o.crashes = t.crashes;
    if (t.unexpected > 0) {
      o.first_unexpected = FormatCodeSet(CodeBit(static_cast<grpc::StatusCode>(t.first_unexpected.load())));
    }
    outcomes.push_back(std::move(o));
  }
  return outcomes;
}

std::vector<Verdict> PoisonInputsInjector::Verdicts() const {
  Verdict v;
  v.name = fmt::format("poison-inputs {}: every poisoned request answered as expected", settings_.name);
  v.group = "fault";
  v.window = fmt::format("during({})", settings_.name);
  v.metric = "unexpected_answers";
  v.comparison = "<=";
  v.threshold = 0;
  if (settings_.active_for) v.duration_s = ToSeconds(*settings_.active_for);
  const int64_t sent = tallies_ ? Sum(&Tally::sent) : 0;
  std::string skipped;
  for (const std::string& s : skipped_) skipped += (skipped.empty() ? "; skipped: " : ", ") + s;
  if (sent == 0) {
    v.passed = false;
    v.message = applied_ ? "no request was poisoned: the load sent nothing to replace while the fault was on" + skipped
                         : "the fault was never applied, so nothing was poisoned" + skipped;
    return {v};
  }
  std::vector<std::string> problems;
  int64_t bad = 0, answered = 0;
  for (size_t i = 0; i < requests_.size(); ++i) {
    const Tally& t = tallies_[i];
    answered += t.expected + t.unexpected + t.timeouts + t.crashes + t.ended_by_proxy;
    std::vector<std::string> parts;
    if (t.unexpected > 0) {
      parts.push_back(fmt::format("{} unexpected (first {}, expected {})", t.unexpected.load(),
                                  FormatCodeSet(CodeBit(static_cast<grpc::StatusCode>(t.first_unexpected.load()))),
                                  FormatCodeSet(expect_[i])));
    }
    if (t.timeouts > 0) parts.push_back(fmt::format("{} timeouts", t.timeouts.load()));
    if (t.crashes > 0) parts.push_back(fmt::format("{} crashes (UNAVAILABLE)", t.crashes.load()));
    bad += t.unexpected + t.timeouts + t.crashes;
    if (!parts.empty()) {
      std::string joined;
      for (const std::string& p : parts) joined += (joined.empty() ? "" : ", ") + p;
      problems.push_back(fmt::format("{}: {}", names_[i], joined));
    }
  }
  if (sent > answered) {
    problems.push_back(fmt::format("{} without an answer", sent - answered));
    bad += sent - answered;
  }
  if (target_down_) {
    problems.push_back("the launched target was not running when the fault ended");
    bad += 1;
  }
  const int64_t by_proxy = Sum(&Tally::ended_by_proxy);
  const std::string not_judged =
      by_proxy == 0 ? "" : fmt::format(" ({} ended by the fault proxy before the target saw them, not judged)", by_proxy);
  v.measured = static_cast<double>(bad);
  v.passed = bad == 0;
  if (v.passed) {
    v.message = fmt::format("{} poisoned requests over {} variants, all {}answered as expected{}{}", sent,
                            requests_.size(), by_proxy == 0 ? "" : "others ", not_judged, skipped);
  } else {
    std::string joined;
    for (const std::string& p : problems) joined += (joined.empty() ? "" : "; ") + p;
    v.message = fmt::format("{} poisoned requests, {} not answered as expected: {}{}{}", sent, bad, joined,
                            not_judged, skipped);
  }
  return {v};
}

}  // namespace faultdrill::injectors
