#include "injectors/memory_hog.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "fmt/format.h"

namespace faultdrill::injectors {
namespace {

std::string Amount(const MemoryHogSettings& settings) {
  return DescribeHogAmount({.bytes = settings.bytes, .fraction = settings.fraction}, "available memory");
}

}  // namespace

absl::StatusOr<uint64_t> ParseMemAvailable(std::string_view meminfo) {
  constexpr std::string_view kKey = "MemAvailable:";
  size_t at = meminfo.find(kKey);
  if (at == std::string_view::npos || (at > 0 && meminfo[at - 1] != '\n')) {
    return absl::FailedPreconditionError("/proc/meminfo has no MemAvailable line (a kernel older than 3.14?)");
  }
  std::string_view rest = meminfo.substr(at + kKey.size());
  rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
  uint64_t kib = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), kib);
  std::string_view unit(end, static_cast<size_t>(rest.data() + rest.size() - end));
  if (ec != std::errc() || unit.substr(0, 3) != " kB") {
    return absl::FailedPreconditionError("cannot read MemAvailable in /proc/meminfo");
  }
  return kib * 1024;
}

uint64_t MemoryHogBytes(double fraction, uint64_t available) {
  constexpr uint64_t kPage = 4096;
  auto bytes = static_cast<uint64_t>(static_cast<long double>(available) * fraction);
  return bytes / kPage * kPage;
}

absl::StatusOr<std::unique_ptr<Injector>> MemoryHogInjector::Create(const FaultSpec& spec,
                                                                    InjectorContext& context) {
  ParamReader params(spec.params, fmt::format("fault '{}' (memory-hog)", spec.name));
  if (absl::Status s = params.CheckKnownKeys({"bytes", "percent", "ready_timeout"}); !s.ok()) return s;
  auto amount = ReadHogAmount(
      params, {.fraction_key = "percent",
               .give_either = "give either `bytes` (e.g. 512MiB) or `percent` (of available memory, e.g. 50%)",
               .max_fraction = kMaxMemoryHogFraction,
               .out_of_range = fmt::format("must be above 0% and at most {:g}% of available memory",
                                           kMaxMemoryHogFraction * 100)});
  if (!amount.ok()) return amount.status();
  MemoryHogSettings settings;
  settings.bytes = amount->bytes;
  settings.fraction = amount->fraction;
  if (absl::Status s = ReadHogFault(spec, params, settings); !s.ok()) return s;
  return std::make_unique<MemoryHogInjector>(std::move(settings), context.run);
}

MemoryHogInjector::MemoryHogInjector(MemoryHogSettings settings, RunState& run)
    : HogInjector(HogFaultOf(settings, "memory-hog"), {{.name = "bytes_held", .ready_key = "bytes"}}, run),
      settings_(std::move(settings)) {}

std::string MemoryHogInjector::Describe() const {
  return fmt::format("hold {} resident in a helper process", Amount(settings_));
}

std::vector<std::string> MemoryHogInjector::Touches() const {
  return {fmt::format("memory: {} held by a helper process (faultdrill-hog, oom_score_adj 1000)", Amount(settings_))};
}

absl::StatusOr<std::vector<std::string>> MemoryHogInjector::PrepareHelper() {
  uint64_t bytes = settings_.bytes;
  if (bytes == 0) {
    std::ifstream in("/proc/meminfo");
    std::ostringstream meminfo;
    meminfo << in.rdbuf();
    absl::StatusOr<uint64_t> available = ParseMemAvailable(meminfo.str());
    if (!available.ok()) return available.status();
    bytes = MemoryHogBytes(settings_.fraction, *available);
    if (bytes == 0) return absl::ResourceExhaustedError(fmt::format("fault '{}': no memory available", settings_.name));
  }
  return std::vector<std::string>{"memory", "--bytes", std::to_string(bytes)};
}

}  // namespace faultdrill::injectors
