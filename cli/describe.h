// One-line descriptions of scenario parts, shared by `plan` and `run`.
#ifndef FAULTDRILL_CLI_DESCRIBE_H_
#define FAULTDRILL_CLI_DESCRIBE_H_

#include <string>

#include "core/scenario.h"

namespace faultdrill::cli {

// "open loop 200/s, ramp to 400/s over 20s, for 20s, deadline 2s; requests: generator classifier (batch 1)"
std::string DescribeLoad(const LoadSpec& load);
// "embedded faultdrill-model-server, model classifier"
std::string DescribeTarget(const TargetSpec& target);
// "p99_latency <= 50ms, error_rate <= 1% in during(kill-server)"; without the
// window for steady-state SLOs, which are judged on fixed windows.
std::string DescribeSlo(const SloSpec& slo, bool with_window = true);
// "200/s"
std::string FormatRate(Rate rate);

}  // namespace faultdrill::cli

#endif  // FAULTDRILL_CLI_DESCRIBE_H_
