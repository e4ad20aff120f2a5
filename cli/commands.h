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

// Parses "key=value" (from --set). InvalidArgument names the bad text.
absl::StatusOr<Override> ParseOverride(const std::string& text);

}  // namespace faultdrill::cli

#endif  // FAULTDRILL_CLI_COMMANDS_H_
