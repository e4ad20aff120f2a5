// The subcommands. Each returns an exit code (cli/exit_codes.h) and writes its
// messages to the given streams; only main() exits.
#ifndef FAULTDRILL_CLI_COMMANDS_H_
#define FAULTDRILL_CLI_COMMANDS_H_

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "core/scenario.h"

namespace faultdrill::cli {

struct ValidateOptions {
  std::vector<std::string> scenarios;
  std::vector<Override> overrides;
};

struct PlanOptions {
  std::string scenario;
  std::vector<Override> overrides;
  std::optional<uint64_t> seed;
};

struct RunOptions {
  std::string scenario;
  std::string out_dir;  // empty: out/<scenario name>
  std::optional<uint64_t> seed;
  std::vector<Override> overrides;
  bool quiet = false;  // no live progress
};

struct RecoverOptions {
  std::vector<std::string> journals;  // journal folders; empty: out/*/journal
};

struct GoldenOptions {
  std::string action;  // "record", "compare" or "approve"
  std::string scenario;
  std::string out_dir;  // the target's files; empty: out/<name>/golden
  std::vector<Override> overrides;
  bool yes = false;  // approve: replace without asking; record: replace existing masters
};

struct ReportOptions {
  std::string result;   // a result.json
  std::string out_dir;  // where report.html and junit.xml go; empty: next to the result
};

struct DiffOptions {
  std::string base;      // result.json of the reference run
  std::string now;       // result.json of the run to judge
  std::string markdown;  // also write the Markdown summary here ("-": to stdout instead of the table)
  bool all = false;      // list unchanged values too
  bool colour = false;   // colour the table (main: only on a terminal)
  // Thresholds as written on the command line ("10%", "1ms"); empty: the default.
  std::string max_latency_increase, min_latency_change, max_error_rate_increase, max_throughput_decrease,
      max_recovery_increase, min_recovery_change, max_capacity_decrease;
  std::optional<double> max_score_decrease;
};

int Validate(const ValidateOptions& options, std::ostream& out, std::ostream& err);
int Plan(const PlanOptions& options, std::ostream& out, std::ostream& err);
int Run(const RunOptions& options, std::ostream& out, std::ostream& err);
// Exit 0 when nothing is left to undo, 3 when an undo step failed, 2 when a
// named journal does not exist.
int Recover(const RecoverOptions& options, std::ostream& out, std::ostream& err);
// Exit 0: recorded / equal / approved; 1: the answers differ (compare) or
// approval is pending (approve without --yes); 2: bad scenario or masters;
// 3: the target cannot be reached or answered with errors.
int Golden(const GoldenOptions& options, std::ostream& out, std::ostream& err);

// The shell command that runs `options` again with `seed` (RunResult::command):
// "faultdrill run scenarios/x.yaml --seed 42 --set 'load.rate=500/s'".
std::string ReproduceCommand(const RunOptions& options, uint64_t seed);

// Re-renders report.html and junit.xml from a result.json. Exit 0 written;
// 2 the result cannot be read (the message names the file and the place);
// 3 a report cannot be written.
int Report(const ReportOptions& options, std::ostream& out, std::ostream& err);
// Compares two results. Exit 0 no regression beyond the thresholds; 1 at
// least one; 2 a result cannot be read or a threshold is malformed.
int Diff(const DiffOptions& options, std::ostream& out, std::ostream& err);

// Parses "key=value" (from --set). InvalidArgument names the bad text.
absl::StatusOr<Override> ParseOverride(const std::string& text);

}  // namespace faultdrill::cli

#endif  // FAULTDRILL_CLI_COMMANDS_H_
