#include "injectors/grpc_fault.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "absl/strings/str_cat.h"
#include "fmt/format.h"
#include "injectors/command.h"

namespace faultdrill::injectors {

namespace {

constexpr std::array<std::string_view, 17> kCodeNames = {
    "OK",        "CANCELLED",         "UNKNOWN",          "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS",    "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED",   "OUT_OF_RANGE",      "UNIMPLEMENTED",    "INTERNAL",         "UNAVAILABLE",
    "DATA_LOSS", "UNAUTHENTICATED"};

struct ActionInfo {
  std::string_view name;
  ProxyRule::Action action;
  std::vector<std::string_view> keys;  // the keys of its own
};

const std::vector<ActionInfo>& Actions() {
  static const auto* actions = new std::vector<ActionInfo>{
      {"delay", ProxyRule::Action::kDelay, {"delay", "jitter"}},
      {"abort", ProxyRule::Action::kAbort, {"status", "message"}},
      {"deadline", ProxyRule::Action::kDeadline, {}},
      {"reset", ProxyRule::Action::kReset, {}},
      {"blackhole", ProxyRule::Action::kBlackhole, {}},
      {"bandwidth", ProxyRule::Action::kBandwidth, {"rate"}},
      {"corrupt", ProxyRule::Action::kCorrupt, {"flips"}},
  };
  return *actions;
}

const ActionInfo& InfoOf(ProxyRule::Action action) {
  for (const ActionInfo& info : Actions()) {
    if (info.action == action) return info;
  }
  return Actions().front();
}

// The rule's seed: the scenario's seed mixed with the fault's name (FNV-1a),
// so two faults of one scenario draw differently and every run the same.
uint64_t RuleSeed(uint64_t scenario_seed, const std::string& name) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : name) hash = (hash ^ c) * 0x100000001b3ULL;
  return hash ^ (scenario_seed * 0x9e3779b97f4a7c15ULL);
}

std::string FormatByteRate(double bytes_per_second) {
  if (bytes_per_second >= 1e6) return fmt::format("{:g}MB/s", bytes_per_second / 1e6);
  if (bytes_per_second >= 1e3) return fmt::format("{:g}kB/s", bytes_per_second / 1e3);
  return fmt::format("{:g}B/s", bytes_per_second);
}

std::string Scope(const ProxyRule& rule) {
  return fmt::format("{}, {:g}% of calls", rule.method.empty() ? "every method" : "method " + rule.method,
                     rule.fraction * 100);
}

}  // namespace

absl::StatusOr<double> ParseByteRate(std::string_view text) {
  constexpr std::string_view kForms = "expected bytes per second such as 1MB/s, 512KiB/s or 2000/s";
  std::string_view amount = text;
  for (std::string_view suffix : {"/sec", "/s"}) {
    if (amount.size() > suffix.size() && amount.substr(amount.size() - suffix.size()) == suffix) {
      amount.remove_suffix(suffix.size());
      break;
    }
  }
  if (amount.size() == text.size()) return absl::InvalidArgumentError(fmt::format("'{}': {}", text, kForms));
  absl::StatusOr<uint64_t> bytes = ParseBytes(amount);
  if (!bytes.ok()) return absl::InvalidArgumentError(fmt::format("'{}': {}", text, kForms));
  if (*bytes == 0) return absl::InvalidArgumentError(fmt::format("'{}': must be greater than zero", text));
  return static_cast<double>(*bytes);
}

std::optional<int> ParseGrpcErrorCode(std::string_view text) {
  int number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error == std::errc() && end == text.data() + text.size()) {
    if (number >= 1 && number <= 16) return number;
    return std::nullopt;
  }
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (size_t code = 1; code < kCodeNames.size(); ++code) {
    if (kCodeNames[code] == upper) return static_cast<int>(code);
  }
  return std::nullopt;
}

std::string GrpcCodeName(int code) {
  if (code >= 0 && code < static_cast<int>(kCodeNames.size())) return std::string(kCodeNames[code]);
  return std::to_string(code);
}

absl::StatusOr<std::unique_ptr<Injector>> GrpcFaultInjector::Create(const FaultSpec& spec,
                                                                   InjectorContext& context) {
  ParamReader params(spec.params, absl::StrCat("fault '", spec.name, "' (grpc-fault)"));
  if (absl::Status s = params.CheckKnownKeys(
          {"action", "method", "fraction", "delay", "jitter", "status", "message", "rate", "flips"});
      !s.ok()) {
    return s;
  }
  auto action_name =
      params.Choice("action", {"delay", "abort", "deadline", "reset", "blackhole", "bandwidth", "corrupt"});
  if (!action_name.ok()) return action_name.status();
  const ActionInfo* info = nullptr;
  for (const ActionInfo& candidate : Actions()) {
    if (candidate.name == *action_name) info = &candidate;
  }
  // A key of another action is a mistake worth naming, not something to ignore.
  for (const ActionInfo& other : Actions()) {
    for (std::string_view key : other.keys) {
      if (!params.Has(key) || std::find(info->keys.begin(), info->keys.end(), key) != info->keys.end()) continue;
      return params.Error(key, fmt::format("`{}` does not apply to action {} (it belongs to action {})", key,
                                           info->name, other.name));
    }
  }

  GrpcFaultSettings settings;
  settings.name = spec.name;
  settings.active_for = spec.duration;
  ProxyRule& rule = settings.rule;
  rule.action = info->action;
  rule.seed = RuleSeed(context.scenario.seed, spec.name);
  auto method = params.String("method", "");
  if (!method.ok()) return method.status();
  if (method->find_first_of(" \t") != std::string::npos) {
    return params.Error("method", "a method name has no spaces (ModelInfer, or /package.Service/Method)");
  }
  rule.method = *method;
  auto fraction = params.Percent("fraction", 1.0);
  if (!fraction.ok()) return fraction.status();
  if (*fraction <= 0) return params.Error("fraction", "must be greater than zero (0 would never apply the fault)");
  rule.fraction = *fraction;

  switch (rule.action) {
    case ProxyRule::Action::kDelay: {
      auto delay = params.Dur("delay");
      if (!delay.ok()) return delay.status();
      if (delay->count() <= 0) return params.Error("delay", "must be greater than zero");
      rule.delay = *delay;
      auto jitter = params.Dur("jitter", Duration(0));
      if (!jitter.ok()) return jitter.status();
      rule.jitter = *jitter;
      break;
    }
    case ProxyRule::Action::kAbort: {
      auto status = params.String("status", "UNAVAILABLE");
      if (!status.ok()) return status.status();
      std::optional<int> code = ParseGrpcErrorCode(*status);
      if (!code) {
        return params.Error("status", fmt::format("'{}' is not a gRPC error code (a name such as UNAVAILABLE, "
                                                  "INTERNAL, RESOURCE_EXHAUSTED, or a number 1..16)",
                                                  *status));
      }
      rule.status = *code;
      auto message = params.String("message", "injected by faultdrill (grpc-fault " + spec.name + ")");
      if (!message.ok()) return message.status();
      rule.message = *message;
      break;
    }
    case ProxyRule::Action::kBandwidth: {
      auto rate_text = params.String("rate");
      if (!rate_text.ok()) return rate_text.status();
      auto rate = ParseByteRate(*rate_text);
      if (!rate.ok()) return params.Error("rate", std::string(rate.status().message()));
      rule.bytes_per_second = *rate;
      break;
    }
    case ProxyRule::Action::kCorrupt: {
      auto flips = params.Int("flips", 1, 1'000'000, 1);
      if (!flips.ok()) return flips.status();
      rule.flips = static_cast<int>(*flips);
      break;
    }
    case ProxyRule::Action::kDeadline:
    case ProxyRule::Action::kReset:
    case ProxyRule::Action::kBlackhole:
      break;
  }
  return std::make_unique<GrpcFaultInjector>(std::move(settings), context.run);
}

std::string GrpcFaultInjector::Describe() const {
  const ProxyRule& rule = settings_.rule;
  std::string what;
  switch (rule.action) {
    case ProxyRule::Action::kDelay:
      what = "delay gRPC calls by " + FormatDuration(rule.delay);
      if (rule.jitter.count() > 0) what += " ± " + FormatDuration(rule.jitter);
      break;
    case ProxyRule::Action::kAbort:
      what = "abort gRPC calls with " + GrpcCodeName(rule.status);
      break;
    case ProxyRule::Action::kDeadline:
      what = "hold gRPC calls until their deadline has passed";
      break;
    case ProxyRule::Action::kReset:
      what = "reset the client's connection on gRPC calls";
      break;
    case ProxyRule::Action::kBlackhole:
      what = "never answer gRPC calls";
      break;
    case ProxyRule::Action::kBandwidth:
      what = "limit gRPC calls to " + FormatByteRate(rule.bytes_per_second);
      break;
    case ProxyRule::Action::kCorrupt:
      what = fmt::format("flip {} bit{} in each response message", rule.flips, rule.flips == 1 ? "" : "s");
      break;
  }
  return fmt::format("{} ({}), in the fault proxy", what, Scope(rule));
}

absl::Status GrpcFaultInjector::Apply() {
  FaultProxy* proxy = run_.proxy();
  if (proxy == nullptr) {
    return absl::FailedPreconditionError(
        fmt::format("grpc-fault '{}' needs the fault proxy between the load and the target, and this run has none",
                    settings_.name));
  }
  // Marked before the call: a rule the proxy installed although the answer
  // was lost is still cleared by Revert.
  applied_ = true;
  return proxy->SetRule(settings_.name, settings_.rule);
}

absl::Status GrpcFaultInjector::Revert() {
  if (!applied_) return absl::OkStatus();
  FaultProxy* proxy = run_.proxy();
  if (proxy == nullptr) return absl::OkStatus();  // no proxy, no rule
  if (auto stats = proxy->Stats(settings_.name); stats.ok()) {
    requests_affected_ = stats->matched;
    requests_spared_ = stats->passed;
  }
  if (absl::Status s = proxy->ClearRule(settings_.name); !s.ok()) return s;
  applied_ = false;
  return absl::OkStatus();
}

std::map<std::string, int64_t> GrpcFaultInjector::Counters() const {
  int64_t affected = requests_affected_;
  int64_t spared = requests_spared_;
  if (FaultProxy* proxy = run_.proxy(); applied_ && proxy != nullptr) {
    if (auto stats = proxy->Stats(settings_.name); stats.ok()) {
      affected = stats->matched;
      spared = stats->passed;
    }
  }
  return {{"requests_affected", affected}, {"requests_spared", spared}};
}

std::vector<std::string> GrpcFaultInjector::Touches() const {
  return {fmt::format("gRPC calls through the fault proxy ({})", Scope(settings_.rule))};
}

std::vector<Need> GrpcFaultInjector::Needs() const {
  absl::StatusOr<std::string> binary = FindFaultdrillBinary("faultdrill-proxy");
  absl::Status status = binary.ok() ? absl::OkStatus() : absl::FailedPreconditionError(binary.status().message());
  return {Need{"faultdrill-proxy (the gRPC fault proxy)", status}};
}

}  // namespace faultdrill::injectors
