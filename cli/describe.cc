#include "cli/describe.h"

#include <fmt/format.h>

#include <vector>

#include "absl/strings/str_join.h"

namespace faultdrill::cli {

std::string FormatRate(Rate rate) { return fmt::format("{:g}/s", rate.per_second); }

std::string DescribeLoad(const LoadSpec& load) {
  std::string text;
  if (load.mode == LoadMode::kOpen) {
    text = fmt::format("open loop {}", FormatRate(load.rate));
    for (const RampStep& step : load.ramp) {
      text += fmt::format(", ramp to {} over {}", FormatRate(step.to), FormatDuration(step.over));
    }
  } else {
    text = fmt::format("closed loop, {} in flight", load.concurrency);
  }
  text += fmt::format(", for {}, deadline {}; requests: ", FormatDuration(load.duration),
                      FormatDuration(load.deadline));
  if (load.generator) {
    text += fmt::format("generated for {}", load.generator->model);
    if (load.generator->model == "classifier") text += fmt::format(" (batch {})", load.generator->batch);
    if (load.generator->model == "tinylm") text += fmt::format(" (max_tokens {})", load.generator->max_tokens);
  } else {
    text += load.requests_file;
  }
  return text;
}

std::string DescribeTarget(const TargetSpec& target) {
  std::string where;
  if (target.embedded) {
    where = "embedded faultdrill-model-server on a free loopback port";
  } else if (target.launch) {
    where = fmt::format("{} launched by faultdrill, at {}", target.launch->command.front(), target.endpoint);
  } else {
    where = target.endpoint;
  }
  return fmt::format("{}, model {}{}", where, target.model,
                     target.model_version.empty() ? "" : " version " + target.model_version);
}

std::string DescribeSlo(const SloSpec& slo, bool with_window) {
  std::vector<std::string> parts;
  auto latency = [&](const char* name, const std::optional<Duration>& d) {
    if (d) parts.push_back(fmt::format("{} <= {}", name, FormatDuration(*d)));
  };
  latency("p50_latency", slo.p50_latency);
  latency("p90_latency", slo.p90_latency);
  latency("p99_latency", slo.p99_latency);
  latency("p999_latency", slo.p999_latency);
  if (slo.error_rate) parts.push_back(fmt::format("error_rate <= {:g}%", *slo.error_rate * 100));
  if (slo.min_throughput) parts.push_back(fmt::format("throughput >= {}", FormatRate(*slo.min_throughput)));
  if (slo.recovery_time) {
    parts.push_back(fmt::format("recovery_time <= {}{}", FormatDuration(*slo.recovery_time),
                                slo.recovery_fault.empty() ? "" : " after " + slo.recovery_fault));
  }
  std::string text = absl::StrJoin(parts, ", ");
  if (with_window && (!slo.recovery_time || slo.window.kind != WindowSpec::Kind::kAll)) {
    text += " in " + slo.window.ToString();
  }
  return text;
}

}  // namespace faultdrill::cli
