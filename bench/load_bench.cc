// Drives the reference server (or any KServe v2 endpoint) at increasing open-
// loop rates or closed-loop concurrencies and prints, per step: achieved ok
// rate, errors, corrected and service p99, and the client's CPU seconds per
// 1,000 requests (getrusage of this process). Used by bench/max_rate.sh.
//
//   load_bench --endpoint 127.0.0.1:8001 [--model classifier] [--mode open|closed]
//              [--steps 500,1000,2000] [--seconds 3] [--channels 2] [--batch 1]
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "load/grpc_transport.h"
#include "load/load_driver.h"
#include "load/recorder.h"
#include "load/request_generator.h"

namespace {

using namespace faultdrill;
using std::chrono::seconds;

struct Args {
  std::string endpoint;
  std::string model = "classifier";
  std::string mode = "open";
  std::vector<double> steps = {250, 500, 1000, 2000, 4000};
  double seconds_per_step = 3;
  int channels = 2;
  int batch = 1;
};

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

bool Parse(int argc, char** argv, Args& args) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--endpoint") {
      args.endpoint = value;
    } else if (key == "--model") {
      args.model = value;
    } else if (key == "--mode") {
      args.mode = value;
    } else if (key == "--steps") {
      args.steps.clear();
      std::stringstream in(value);
      for (std::string item; std::getline(in, item, ',');) args.steps.push_back(std::atof(item.c_str()));
    } else if (key == "--seconds") {
      args.seconds_per_step = std::atof(value.c_str());
    } else if (key == "--channels") {
      args.channels = std::atoi(value.c_str());
    } else if (key == "--batch") {
      args.batch = std::atoi(value.c_str());
    } else {
      return false;
    }
  }
  return !args.endpoint.empty() && (args.mode == "open" || args.mode == "closed") && !args.steps.empty();
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!Parse(argc, argv, args)) {
    std::fprintf(stderr,
                 "usage: load_bench --endpoint HOST:PORT [--model classifier|tinylm] [--mode open|closed]\n"
                 "                  [--steps 500,1000,...] [--seconds S] [--channels N] [--batch B]\n");
    return 2;
  }
  GeneratorSpec generator;
  generator.model = args.model;
  generator.batch = args.batch;
  auto source = load::MakeGenerator(generator, args.model, "", 1);
  if (!source.ok()) {
    std::fprintf(stderr, "%s\n", std::string(source.status().message()).c_str());
    return 2;
  }
  auto transport = load::GrpcTransport::Create({.endpoint = args.endpoint, .channels = args.channels});
  if (!transport.ok() || !(*transport)->WaitForReady(std::chrono::system_clock::now() + seconds(10))) {
    std::fprintf(stderr, "cannot reach %s\n", args.endpoint.c_str());
    return 3;
  }
  std::printf("%-8s %10s %10s %8s %12s %12s %14s\n", args.mode == "open" ? "rate" : "conc", "ok/s", "sent",
              "errors", "p99 ms", "svc p99 ms", "cpu s/1k req");
  for (double step : args.steps) {
    LoadSpec spec;
    spec.duration = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(args.seconds_per_step));
    spec.deadline = seconds(2);
    if (args.mode == "open") {
      spec.mode = LoadMode::kOpen;
      spec.rate = Rate{step};
    } else {
      spec.mode = LoadMode::kClosed;
      spec.concurrency = int(step);
    }
    load::Recorder recorder({Window{"all", Duration(0), spec.duration}}, load::RecorderOptions::ForDeadline(spec.deadline));
    const double cpu_before = CpuSeconds();
    load::LoadStats stats;
    {
      load::LoadDriver driver(spec, **source, **transport, recorder, SystemClock());
      stats = driver.Run(SystemClock().Now(), {});
    }
    const double cpu = CpuSeconds() - cpu_before;
    const WindowResult all = recorder.WindowResults(stats.load_length)[0];
    std::printf("%-8g %10.0f %10llu %8llu %12.2f %12.2f %14.4f\n", step, all.throughput_rps,
                (unsigned long long)stats.sent, (unsigned long long)all.errors, all.latency.p99_ms,
                all.service_time.p99_ms, stats.sent ? cpu / (double(stats.sent) / 1000.0) : 0.0);
    std::fflush(stdout);
  }
  return 0;
}
