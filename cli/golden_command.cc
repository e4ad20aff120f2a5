// `faultdrill golden record|compare|approve SCENARIO`: golden masters outside
// a drill. Each brings up the scenario's target (the embedded server, a
// launched process or an endpoint), waits until it is healthy, sends the
// load's request set once, one request at a time (a quiet steady state), and
//   record:  writes the masters (refuses to replace existing ones: approve does);
//   compare: compares the answers with the masters (exit 1 when they differ);
//   approve: shows what changed against the masters, and replaces them with --yes.
#include <fmt/format.h>

#include <filesystem>
#include <future>
#include <ostream>

#include "cli/commands.h"
#include "cli/compiled_scenario.h"
#include "cli/exit_codes.h"
#include "cli/interrupts.h"
#include "cli/target_launcher.h"
#include "core/clock.h"
#include "golden/golden_accumulator.h"
#include "golden/golden_verdicts.h"
#include "golden/masters.h"
#include "golden/masters_diff.h"
#include "golden/response_compare.h"
#include "load/grpc_transport.h"
#include "probes/http_fetch.h"
#include "probes/prometheus_text.h"

namespace faultdrill::cli {
namespace fs = std::filesystem;

namespace {

constexpr char kVersion[] = "0.1.0";
constexpr char kWeightsParameter[] = "weights_sha256";

// The answers to the request set, in request order.
struct Recording {
  golden::Masters masters;
  uint64_t failed = 0;
  std::string first_failure;
};

size_t RequestsToRecord(const CompiledScenario& compiled) {
  const size_t size = compiled.requests->size();
  const uint64_t limit = compiled.scenario.golden->record_requests;
  return limit == 0 ? size : std::min<size_t>(size, limit);
}

absl::StatusOr<Recording> RecordAnswers(const CompiledScenario& compiled, const std::string& endpoint,
                                        std::stop_token stop) {
  const Scenario& s = compiled.scenario;
  auto transport = load::GrpcTransport::Create({.endpoint = endpoint, .channels = 1});
  if (!transport.ok()) return transport.status();
  Recording recording;
  golden::MastersHeader header;
  header.model = s.target.model;
  header.model_version = s.target.model_version;
  header.faultdrill_version = kVersion;
  header.recorded_at = UtcTimestamp();
  header.scenario = s.name;
  const size_t count = RequestsToRecord(compiled);
  for (size_t i = 0; i < count && !stop.stop_requested(); ++i) {
    std::promise<std::pair<grpc::Status, inference::ModelInferResponse>> answered;
    auto future = answered.get_future();
    (*transport)->Infer(compiled.requests->At(i), std::chrono::system_clock::now() + s.load.deadline,
                        [&answered](const grpc::Status& status, inference::ModelInferResponse& response) {
                          inference::ModelInferResponse kept;
                          kept.Swap(&response);
                          answered.set_value({status, std::move(kept)});
                        });
    auto [status, response] = future.get();
    if (!status.ok()) {
      if (recording.failed++ == 0) {
        recording.first_failure = fmt::format("request {}: {} ({})", i, status.error_message(),
                                              static_cast<int>(status.error_code()));
      }
      continue;
    }
    if (!response.model_version().empty() && header.model_version.empty()) header.model_version = response.model_version();
    auto it = response.parameters().find(kWeightsParameter);
    if (it != response.parameters().end() && header.weights_sha256.empty()) {
      header.weights_sha256 = it->second.string_param();
    }
    auto master = golden::Masters::MasterFromResponse(i, response);
    if (!master.ok()) return absl::DataLossError(fmt::format("request {}: {}", i, std::string(master.status().message())));
    if (absl::Status added = recording.masters.Add(*std::move(master)); !added.ok()) return added;
  }
  if (stop.stop_requested()) return absl::CancelledError("interrupted");
  recording.masters.set_header(std::move(header));
  return recording;
}

// Compares the recording with the masters as a run's "all" window does.
GoldenWindowResult CompareWithMasters(const CompiledScenario& compiled, const golden::Masters& masters,
                                      const Recording& recording) {
  golden::GoldenAccumulator accumulator({Window{"all", Duration(0), Duration::max()}}, "masters");
  const GoldenSpec& spec = *compiled.scenario.golden;
  for (const golden::MasterResponse& actual : recording.masters.responses()) {
    const golden::MasterResponse* expected = masters.Find(actual.request_index);
    if (expected == nullptr) {
      accumulator.AddWithoutMaster(Duration(0));
      continue;
    }
    accumulator.Add(Duration(0), actual.request_index, golden::CompareMasters(actual, *expected, spec));
  }
  return accumulator.Results().front();
}

// The SHA-256 of the weights `model` serves, as the reference server reports
// it on its metrics endpoint (faultdrill_weights_info{model,sha256}); empty
// when the target has no such endpoint or metric.
std::string WeightsSha256FromMetrics(const std::string& metrics_url, const std::string& model) {
  if (metrics_url.empty()) return "";
  auto url = probes::ParseHttpUrl(metrics_url);
  if (!url.ok()) return "";
  auto response = probes::MakeHttpFetcher()->Get(*url, {});
  if (!response.ok()) return "";
  auto exposition = probes::ParsePrometheusText(response->body, probes::BadLines::kSkip);
  if (!exposition.ok()) return "";
  for (const probes::Sample& sample : exposition->samples) {
    if (sample.name != "faultdrill_weights_info") continue;
    std::string sample_model, sha256;
    for (const auto& [key, value] : sample.labels) {
      if (key == "model") sample_model = value;
      if (key == "sha256") sha256 = value;
    }
    if (sample_model == model) return sha256;
  }
  return "";
}

void PrintComparison(const GoldenWindowResult& result, std::ostream& out) {
  out << fmt::format("compared {} responses: {} differ, {} without a master\n", result.compared, result.differing,
                     result.without_master);
  if (result.compared > 0) {
    out << fmt::format("max abs error {:g}, max rel error {:g}, max ULP {}", result.max_abs_error,
                       result.max_rel_error, result.max_ulp);
    if (result.argmax_disagreements || result.top_k_disagreements) {
      out << fmt::format(", argmax disagreements {}, top-k disagreements {}", result.argmax_disagreements,
                         result.top_k_disagreements);
    }
    if (result.max_edit_distance) out << fmt::format(", max edit distance {}", result.max_edit_distance);
    out << "\n";
  }
  for (const ResponseDiff& diff : result.first_differences) {
    out << fmt::format("\nrequest {}{}: {}\n", diff.request_index, diff.output.empty() ? "" : " " + diff.output,
                       diff.problem);
    if (diff.side_by_side.empty()) continue;
    out << fmt::format("  {:<16} {:<24} {}\n", "index", "expected", "actual");
    for (const auto& [index, expected, actual] : diff.side_by_side) {
      out << fmt::format("  {:<16} {:<24} {}\n", index, expected, actual);
    }
  }
}

}  // namespace

int Golden(const GoldenOptions& options, std::ostream& out, std::ostream& err) {
  auto compiled = CompileScenario(options.scenario, {.overrides = options.overrides});
  if (!compiled.ok()) {
    err << compiled.status().message() << "\n";
    return kExitInvalid;
  }
  const Scenario& s = (*compiled)->scenario;
  if (!s.golden) {
    err << fmt::format("{}: the scenario has no 'golden:' section; add golden: {{masters: masters/{}.golden.jsonl}}\n",
                       s.file, s.name);
    return kExitInvalid;
  }
  const std::string& path = s.golden->masters;
  std::optional<golden::Masters> existing;
  if (options.action != "record" || fs::exists(path)) {
    auto loaded = golden::Masters::Load(path);
    if (!loaded.ok()) {
      err << "faultdrill: " << loaded.status().message() << "\n";
      if (absl::IsNotFound(loaded.status())) {
        err << fmt::format("faultdrill: record the masters first: faultdrill golden record {}\n", s.file);
      }
      return kExitInvalid;
    }
    existing = *std::move(loaded);
  }
  if (options.action == "record" && existing && !options.yes) {
    err << fmt::format(
        "faultdrill: {} already holds masters; `faultdrill golden approve {}` shows what would change and "
        "replaces them (or record again with --yes)\n",
        path, s.file);
    return kExitInvalid;
  }

  const std::string work_dir =
      options.out_dir.empty() ? (fs::path("out") / s.name / "golden").string() : options.out_dir;
  std::error_code ec;
  fs::create_directories(work_dir, ec);
  InterruptWatcher interrupts;
  err << "faultdrill: bringing up the target\n" << std::flush;
  auto target = StartTarget(s, work_dir, {}, interrupts.token());
  if (!target.ok()) {
    err << "faultdrill: cannot reach the target: " << target.status().message() << "\n";
    return absl::IsCancelled(target.status()) ? kExitAborted : kExitEnvironment;
  }
  err << fmt::format("faultdrill: {}; sending {} requests one at a time\n", target->description,
                     RequestsToRecord(**compiled))
      << std::flush;
  auto recording = RecordAnswers(**compiled, target->endpoint, interrupts.token());
  if (!recording.ok()) {
    err << "faultdrill: " << recording.status().message() << "\n";
    return absl::IsCancelled(recording.status()) ? kExitAborted : kExitEnvironment;
  }
  if (recording->failed > 0) {
    err << fmt::format("faultdrill: {} of {} requests failed (first: {}); the target is not in a steady state\n",
                       recording->failed, RequestsToRecord(**compiled), recording->first_failure);
    return kExitEnvironment;
  }

  if (recording->masters.header().weights_sha256.empty()) {
    golden::MastersHeader header = recording->masters.header();
    header.weights_sha256 = WeightsSha256FromMetrics(target->metrics_url, s.target.model);
    recording->masters.set_header(std::move(header));
  }

  if (fs::path parent = fs::path(path).parent_path(); !parent.empty()) fs::create_directories(parent, ec);
  if (options.action == "record") {
    if (absl::Status saved = recording->masters.Save(path); !saved.ok()) {
      err << "faultdrill: " << saved.message() << "\n";
      return kExitEnvironment;
    }
    const golden::MastersHeader& h = recording->masters.header();
    out << fmt::format("recorded {} masters of model {}{}{} to {}\n", recording->masters.responses().size(), h.model,
                       h.model_version.empty() ? "" : " version " + h.model_version,
                       h.weights_sha256.empty() ? "" : " (weights " + h.weights_sha256.substr(0, 12) + "…)", path);
    return kExitPassed;
  }
  if (options.action == "compare") {
    GoldenWindowResult result = CompareWithMasters(**compiled, *existing, *recording);
    const std::string& was = existing->header().weights_sha256;
    const std::string& now = recording->masters.header().weights_sha256;
    if (!was.empty() && !now.empty() && was != now) {
      out << fmt::format("the target serves other weights than the masters were recorded from: sha256 {} -> {}\n",
                         was, now);
    }
    PrintComparison(result, out);
    std::vector<Verdict> verdicts = golden::GoldenVerdicts(*s.golden, {result});
    const bool passed = !verdicts.empty() && verdicts.front().passed;
    out << (passed ? "golden: PASSED" : "golden: FAILED") << " — " << (verdicts.empty() ? "" : verdicts[0].message)
        << "\n";
    return passed ? kExitPassed : kExitFailed;
  }
  // approve
  golden::MastersDiffResult diff = golden::MastersDiff(*existing, recording->masters, *s.golden);
  out << diff.text;
  if (!diff.text.empty() && diff.text.back() != '\n') out << "\n";
  if (diff.changed == 0 && diff.added == 0 && diff.removed == 0 && !diff.header_changed) {
    out << "the masters are up to date; nothing to approve\n";
    return kExitPassed;
  }
  if (!options.yes) {
    out << fmt::format("not replaced: run `faultdrill golden approve {} --yes` to accept these answers as the new "
                       "masters\n",
                       s.file);
    return kExitFailed;
  }
  if (absl::Status saved = recording->masters.Save(path); !saved.ok()) {
    err << "faultdrill: " << saved.message() << "\n";
    return kExitEnvironment;
  }
  out << fmt::format("approved: {} now holds the new masters\n", path);
  return kExitPassed;
}

}  // namespace faultdrill::cli
