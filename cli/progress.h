// The live progress line during a run: elapsed/total, requests/s, errors, p99
// so far, active faults. On a terminal it rewrites one line; otherwise (CI
// logs) it prints a line every few seconds.
#ifndef FAULTDRILL_CLI_PROGRESS_H_
#define FAULTDRILL_CLI_PROGRESS_H_

#include <functional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "core/duration.h"
#include "load/recorder.h"

namespace faultdrill::cli {

struct ProgressSource {
  const load::Recorder& recorder;
  std::function<std::vector<std::string>()> active_faults;
  Duration total{0};
};

// "[=========>          ]": `fraction` (clamped to [0, 1]) of `width` cells.
std::string ProgressBar(double fraction, size_t width);

// One progress line, e.g. "[=======>            ]  35%    7.0s / 20.0s    199 req/s
// errors 12     p99 4.1ms     in flight 3     active: kill-server".
std::string FormatProgress(const load::LiveStats& live, Duration total, const std::vector<std::string>& active);

class ProgressPrinter {
 public:
  // Prints to `out` until destroyed. `interactive`: rewrite one line (\r).
  ProgressPrinter(ProgressSource source, std::ostream& out, bool interactive);
  ~ProgressPrinter();  // stops and ends the line

 private:
  void Loop(std::stop_token stop);

  ProgressSource source_;
  std::ostream& out_;
  const bool interactive_;
  std::jthread thread_;
};

}  // namespace faultdrill::cli

#endif  // FAULTDRILL_CLI_PROGRESS_H_
