#include "cli/describe.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

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

namespace {

// "2 workers; tinylm costs 2.5ms per output token" (the service time set by configuration).
std::string DescribeEmbeddedServer(const EmbeddedServerSpec& server) {
  std::string text = fmt::format("{} workers", server.workers);
  for (const ModelCostSpec& cost : server.cost) {
    std::vector<std::string> terms;
    if (cost.per_batch.count() > 0) terms.push_back(FormatDuration(cost.per_batch) + " per batch");
    if (cost.per_input_token.count() > 0) terms.push_back(FormatDuration(cost.per_input_token) + " per input token");
    if (cost.per_output_token.count() > 0) terms.push_back(FormatDuration(cost.per_output_token) + " per output token");
    if (terms.empty()) terms.push_back("nothing added");
    text += fmt::format("; {} costs {}", cost.model, fmt::join(terms, " + "));
  }
  return text;
}

}  // namespace

std::string DescribeTarget(const TargetSpec& target) {
  std::string where;
  if (target.embedded) {
    where = fmt::format("embedded faultdrill-model-server on a free loopback port ({})",
                        DescribeEmbeddedServer(target.server));
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
