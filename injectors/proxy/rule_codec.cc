#include "injectors/proxy/rule_codec.h"

#include "absl/strings/str_cat.h"

namespace faultdrill::injectors::proxy {

control::ProxyRule RuleToProto(const ProxyRule& rule) {
  control::ProxyRule message;
  message.set_action(static_cast<control::ProxyRule::Action>(rule.action));
  message.set_method(rule.method);
  message.set_fraction(rule.fraction);
  message.set_delay_ns(rule.delay.count());
  message.set_jitter_ns(rule.jitter.count());
  message.set_status(rule.status);
  message.set_message(rule.message);
  message.set_bytes_per_second(rule.bytes_per_second);
  message.set_flips(rule.flips);
  message.set_seed(rule.seed);
  return message;
}

absl::StatusOr<ProxyRule> RuleFromProto(const control::ProxyRule& message) {
  static_assert(static_cast<int>(ProxyRule::Action::kCorrupt) == control::ProxyRule::CORRUPT);
  ProxyRule rule;
  if (!control::ProxyRule::Action_IsValid(message.action())) {
    return absl::InvalidArgumentError(absl::StrCat("unknown action ", message.action()));
  }
  rule.action = static_cast<ProxyRule::Action>(message.action());
  rule.method = message.method();
  rule.fraction = message.fraction();
  if (!(rule.fraction >= 0 && rule.fraction <= 1)) {
    return absl::InvalidArgumentError(absl::StrCat("fraction ", rule.fraction, " is not in [0, 1]"));
  }
  if (message.delay_ns() < 0 || message.jitter_ns() < 0) {
    return absl::InvalidArgumentError("delay and jitter must not be negative");
  }
  rule.delay = Duration(message.delay_ns());
  rule.jitter = Duration(message.jitter_ns());
  rule.status = message.status();
  if (rule.action == ProxyRule::Action::kAbort && (rule.status < 1 || rule.status > 16)) {
    return absl::InvalidArgumentError(absl::StrCat("status ", rule.status, " is not a gRPC error code (1..16)"));
  }
  rule.message = message.message();
  rule.bytes_per_second = message.bytes_per_second();
  if (rule.action == ProxyRule::Action::kBandwidth && !(rule.bytes_per_second > 0)) {
    return absl::InvalidArgumentError("a bandwidth rule needs bytes_per_second > 0");
  }
  rule.flips = message.flips();
  if (rule.action == ProxyRule::Action::kCorrupt && rule.flips < 1) {
    return absl::InvalidArgumentError("a corrupt rule needs flips >= 1");
  }
  rule.seed = message.seed();
  return rule;
}

}  // namespace faultdrill::injectors::proxy
