#include "cli/describe.h"

#include <fmt/format.h>

#include <vector>


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
  std::string text = SloThresholdsText(slo);
  if (with_window && (!slo.recovery_time || slo.window.kind != WindowSpec::Kind::kAll)) {
    text += " in " + slo.window.ToString();
  }
  return text;
}

}  // namespace faultdrill::cli
