// `clock-skew`: skews the wall clock of the target faultdrill launches, with
// libfaketime (Debian package `faketime`) preloaded into it. The target starts
// with a timestamp file that says "no skew"; Apply writes the skew into that
// file and Revert writes "no skew" back, so the skew can begin mid-run
// (`at:`) and end (`for:`) without restarting the target. libfaketime
// re-reads the file once a second, so a change takes effect within a
// second. The monotonic clock is left alone,
// so the target's timers (gRPC deadlines, keepalives) keep working.
//
//   - {kind: clock-skew, at: 10s, for: 20s, offset: "+2h"}
//   - {kind: clock-skew, at: 10s, for: 20s, rate: 2.0}     # runs twice as fast from 10s
#ifndef FAULTDRILL_INJECTORS_CLOCK_SKEW_H_
#define FAULTDRILL_INJECTORS_CLOCK_SKEW_H_

#include <sys/types.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "injectors/injector.h"
#include "injectors/registry.h"

namespace faultdrill::injectors {

struct ClockSkewSettings {
  std::string name;
  Duration offset{0};          // added to the clock (negative: behind)
  std::optional<double> rate;  // the clock's speed from the fault's start; nullopt: 1
  std::optional<Duration> active_for;
};

// The timestamp file's text for "no skew". It names the rate too, because
// libfaketime keeps the last rate it read when a line has none.
inline constexpr char kNoClockSkew[] = "+0 x1";

// Preloaded before libfaketime so that Abseil's and gRPC's timed waits keep
// their length under the skewed clock (injectors/faketime_waits.cc); found
// beside faultdrill's binaries.
inline constexpr char kFaketimeWaitsLibrary[] = "libfaultdrill-faketime-waits.so";

// The name of the timestamp file in the run's work folder (one per run; the
// scenario's clock-skew faults may not overlap in time).
inline constexpr char kClockSkewFile[] = "clock-skew.faketime";

// Parses an offset: an optional sign, a number and a unit (ms, s, m, h, d),
// e.g. "+2h", "-30s", "1d", "-1.5m"; a bare number is seconds.
absl::StatusOr<Duration> ParseClockOffset(std::string_view text);

// The timestamp file's text for `settings`, for a fault that starts at
// `fault_start_s` in a process whose libfaketime started at
// `process_start_s` (Unix seconds, real time). libfaketime scales the time
// elapsed since the process started, so a rate that counts from the fault's
// start needs an offset that takes back what the scaling adds before it.
std::string FaketimeSpec(const ClockSkewSettings& settings, double fault_start_s, double process_start_s);

// libfaketimeMT.so.1 (the multi-threaded variant): $FAULTDRILL_LIBFAKETIME
// when set, else the multiarch library folders (/usr/lib/<triplet>/faketime,
// the triplet taken from where this process's libc lives), /usr/lib/faketime,
// /usr/local/lib/faketime, /usr/lib64/faketime. NotFound names the fix.
absl::StatusOr<std::string> FindLibfaketime();

// When `pid` started, in Unix seconds (real time, to about 10 ms).
std::optional<double> ProcessStartUnixSeconds(pid_t pid);

class ClockSkewInjector final : public Injector {
 public:
  static absl::StatusOr<std::unique_ptr<Injector>> Create(const FaultSpec& spec, InjectorContext& context);

  ClockSkewInjector(ClockSkewSettings settings, InjectorContext& context)
      : settings_(std::move(settings)), targets_(context.targets), run_(context.run) {}

  std::string Describe() const override;
  std::optional<Duration> ActiveFor() const override { return settings_.active_for; }
  // Journals write-file(F, "no skew"), then writes the skew into F.
  absl::Status Apply() override;
  // Writes "no skew" back into F.
  absl::Status Revert() override;
  std::map<std::string, int64_t> Counters() const override;
  std::vector<std::string> Touches() const override;
  std::vector<Need> Needs() const override;
  // Writes F with "no skew" and adds LD_PRELOAD (kFaketimeWaitsLibrary and
  // libfaketime), FAKETIME_TIMESTAMP_FILE,
  // FAKETIME_DONT_FAKE_MONOTONIC and FAKETIME_CACHE_DURATION to the target's
  // environment. FailedPrecondition without libfaketime or a work folder.
  absl::Status PrepareLaunch(LaunchEnv& env) override;

 private:
  std::string TimestampFile() const;

  const ClockSkewSettings settings_;
  Targets& targets_;
  RunState& run_;
  std::string file_;  // set by PrepareLaunch
  std::atomic<bool> applied_{false};
  std::atomic<double> applied_at_s_{0};
  std::atomic<int64_t> skew_seconds_{0};
};

}  // namespace faultdrill::injectors

#endif  // FAULTDRILL_INJECTORS_CLOCK_SKEW_H_
