// Recorder memory against run length: feeds synthetic completions at
// 1,000 req/s for 10 s and for 10 min (intended times spread over the run,
// completions up to 2 s out of order, 1% errors) and prints what the recorder
// retains and how the process RSS moved. The target is flat memory apart from
// the compact per-second series.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <utility>
#include <vector>

#include "load/recorder.h"

namespace {

using faultdrill::Duration;
using faultdrill::Window;
using faultdrill::load::Completion;
using faultdrill::load::Recorder;
using faultdrill::load::RecorderOptions;
using std::chrono::milliseconds;
using std::chrono::seconds;

long RssKiB() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

void Measure(int run_seconds) {
  const long rss_before = RssKiB();
  std::vector<Window> windows = {{"all", seconds(0), seconds(run_seconds)},
                                 {"before", seconds(0), seconds(run_seconds / 3)},
                                 {"during(x)", seconds(run_seconds / 3), seconds(2 * run_seconds / 3)},
                                 {"after(x)", seconds(2 * run_seconds / 3), seconds(run_seconds)}};
  Recorder recorder(std::move(windows), RecorderOptions::ForDeadline(seconds(2)));
  std::mt19937_64 rng(9);
  std::lognormal_distribution<double> latency_ms(std::log(2.0), 0.8);
  const int64_t total = int64_t(run_seconds) * 1000;
  // Blocks of 2 s recorded in shuffled order: completions arrive out of order.
  std::vector<int64_t> block(2000);
  for (int64_t i = 0; i < total; ++i) {
    if (i % 2000 == 0) {
      for (int64_t k = 0; k < 2000; ++k) block[size_t(k)] = i + k;
      for (size_t k = block.size() - 1; k > 0; --k) std::swap(block[k], block[rng() % (k + 1)]);
    }
    const int64_t n = block[size_t(i % 2000)];
    const Duration intended = milliseconds(n);
    const Duration latency = std::chrono::duration_cast<Duration>(
        std::chrono::duration<double, std::milli>(std::min(latency_ms(rng), 2000.0)));
    const auto code = rng() % 100 == 0 ? grpc::StatusCode::UNAVAILABLE : grpc::StatusCode::OK;
    recorder.NoteSent(intended, intended);
    recorder.Record(Completion{intended, intended, intended + latency, code});
  }
  const long rss_after = RssKiB();
  std::printf("%5d s run, %8lld completions: recorder retains %8zu bytes (%zu open seconds, series %zu s); "
              "RSS delta %ld KiB\n",
              run_seconds, (long long)total, recorder.RetainedBytes(), recorder.open_second_count(),
              recorder.Series().size(), rss_after - rss_before);
}

}  // namespace

int main() {
  Measure(10);
  Measure(600);
  return 0;
}
