// `faultdrill golden record|compare|approve SCENARIO`: golden masters outside
// a drill. Each brings up the scenario's target (the embedded server, a
// launched process or an endpoint), waits until it is healthy, sends the
// load's request set once, one request at a time (a quiet steady state), and
//   record:  streams each answer into the masters as it arrives (refuses to
//            replace existing ones: approve does);
//   compare: compares each answer with its master as it arrives, reading the
//            masters in step (exit 1 when they differ; a malformed answer is
//            a difference);
//   approve: shows what changed against the masters, and replaces them with --yes.
// Record and compare hold one answer and one master at a time. All three give
// up after golden::kHopelessFailures failed calls in a row (exit 3).
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
#include "golden/masters_reader.h"
#include "golden/masters_writer.h"
#include "golden/request_set_walk.h"
#include "golden/response_compare.h"
#include "load/grpc_transport.h"
#include "probes/http_fetch.h"
#include "probes/prometheus_text.h"

namespace faultdrill::cli {
namespace fs = std::filesystem;

namespace {

constexpr char kVersion[] = "0.1.0";
constexpr char kWeightsParameter[] = "weights_sha256";

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

size_t RequestsToRecord(const CompiledScenario& compiled) {
  const size_t size = compiled.requests->size();
  const uint64_t limit = compiled.scenario.golden->record_requests;
  return limit == 0 ? size : std::min<size_t>(size, limit);
}

// Sends request `index` and waits for its answer.
golden::Answer Ask(load::GrpcTransport& transport, const CompiledScenario& compiled, uint64_t index) {
  std::promise<golden::Answer> answered;
  auto future = answered.get_future();
  transport.Infer(compiled.requests->At(index), std::chrono::system_clock::now() + compiled.scenario.load.deadline,
                  [&answered](const grpc::Status& status, inference::ModelInferResponse& response) {
                    golden::Answer answer;
                    if (!status.ok()) {
                      answer.status = absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                                                   status.error_message());
                    }
                    answer.response.Swap(&response);
                    answered.set_value(std::move(answer));
                  });
  return future.get();
}

// The masters header of a new recording; the answers fill in what the
// target says about itself (NoteAnswer).
golden::MastersHeader NewHeader(const Scenario& s) {
  golden::MastersHeader header;
  header.model = s.target.model;
  header.model_version = s.target.model_version;
  header.faultdrill_version = kVersion;
  header.recorded_at = UtcTimestamp();
  header.scenario = s.name;
  return header;
}

void NoteAnswer(const inference::ModelInferResponse& response, golden::MastersHeader& header) {
  if (!response.model_version().empty() && header.model_version.empty()) header.model_version = response.model_version();
  auto it = response.parameters().find(kWeightsParameter);
  if (it != response.parameters().end() && header.weights_sha256.empty()) {
    header.weights_sha256 = it->second.string_param();
  }
}

// A walk over the request set against one target, with what every action needs.
class Walk {
 public:
  Walk(const CompiledScenario& compiled, const RunningTarget& target, std::stop_token stop)
      : compiled_(compiled), target_(target), stop_(std::move(stop)), header_(NewHeader(compiled.scenario)) {}

  // Sends the set; `on_answer` gets each OK answer after NoteAnswer saw it.
  // Exit 0 when every call succeeded and every `on_answer` did; else prints
  // why and returns the exit code.
  int Run(const std::function<absl::Status(uint64_t, inference::ModelInferResponse&)>& on_answer,
          std::ostream& err) {
    auto transport = load::GrpcTransport::Create({.endpoint = target_.endpoint, .channels = 1});
    if (!transport.ok()) {
      err << "faultdrill: " << transport.status().message() << "\n";
      return kExitEnvironment;
    }
    const size_t count = RequestsToRecord(compiled_);
    auto summary = golden::WalkRequestSet(
        count, stop_, [&](uint64_t i) { return Ask(**transport, compiled_, i); },
        [&](uint64_t i, inference::ModelInferResponse& response) {
          NoteAnswer(response, header_);
          return on_answer(i, response);
        });
    if (!summary.ok()) {
      err << "faultdrill: " << summary.status().message() << "\n";
      return absl::IsCancelled(summary.status()) ? kExitAborted : kExitEnvironment;
    }
    if (summary->failed > 0) {
      err << fmt::format("faultdrill: {}; the target is not in a steady state\n", DescribeFailures(*summary, count));
      return kExitEnvironment;
    }
    if (header_.weights_sha256.empty()) {
      header_.weights_sha256 = WeightsSha256FromMetrics(target_.metrics_url, compiled_.scenario.target.model);
    }
    return kExitPassed;
  }

  // The header of the answers (after Run).
  const golden::MastersHeader& header() const { return header_; }

 private:
  const CompiledScenario& compiled_;
  const RunningTarget& target_;
  std::stop_token stop_;
  golden::MastersHeader header_;
};

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

// The answer to request `i` as a master; a malformed answer cannot be one.
absl::StatusOr<golden::MasterResponse> MasterOf(uint64_t i, const inference::ModelInferResponse& response) {
  auto master = golden::Masters::MasterFromResponse(i, response);
  if (!master.ok()) {
    return absl::DataLossError(fmt::format("request {}: a malformed answer cannot be a master: {}", i,
                                           std::string(master.status().message())));
  }
  return master;
}

// record: each answer goes into the masters as it arrives; nothing is
// replaced unless every request was answered.
int Record(const CompiledScenario& compiled, const RunningTarget& target, std::stop_token stop, std::ostream& out,
           std::ostream& err) {
  const std::string& path = compiled.scenario.golden->masters;
  auto writer = golden::MastersWriter::Create(path);
  if (!writer.ok()) {
    err << "faultdrill: " << writer.status().message() << "\n";
    return kExitEnvironment;
  }
  Walk walk(compiled, target, stop);
  const int walked = walk.Run(
      [&](uint64_t i, inference::ModelInferResponse& response) -> absl::Status {
        auto master = MasterOf(i, response);
        if (!master.ok()) return master.status();
        return (*writer)->Add(*master);
      },
      err);
  if (walked != kExitPassed) return walked;
  if (absl::Status saved = (*writer)->Commit(walk.header()); !saved.ok()) {
    err << "faultdrill: " << saved.message() << "\n";
    return kExitEnvironment;
  }
  const golden::MastersHeader& h = walk.header();
  out << fmt::format("recorded {} masters of model {}{}{} to {}\n", (*writer)->added(), h.model,
                     h.model_version.empty() ? "" : " version " + h.model_version,
                     h.weights_sha256.empty() ? "" : " (weights " + h.weights_sha256.substr(0, 12) + "…)", path);
  return kExitPassed;
}

// compare: each answer against its master as it arrives, as a run's "all"
// window does; a malformed answer is a difference.
int Compare(const CompiledScenario& compiled, const RunningTarget& target, std::stop_token stop, std::ostream& out,
            std::ostream& err) {
  const GoldenSpec& spec = *compiled.scenario.golden;
  auto masters = golden::MastersReader::Open(spec.masters);
  if (!masters.ok()) {
    err << "faultdrill: " << masters.status().message() << "\n";
    return kExitInvalid;
  }
  golden::GoldenAccumulator accumulator({Window{"all", Duration(0), Duration::max()}}, "masters");
  Walk walk(compiled, target, stop);
  const int walked = walk.Run(
      [&](uint64_t i, inference::ModelInferResponse& response) -> absl::Status {
        absl::StatusOr<const golden::MasterResponse*> master = (*masters)->Seek(i);
        if (!master.ok()) return master.status();
        if (*master == nullptr) {
          accumulator.AddWithoutMaster(Duration(0));
        } else {
          accumulator.Add(Duration(0), i, golden::CompareResponse(response, **master, spec));
        }
        return absl::OkStatus();
      },
      err);
  if (walked != kExitPassed) return walked;
  const GoldenWindowResult result = accumulator.Results().front();
  const std::string& was = (*masters)->header().weights_sha256;
  const std::string& now = walk.header().weights_sha256;
  if (!was.empty() && !now.empty() && was != now) {
    out << fmt::format("the target serves other weights than the masters were recorded from: sha256 {} -> {}\n", was,
                       now);
  }
  PrintComparison(result, out);
  std::vector<Verdict> verdicts = golden::GoldenVerdicts(spec, {result});
  const bool passed = !verdicts.empty() && verdicts.front().passed;
  out << (passed ? "golden: PASSED" : "golden: FAILED") << " — " << (verdicts.empty() ? "" : verdicts[0].message)
      << "\n";
  return passed ? kExitPassed : kExitFailed;
}

// approve: the whole new recording against the whole old one (in memory).
int Approve(const CompiledScenario& compiled, const RunningTarget& target, const golden::Masters& existing,
            const GoldenOptions& options, std::stop_token stop, std::ostream& out, std::ostream& err) {
  const Scenario& s = compiled.scenario;
  golden::Masters recording;
  Walk walk(compiled, target, stop);
  const int walked = walk.Run(
      [&](uint64_t i, inference::ModelInferResponse& response) -> absl::Status {
        auto master = MasterOf(i, response);
        if (!master.ok()) return master.status();
        return recording.Add(*std::move(master));
      },
      err);
  if (walked != kExitPassed) return walked;
  recording.set_header(walk.header());
  golden::MastersDiffResult diff = golden::MastersDiff(existing, recording, *s.golden);
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
  if (absl::Status saved = recording.Save(s.golden->masters); !saved.ok()) {
    err << "faultdrill: " << saved.message() << "\n";
    return kExitEnvironment;
  }
  out << fmt::format("approved: {} now holds the new masters\n", s.golden->masters);
  return kExitPassed;
}

// Reads every master once without keeping them: broken masters stop the
// command before the target is brought up (exit 2).
absl::Status CheckMasters(const std::string& path) {
  auto reader = golden::MastersReader::Open(path);
  if (!reader.ok()) return reader.status();
  for (;;) {
    auto master = (*reader)->Next();
    if (!master.ok()) return master.status();
    if (!*master) return absl::OkStatus();
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
  std::optional<golden::Masters> existing;  // approve compares with all of them
  absl::Status masters_ok;
  if (options.action == "approve") {
    auto loaded = golden::Masters::Load(path);
    if (loaded.ok()) existing = *std::move(loaded);
    masters_ok = loaded.status();
  } else if (options.action == "compare") {
    masters_ok = CheckMasters(path);
  }
  if (!masters_ok.ok()) {
    err << "faultdrill: " << masters_ok.message() << "\n";
    if (absl::IsNotFound(masters_ok)) {
      err << fmt::format("faultdrill: record the masters first: faultdrill golden record {}\n", s.file);
    }
    return kExitInvalid;
  }
  std::error_code ec;
  if (options.action == "record" && fs::exists(path, ec) && !options.yes) {
    err << fmt::format(
        "faultdrill: {} already holds masters; `faultdrill golden approve {}` shows what would change and "
        "replaces them (or record again with --yes)\n",
        path, s.file);
    return kExitInvalid;
  }

  const std::string work_dir =
      options.out_dir.empty() ? (fs::path("out") / s.name / "golden").string() : options.out_dir;
  fs::create_directories(work_dir, ec);
  if (fs::path parent = fs::path(path).parent_path(); !parent.empty()) fs::create_directories(parent, ec);
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
  if (options.action == "record") return Record(**compiled, *target, interrupts.token(), out, err);
  if (options.action == "compare") return Compare(**compiled, *target, interrupts.token(), out, err);
  return Approve(**compiled, *target, *existing, options, interrupts.token(), out, err);
}

}  // namespace faultdrill::cli
