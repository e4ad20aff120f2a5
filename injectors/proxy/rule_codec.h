// ProxyRule on the control channel: the one conversion both ends use.
#ifndef FAULTDRILL_INJECTORS_PROXY_RULE_CODEC_H_
#define FAULTDRILL_INJECTORS_PROXY_RULE_CODEC_H_

#include "absl/status/statusor.h"
#include "injectors/fault_proxy.h"
#include "proto/fault_proxy.pb.h"

namespace faultdrill::injectors::proxy {

control::ProxyRule RuleToProto(const ProxyRule& rule);
// InvalidArgument for values no valid rule has (unknown action, fraction
// outside [0, 1], negative times, a bandwidth <= 0, flips < 1, status outside 1..16).
absl::StatusOr<ProxyRule> RuleFromProto(const control::ProxyRule& message);

}  // namespace faultdrill::injectors::proxy

#endif  // FAULTDRILL_INJECTORS_PROXY_RULE_CODEC_H_
