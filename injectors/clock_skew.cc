#include "injectors/clock_skew.h"

#include <dlfcn.h>
#include <time.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/durable_file.h"
#include "core/param_node.h"
#include "fmt/format.h"
#include "injectors/command.h"
#include "injectors/process_fault.h"
#include "injectors/undo.h"

namespace faultdrill::injectors {
namespace {

namespace fs = std::filesystem;

constexpr char kLibrary[] = "libfaketimeMT.so.1";
constexpr double kMaxOffsetSeconds = 100.0 * 365 * 86400;
constexpr double kMinRate = 0.01;
constexpr double kMaxRate = 100;

double UnixSecondsNow() {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<double>(now.tv_sec) + now.tv_nsec / 1e9;
}

// A number as libfaketime's atof reads it, without a trailing ".0".
std::string Number(double value) { return fmt::format("{}", value); }

// Where windows [at, at + for) of two faults overlap (no `for`: to the end of the run).
bool Overlap(const FaultSpec& a, const FaultSpec& b) {
  const auto end = [](const FaultSpec& f) {
    return f.duration ? f.at + *f.duration : Duration::max();
  };
  return a.at < end(b) && b.at < end(a);
}

// The multiarch folder of this process's libc, e.g. /lib/x86_64-linux-gnu.
std::optional<fs::path> LibcFolder() {
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(&::getpid), &info) == 0 || info.dli_fname == nullptr) return std::nullopt;
  return fs::path(info.dli_fname).parent_path();
}

void AddEnv(LaunchEnv& env, const std::string& key, const std::string& value) {
  for (auto& [name, existing] : env) {
    if (name == key) {
      existing = value;
      return;
    }
  }
  env.emplace_back(key, value);
}

}  // namespace

absl::StatusOr<Duration> ParseClockOffset(std::string_view text) {
  const auto bad = [&] {
    return absl::InvalidArgumentError(fmt::format(
        "'{}' is not a clock offset (a sign, a number and a unit: ms, s, m, h or d, e.g. \"+2h\", \"-30s\", \"1d\")",
        std::string(text)));
  };
  std::string_view rest = text;
  double sign = 1;
  if (!rest.empty() && (rest[0] == '+' || rest[0] == '-')) {
    sign = rest[0] == '-' ? -1 : 1;
    rest.remove_prefix(1);
  }
  if (rest.empty() || !(std::isdigit(static_cast<unsigned char>(rest[0])) || rest[0] == '.')) return bad();
  const std::string number_text(rest);
  char* end = nullptr;
  const double number = std::strtod(number_text.c_str(), &end);
  const std::string unit(end);
  double seconds = 0;
  if (unit.empty() || unit == "s") {
    seconds = number;
  } else if (unit == "ms") {
    seconds = number / 1000;
  } else if (unit == "m") {
    seconds = number * 60;
  } else if (unit == "h") {
    seconds = number * 3600;
  } else if (unit == "d") {
    seconds = number * 86400;
  } else {
    return bad();
  }
  if (!std::isfinite(seconds) || seconds > kMaxOffsetSeconds) {
    return absl::InvalidArgumentError(fmt::format("'{}' is more than 100 years", std::string(text)));
  }
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(sign * seconds));
}

std::string FaketimeSpec(const ClockSkewSettings& settings, double fault_start_s, double process_start_s) {
  const double rate = settings.rate.value_or(1.0);
  // libfaketime: faked = start + (now - start) * rate + offset. From the fault's
  // start T on, the clock should read T + (now - T) * rate + skew, so
  // offset = skew + (T - start) * (1 - rate).
  double offset = ToSeconds(settings.offset);
  if (rate != 1.0) offset += (fault_start_s - process_start_s) * (1.0 - rate);
  return fmt::format("{}{} x{}", offset < 0 ? "" : "+", Number(offset), Number(rate));
}

absl::StatusOr<std::string> FindLibfaketime() {
  if (const char* forced = std::getenv("FAULTDRILL_LIBFAKETIME"); forced != nullptr && *forced != '\0') {
    if (::access(forced, R_OK) == 0) return std::string(forced);
    return absl::NotFoundError(fmt::format("libfaketime not found at $FAULTDRILL_LIBFAKETIME ({})", forced));
  }
  std::vector<fs::path> folders;
  if (std::optional<fs::path> libc = LibcFolder()) {
    folders.push_back(*libc / "faketime");
    folders.push_back(fs::path("/usr/lib") / libc->filename() / "faketime");
    folders.push_back(fs::path("/usr/local/lib") / libc->filename() / "faketime");
  }
  for (const char* folder : {"/usr/lib/faketime", "/usr/local/lib/faketime", "/usr/lib64/faketime"}) {
    folders.emplace_back(folder);
  }
  std::vector<std::string> tried;
  for (const fs::path& folder : folders) {
    const fs::path candidate = folder / kLibrary;
    if (::access(candidate.c_str(), R_OK) == 0) return candidate.string();
    tried.push_back(folder.string());
  }
  return absl::NotFoundError(fmt::format("libfaketime not found: apt-get install faketime (looked for {} in {})",
                                         kLibrary, absl::StrJoin(tried, ", ")));
}

std::optional<double> ProcessStartUnixSeconds(pid_t pid) {
  const uint64_t ticks = ProcessStartTime(pid);
  const long ticks_per_second = ::sysconf(_SC_CLK_TCK);
  if (ticks == 0 || ticks_per_second <= 0) return std::nullopt;
  timespec boot{};
  ::clock_gettime(CLOCK_BOOTTIME, &boot);
  const double since_boot = static_cast<double>(boot.tv_sec) + boot.tv_nsec / 1e9;
  const double started_after_boot = static_cast<double>(ticks) / static_cast<double>(ticks_per_second);
  return UnixSecondsNow() - (since_boot - started_after_boot);
}

absl::StatusOr<std::unique_ptr<Injector>> ClockSkewInjector::Create(const FaultSpec& spec, InjectorContext& context) {
  ParamReader params(spec.params, absl::StrCat("fault '", spec.name, "' (clock-skew)"));
  if (absl::Status s = params.CheckKnownKeys({"offset", "rate"}); !s.ok()) return s;
  if (absl::Status s = RequireLaunchedTarget(spec, context.scenario); !s.ok()) return s;
  ClockSkewSettings settings;
  settings.name = spec.name;
  settings.active_for = spec.duration;
  if (!params.Has("offset") && !params.Has("rate")) {
    return params.MapError("needs `offset` (e.g. \"+2h\", \"-30s\") or `rate` (e.g. 2.0), or both");
  }
  if (params.Has("offset")) {
    auto text = params.String("offset");
    if (!text.ok()) return text.status();
    auto offset = ParseClockOffset(*text);
    if (!offset.ok()) return params.Error("offset", std::string(offset.status().message()));
    settings.offset = *offset;
  }
  if (params.Has("rate")) {
    auto rate = params.Double("rate", kMinRate, kMaxRate);
    if (!rate.ok()) return rate.status();
    settings.rate = *rate;
  }
  if (settings.offset == Duration::zero() && settings.rate.value_or(1.0) == 1.0) {
    return params.MapError("an offset of 0 at the normal rate is no skew");
  }
  for (const FaultSpec& other : context.scenario.faults) {
    if (other.kind == spec.kind && other.name != spec.name && Overlap(spec, other)) {
      return LocatedError(spec.where, absl::StrCat("fault '", spec.name, "' (clock-skew) overlaps fault '",
                                                   other.name, "' in time; the target has one clock"));
    }
  }
  return std::make_unique<ClockSkewInjector>(std::move(settings), context);
}

std::string ClockSkewInjector::Describe() const {
  std::vector<std::string> parts;
  if (settings_.offset != Duration::zero()) {
    parts.push_back(absl::StrCat("set the launched target's clock ", settings_.offset < Duration::zero() ? "back " : "ahead ",
                                 FormatDuration(settings_.offset < Duration::zero() ? -settings_.offset
                                                                                    : settings_.offset)));
  }
  if (settings_.rate) {
    parts.push_back(absl::StrCat(parts.empty() ? "make the launched target's clock run " : "run it ",
                                 Number(*settings_.rate), "x as fast from the fault's start"));
  }
  return absl::StrCat(absl::StrJoin(parts, ", then "), " (libfaketime)");
}

std::string ClockSkewInjector::TimestampFile() const {
  if (!file_.empty()) return file_;
  if (run_.work_dir().empty()) return "";
  return (fs::path(run_.work_dir()) / kClockSkewFile).string();
}

absl::Status ClockSkewInjector::PrepareLaunch(LaunchEnv& env) {
  auto library = FindLibfaketime();
  if (!library.ok()) return absl::FailedPreconditionError(std::string(library.status().message()));
  auto waits = FindFaultdrillBinary(kFaketimeWaitsLibrary);
  if (!waits.ok()) return absl::FailedPreconditionError(std::string(waits.status().message()));
  const std::string file = TimestampFile();
  if (file.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("fault '", settings_.name, "': the run has no work folder"));
  }
  if (absl::Status s = WriteFileAtomically(file, kNoClockSkew); !s.ok()) return s;
  file_ = file;
  // The waits library first: its syscall() must come before libc's.
  std::string preload = absl::StrCat(*waits, ":", *library);
  if (const char* inherited = std::getenv("LD_PRELOAD"); inherited != nullptr && *inherited != '\0') {
    preload = absl::StrCat(preload, ":", inherited);
  }
  AddEnv(env, "LD_PRELOAD", preload);
  AddEnv(env, "FAKETIME_TIMESTAMP_FILE", file_);
  AddEnv(env, "FAKETIME_DONT_FAKE_MONOTONIC", "1");
  // libfaketime re-reads the file when more than this many whole seconds have
  // passed since it last did: with 0, at most once a second (when the second
  // changes), so a skew takes effect within a second. FAKETIME_NO_CACHE=1 would
  // read it on every clock read: about 3 µs each, which cost the reference
  // server 40% in median latency.
  AddEnv(env, "FAKETIME_CACHE_DURATION", "0");
  return absl::OkStatus();
}

absl::Status ClockSkewInjector::Apply() {
  if (file_.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("fault '", settings_.name, "': the target was not launched with libfaketime"));
  }
  auto target = LaunchedTarget(targets_, settings_.name);
  if (!target.ok()) return target.status();
  const double now = UnixSecondsNow();
  double process_start = now;
  if (settings_.rate) {
    std::optional<double> started = ProcessStartUnixSeconds((*target)->pid());
    if (!started) {
      return absl::FailedPreconditionError(absl::StrCat("fault '", settings_.name, "': the target is not running"));
    }
    process_start = *started;
  }
  auto recorded = run_.journal().RecordUndo(settings_.name, "clock-skew", MakeWriteFile(file_, kNoClockSkew));
  if (!recorded.ok()) return recorded.status();
  applied_ = true;
  applied_at_s_ = now;
  skew_seconds_ = static_cast<int64_t>(std::llround(ToSeconds(settings_.offset)));
  return WriteFileAtomically(file_, FaketimeSpec(settings_, now, process_start));
}

absl::Status ClockSkewInjector::Revert() {
  if (!applied_.exchange(false)) return absl::OkStatus();
  // How far the clock was off when the fault ended.
  const double drift = (UnixSecondsNow() - applied_at_s_) * (settings_.rate.value_or(1.0) - 1.0);
  skew_seconds_ = static_cast<int64_t>(std::llround(ToSeconds(settings_.offset) + drift));
  return WriteFileAtomically(file_, kNoClockSkew);
}

std::map<std::string, int64_t> ClockSkewInjector::Counters() const { return {{"skew_seconds", skew_seconds_}}; }

std::vector<std::string> ClockSkewInjector::Touches() const {
  const std::string file = TimestampFile();
  return {absl::StrCat("the launched target's clock (libfaketime, timestamp file ",
                       file.empty() ? absl::StrCat("<out>/", kClockSkewFile) : file, ")")};
}

std::vector<Need> ClockSkewInjector::Needs() const {
  Need faketime{.what = "libfaketime (package faketime)"};
  if (auto library = FindLibfaketime(); !library.ok()) {
    faketime.status = absl::FailedPreconditionError(std::string(library.status().message()));
  }
  Need waits{.what = kFaketimeWaitsLibrary};
  if (auto library = FindFaultdrillBinary(kFaketimeWaitsLibrary); !library.ok()) {
    waits.status = absl::FailedPreconditionError(std::string(library.status().message()));
  }
  return {faketime, waits};
}

}  // namespace faultdrill::injectors
