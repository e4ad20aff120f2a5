// A scenario compiled into time: when each fault is applied and reverted, and
// the windows (before, during, after each fault) that SLOs are judged on. All
// times are offsets from the start of the load.
#ifndef FAULTDRILL_CORE_TIMELINE_H_
#define FAULTDRILL_CORE_TIMELINE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/duration.h"
#include "core/scenario.h"

namespace faultdrill {

// One fault as the timeline sees it. `active_for` is how long the fault is in
// force as its injector defines it (a "for:", or a kill's restart_after);
// nullopt means it stays until the end of the run.
struct TimelineFault {
  std::string name;
  std::string kind;
  Duration at{0};
  std::optional<Duration> active_for;
};

// [start, end) offsets from the start of the load.
struct Window {
  std::string name;  // "all", "before", "during(x)", "after(x)"
  Duration start{0};
  Duration end{0};

  bool Contains(Duration t) const { return t >= start && t < end; }
};

class Timeline {
 public:
  struct Step {
    enum class Action { kApply, kRevert };
    Duration at{0};
    Action action = Action::kApply;
    size_t fault = 0;  // index into faults()
  };

  // Faults must start before `run_length`; a fault whose activity would
  // outlast the run is reverted at run_length.
  static absl::StatusOr<Timeline> Compile(Duration run_length, std::vector<TimelineFault> faults);

  Duration run_length() const { return run_length_; }
  const std::vector<TimelineFault>& faults() const { return faults_; }
  // Sorted by time; at equal times reverts come before applies.
  const std::vector<Step>& steps() const { return steps_; }

  // all, before, then during(x) and after(x) for every fault, in fault order,
  // then "final". "before" ends at the first fault; after(x) runs from x's end
  // to the end of the run; "final" is the steady-state window after the faults:
  // the second half of the time after the last fault ends, at most its last
  // 5 s: [max(last_end + (run_length - last_end) / 2, run_length - 5s),
  // run_length). Without faults, before = all and there is no final window.
  const std::vector<Window>& windows() const { return windows_; }
  const Window* FindWindow(const WindowSpec& spec) const;
  // When fault `index` ends (at + active_for, capped at run_length).
  Duration FaultEnd(size_t index) const;

 private:
  Duration run_length_{0};
  std::vector<TimelineFault> faults_;
  std::vector<Step> steps_;
  std::vector<Window> windows_;
};

}  // namespace faultdrill

#endif  // FAULTDRILL_CORE_TIMELINE_H_
