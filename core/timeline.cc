#include "core/timeline.h"

#include <fmt/format.h>

#include <algorithm>

namespace faultdrill {

namespace {
constexpr Duration kFinalWindow = std::chrono::seconds(5);
}  // namespace

absl::StatusOr<Timeline> Timeline::Compile(Duration run_length, std::vector<TimelineFault> faults) {
  if (run_length <= Duration(0)) {
    return absl::InvalidArgumentError(
        fmt::format("the run length must be greater than 0, got {}", FormatDuration(run_length)));
  }
  for (size_t i = 0; i < faults.size(); ++i) {
    const TimelineFault& fault = faults[i];
    if (fault.at < Duration(0) || fault.at >= run_length) {
      return absl::InvalidArgumentError(fmt::format("fault '{}' starts at {}, outside the run [0s, {})", fault.name,
                                                    FormatDuration(fault.at), FormatDuration(run_length)));
    }
    if (fault.active_for.has_value() && *fault.active_for < Duration(0)) {
      return absl::InvalidArgumentError(fmt::format("fault '{}' has a negative duration", fault.name));
    }
    for (size_t j = 0; j < i; ++j) {
      if (faults[j].name == fault.name) {
        return absl::InvalidArgumentError(fmt::format("two faults are named '{}'", fault.name));
      }
    }
  }

  Timeline timeline;
  timeline.run_length_ = run_length;
  timeline.faults_ = std::move(faults);
  const std::vector<TimelineFault>& all = timeline.faults_;

  for (size_t i = 0; i < all.size(); ++i) {
    timeline.steps_.push_back(Step{all[i].at, Step::Action::kApply, i});
    timeline.steps_.push_back(Step{timeline.FaultEnd(i), Step::Action::kRevert, i});
  }
  // Reverts first at equal times, so back-to-back faults never overlap; then
  // fault order. A fault that lasts no time at all is reverted after it is
  // applied, so its revert goes after the applies.
  auto phase = [&](const Step& step) {
    if (step.action == Step::Action::kApply) return 1;
    return step.at == all[step.fault].at ? 2 : 0;
  };
  std::stable_sort(timeline.steps_.begin(), timeline.steps_.end(), [&](const Step& a, const Step& b) {
    if (a.at != b.at) return a.at < b.at;
    return phase(a) < phase(b);
  });

  std::vector<Window>& windows = timeline.windows_;
  windows.push_back(Window{"all", Duration(0), run_length});
  Duration first_start = run_length;
  Duration last_end = Duration(0);
  for (size_t i = 0; i < all.size(); ++i) {
    first_start = std::min(first_start, all[i].at);
    last_end = std::max(last_end, timeline.FaultEnd(i));
  }
  windows.push_back(Window{"before", Duration(0), first_start});
  for (size_t i = 0; i < all.size(); ++i) {
    Duration end = timeline.FaultEnd(i);
    windows.push_back(Window{fmt::format("during({})", all[i].name), all[i].at, end});
    windows.push_back(Window{fmt::format("after({})", all[i].name), end, run_length});
  }
  if (!all.empty()) {
    // The second half of the time after the last fault, at most its last 5 s:
    // the first half is left to recovery, which has its own objective.
    Duration tail_start = std::max(Duration(0), run_length - kFinalWindow);
    Duration half_after = last_end + (run_length - last_end) / 2;
    windows.push_back(Window{"final", std::max(half_after, tail_start), run_length});
  }
  return timeline;
}

Duration Timeline::FaultEnd(size_t index) const {
  const TimelineFault& fault = faults_.at(index);
  if (!fault.active_for.has_value() || *fault.active_for >= run_length_ - fault.at) return run_length_;
  return fault.at + *fault.active_for;
}

const Window* Timeline::FindWindow(const WindowSpec& spec) const {
  std::string name = spec.ToString();
  for (const Window& window : windows_) {
    if (window.name == name) return &window;
  }
  return nullptr;
}

}  // namespace faultdrill
