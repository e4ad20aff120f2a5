#include "core/timeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace faultdrill {
namespace {

using std::chrono::seconds;
using Action = Timeline::Step::Action;

struct StepView {
  int64_t at_s;
  Action action;
  size_t fault;
  friend bool operator==(const StepView&, const StepView&) = default;
  friend std::ostream& operator<<(std::ostream& os, const StepView& s) {
    return os << (s.action == Action::kApply ? "apply " : "revert ") << s.fault << " @" << s.at_s << "s";
  }
};

struct WindowView {
  std::string name;
  int64_t start_s, end_s;
  friend bool operator==(const WindowView&, const WindowView&) = default;
  friend std::ostream& operator<<(std::ostream& os, const WindowView& w) {
    return os << w.name << " [" << w.start_s << "s, " << w.end_s << "s)";
  }
};

TimelineFault Fault(std::string name, int at_s, std::optional<int> for_s) {
  TimelineFault f{std::move(name), "kind", seconds(at_s), std::nullopt};
  if (for_s) f.active_for = seconds(*for_s);
  return f;
}

std::vector<StepView> Steps(const Timeline& t) {
  std::vector<StepView> out;
  for (const Timeline::Step& s : t.steps()) {
    out.push_back({std::chrono::duration_cast<seconds>(s.at).count(), s.action, s.fault});
  }
  return out;
}

std::vector<WindowView> Windows(const Timeline& t) {
  std::vector<WindowView> out;
  for (const Window& w : t.windows()) {
    out.push_back({w.name, std::chrono::duration_cast<seconds>(w.start).count(),
                   std::chrono::duration_cast<seconds>(w.end).count()});
  }
  return out;
}

TEST(Timeline, WithoutFaultsHasAllAndBeforeOnly) {
  absl::StatusOr<Timeline> t = Timeline::Compile(seconds(20), {});
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->steps().empty());
  EXPECT_EQ(Windows(*t), (std::vector<WindowView>{{"all", 0, 20}, {"before", 0, 20}}));
}

TEST(Timeline, AppliesAndRevertsEachFaultInTimeOrder) {
  absl::StatusOr<Timeline> t = Timeline::Compile(seconds(60), {Fault("late", 30, 5), Fault("early", 10, 3)});
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(Steps(*t),
            (std::vector<StepView>{
                {10, Action::kApply, 1}, {13, Action::kRevert, 1}, {30, Action::kApply, 0}, {35, Action::kRevert, 0}}));
  EXPECT_EQ(t->run_length(), seconds(60));
  EXPECT_EQ(t->faults()[0].name, "late");
}

TEST(Timeline, WindowsFollowTheDocumentedOrderAndBounds) {
  absl::StatusOr<Timeline> t = Timeline::Compile(seconds(60), {Fault("kill", 10, 2), Fault("net", 20, 10)});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Windows(*t), (std::vector<WindowView>{{"all", 0, 60},
                                                  {"before", 0, 10},
                                                  {"during(kill)", 10, 12},
                                                  {"after(kill)", 12, 60},
                                                  {"during(net)", 20, 30},
                                                  {"after(net)", 30, 60},
                                                  {"final", 55, 60}}));
}

TEST(Timeline, FinalWindowIsTheSecondHalfOfTheTimeAfterTheLastFault) {
  absl::StatusOr<Timeline> t = Timeline::Compile(seconds(20), {Fault("net", 5, 11)});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Windows(*t).back(), (WindowView{"final", 18, 20}));
}

TEST(Timeline, FinalWindowCoversAShortRun) {
  absl::StatusOr<Timeline> t = Timeline::Compile(seconds(3), {Fault("net", 0, 1)});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Windows(*t).back(), (WindowView{"final", 2, 3}));
  EXPECT_EQ(Windows(*t)[1], (WindowView{"before", 0, 0}));
}

TEST(Timeline, KillWithoutEndStaysUntilTheEndOfTheRun) {
  absl::StatusOr<Timeline> t = Timeline::Compile(seconds(30), {Fault("kill", 10, std::nullopt)});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->FaultEnd(0), seconds(30));
  EXPECT_EQ(Steps(*t), (std::vector<StepView>{{10, Action::kApply, 0}, {30, Action::kRevert, 0}}));
  EXPECT_EQ(
      Windows(*t),
      (std::vector<WindowView>{
          {"all", 0, 30}, {"before", 0, 10}, {"during(kill)", 10, 30}, {"after(kill)", 30, 30}, {"final", 30, 30}}));
  EXPECT_FALSE(t->FindWindow(WindowSpec{WindowSpec::Kind::kAfter, "kill"})->Contains(seconds(29)));
}

TEST(Timeline, ActivityPastTheRunIsCappedAtRunLength) {
  absl::StatusOr<Timeline> t = Timeline::Compile(seconds(30), {Fault("kill", 25, 3600)});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->FaultEnd(0), seconds(30));
  EXPECT_EQ(Steps(*t).back(), (StepView{30, Action::kRevert, 0}));
}

TEST(Timeline, RevertsComeBeforeAppliesAtTheSameTime) {
  absl::StatusOr<Timeline> t = Timeline::Compile(seconds(30), {Fault("b", 5, 5), Fault("a", 0, 5)});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Steps(*t),
            (std::vector<StepView>{
                {0, Action::kApply, 1}, {5, Action::kRevert, 1}, {5, Action::kApply, 0}, {10, Action::kRevert, 0}}));
}

TEST(Timeline, OverlappingFaultsInterleave) {
  absl::StatusOr<Timeline> t = Timeline::Compile(seconds(30), {Fault("a", 5, 10), Fault("b", 8, 2), Fault("c", 8, 10)});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Steps(*t), (std::vector<StepView>{{5, Action::kApply, 0},
                                              {8, Action::kApply, 1},
                                              {8, Action::kApply, 2},
                                              {10, Action::kRevert, 1},
                                              {15, Action::kRevert, 0},
                                              {18, Action::kRevert, 2}}));
  EXPECT_EQ(Windows(*t)[1], (WindowView{"before", 0, 5}));
  EXPECT_EQ(Windows(*t).back(), (WindowView{"final", 25, 30}));
}

TEST(Timeline, AnInstantFaultIsAppliedBeforeItIsReverted) {
  absl::StatusOr<Timeline> t = Timeline::Compile(seconds(30), {Fault("blip", 5, 0), Fault("prev", 0, 5)});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Steps(*t),
            (std::vector<StepView>{
                {0, Action::kApply, 1}, {5, Action::kRevert, 1}, {5, Action::kApply, 0}, {5, Action::kRevert, 0}}));
}

TEST(Timeline, FindsWindowsBySpec) {
  absl::StatusOr<Timeline> t = Timeline::Compile(seconds(30), {Fault("kill", 10, 2)});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->FindWindow(WindowSpec{})->name, "all");
  EXPECT_EQ(t->FindWindow(WindowSpec{WindowSpec::Kind::kBefore, ""})->end, seconds(10));
  const Window* during = t->FindWindow(WindowSpec{WindowSpec::Kind::kDuring, "kill"});
  ASSERT_NE(during, nullptr);
  EXPECT_TRUE(during->Contains(seconds(10)));
  EXPECT_FALSE(during->Contains(seconds(12)));
  EXPECT_EQ(t->FindWindow(WindowSpec{WindowSpec::Kind::kDuring, "nope"}), nullptr);
}

TEST(Timeline, RejectsFaultsOutsideTheRun) {
  EXPECT_FALSE(Timeline::Compile(seconds(30), {Fault("x", 30, 1)}).ok());
  EXPECT_FALSE(Timeline::Compile(seconds(30), {Fault("x", -1, 1)}).ok());
  EXPECT_FALSE(Timeline::Compile(seconds(30), {Fault("x", 1, -1)}).ok());
  EXPECT_FALSE(Timeline::Compile(seconds(0), {}).ok());
  absl::StatusOr<Timeline> dup = Timeline::Compile(seconds(30), {Fault("x", 1, 1), Fault("x", 2, 1)});
  EXPECT_EQ(dup.status().message(), "two faults are named 'x'");
}

}  // namespace
}  // namespace faultdrill
