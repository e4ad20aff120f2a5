#include "cli/progress.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "absl/strings/str_join.h"

namespace faultdrill::cli {

std::string ProgressBar(double fraction, size_t width) {
  if (!(fraction >= 0)) fraction = 0;  // also NaN
  fraction = std::min(fraction, 1.0);
  const size_t filled = static_cast<size_t>(fraction * double(width) + 0.5);
  std::string bar = "[" + std::string(filled, '=');
  if (filled < width) bar += ">" + std::string(width - filled - 1, ' ');
  return bar + "]";
}

std::string FormatProgress(const load::LiveStats& live, Duration total, const std::vector<std::string>& active) {
  // p99 of the successful calls: none yet, none shown.
  std::string p99 = live.completed > live.errors ? fmt::format("{:.1f}ms", live.p99_ms) : "-";
  const double fraction = total.count() > 0 ? ToSeconds(live.elapsed) / ToSeconds(total) : 0;
  return fmt::format("{} {:3.0f}% {:6.1f}s / {:.1f}s {:6} req/s  errors {:<6} p99 {:<9} in flight {:<5} active: {}",
                     ProgressBar(fraction, 20), std::min(fraction, 1.0) * 100, ToSeconds(live.elapsed),
                     ToSeconds(total), live.last_second_requests, live.errors, p99, live.in_flight,
                     active.empty() ? "-" : absl::StrJoin(active, ", "));
}

ProgressPrinter::ProgressPrinter(ProgressSource source, std::ostream& out, bool interactive)
    : source_(std::move(source)), out_(out), interactive_(interactive) {
  thread_ = std::jthread([this](std::stop_token stop) { Loop(stop); });
}

ProgressPrinter::~ProgressPrinter() {
  thread_.request_stop();
  thread_.join();
  if (interactive_) out_ << "\n" << std::flush;
}

void ProgressPrinter::Loop(std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any wake;
  const auto period = interactive_ ? std::chrono::milliseconds(500) : std::chrono::seconds(5);
  while (true) {
    {
      std::unique_lock lock(mu);
      if (wake.wait_for(lock, stop, period, [] { return false; }) || stop.stop_requested()) return;
    }
    std::string line = FormatProgress(source_.recorder.Live(), source_.total, source_.active_faults());
    if (interactive_) {
      out_ << "\r" << line << "\x1b[K" << std::flush;
    } else {
      out_ << line << "\n" << std::flush;
    }
  }
}

}  // namespace faultdrill::cli
