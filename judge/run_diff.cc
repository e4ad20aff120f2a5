#include "judge/run_diff.h"

#include <cmath>
#include <map>
#include <set>

#include "fmt/format.h"

namespace faultdrill::judge {
namespace {

// Which way is worse for a metric.
enum class Worse { kHigher, kLower };

// Judges one numeric change: a regression when it moved the worse way by more
// than `relative` of the base AND more than `absolute`; an improvement when it
// moved the better way by as much.
DiffRow Compare(std::string area, std::string subject, double base, double now, std::string unit, Worse worse,
                double relative, double absolute) {
  DiffRow row{.area = std::move(area), .subject = std::move(subject), .base = base, .now = now, .unit = std::move(unit)};
  const double delta = now - base;
  const double worse_by = worse == Worse::kHigher ? delta : -delta;
  const double magnitude = std::abs(delta);
  const bool beyond = magnitude > absolute && magnitude > relative * std::abs(base);
  if (beyond) row.change = worse_by > 0 ? Change::kRegression : Change::kImprovement;
  const std::string limit =
      relative > 0 ? fmt::format("limit {}{:g}%", worse == Worse::kHigher ? "+" : "-", relative * 100)
                   : fmt::format("limit {}{:g} {}", worse == Worse::kHigher ? "+" : "-", absolute, row.unit);
  if (base != 0) {
    row.note = fmt::format("{:+.1f}% ({})", 100 * delta / std::abs(base), limit);
  } else {
    row.note = fmt::format("{:+g} {} ({})", delta, row.unit, limit);
  }
  return row;
}

DiffRow OnlyIn(bool in_base, std::string area, std::string subject, std::string unit) {
  DiffRow row{.area = std::move(area), .subject = std::move(subject), .unit = std::move(unit)};
  row.change = in_base ? Change::kOnlyInBase : Change::kOnlyInNew;
  row.note = in_base ? "not in the new run" : "not in the base run";
  return row;
}

// Calls `both(base, now)` for items in both lists (by key), and `only(item,
// in_base)` for the rest, in the base's order then the new run's extras.
template <typename T, typename Key, typename Both, typename Only>
void Match(const std::vector<T>& base, const std::vector<T>& now, Key key, Both both, Only only) {
  std::map<std::string, const T*> in_now;
  for (const T& item : now) in_now.emplace(key(item), &item);
  std::set<std::string> in_base;
  for (const T& item : base) {
    in_base.insert(key(item));
    auto it = in_now.find(key(item));
    if (it == in_now.end()) {
      only(item, true);
    } else {
      both(item, *it->second);
    }
  }
  for (const T& item : now) {
    if (!in_base.count(key(item))) only(item, false);
  }
}

// The latency of the successful calls (what latency SLOs judge). A window
// where nothing succeeded has none: losing it is a regression, gaining it an
// improvement, whatever the numbers.
DiffRow DiffLatency(std::string subject, const WindowResult& b, const WindowResult& n,
                    double LatencySummary::*field, const DiffThresholds& t) {
  const bool in_base = b.ok_latency.count > 0, in_now = n.ok_latency.count > 0;
  if (in_base && in_now) {
    return Compare("latency", std::move(subject), b.ok_latency.*field, n.ok_latency.*field, "ms", Worse::kHigher,
                   t.latency_increase, t.latency_floor_ms);
  }
  DiffRow row{.area = "latency", .subject = std::move(subject), .unit = "ms"};
  if (in_base) row.base = b.ok_latency.*field;
  if (in_now) row.now = n.ok_latency.*field;
  if (in_base) {
    row.change = Change::kRegression;
    row.note = "no successful calls in the new run";
  } else if (in_now) {
    row.change = Change::kImprovement;
    row.note = "no successful calls in the base run";
  } else {
    row.note = "no successful calls in either run";
  }
  return row;
}

void DiffWindows(const RunResult& base, const RunResult& now, const DiffThresholds& t, RunDiff& diff) {
  Match(
      base.windows, now.windows, [](const WindowResult& w) { return w.name; },
      [&](const WindowResult& b, const WindowResult& n) {
        if (b.requests == 0 || n.requests == 0) return;  // nothing measured on one side
        const std::pair<const char*, double LatencySummary::*> percentiles[] = {
            {"p50", &LatencySummary::p50_ms}, {"p90", &LatencySummary::p90_ms}, {"p99", &LatencySummary::p99_ms}};
        for (const auto& [label, field] : percentiles) {
          diff.rows.push_back(DiffLatency(fmt::format("{} in {}", label, b.name), b, n, field, t));
        }
        DiffRow errors = Compare("error rate", b.name, 100 * b.error_rate(), 100 * n.error_rate(), "%",
                                 Worse::kHigher, 0, 100 * t.error_rate_increase);
        diff.rows.push_back(std::move(errors));
        diff.rows.push_back(Compare("throughput", b.name, b.throughput_rps, n.throughput_rps, "req/s", Worse::kLower,
                                    t.throughput_decrease, 0));
      },
      [&](const WindowResult& w, bool in_base) { diff.rows.push_back(OnlyIn(in_base, "window", w.name, "")); });
}

void DiffRecoveries(const RunResult& base, const RunResult& now, const DiffThresholds& t, RunDiff& diff) {
  Match(
      base.faults, now.faults, [](const FaultRecord& f) { return f.name; },
      [&](const FaultRecord& b, const FaultRecord& n) {
        if (!b.applied_at_s || !n.applied_at_s) return;  // not applied in one of them: nothing to recover from
        if (b.recovery_s && n.recovery_s) {
          diff.rows.push_back(Compare("recovery", b.name, *b.recovery_s, *n.recovery_s, "s", Worse::kHigher,
                                      t.recovery_increase, t.recovery_floor_s));
          return;
        }
        DiffRow row{.area = "recovery", .subject = b.name, .base = b.recovery_s, .now = n.recovery_s, .unit = "s"};
        if (b.recovery_s && !n.recovery_s) {
          row.change = Change::kRegression;
          row.note = n.recovery_horizon.empty() ? "not measured in the new run"
                                                : "did not recover before " + n.recovery_horizon;
        } else if (!b.recovery_s && n.recovery_s) {
          row.change = Change::kImprovement;
          row.note = "recovers now; did not in the base run";
        } else {
          row.note = "did not recover in either run";
        }
        diff.rows.push_back(std::move(row));
      },
      [&](const FaultRecord& f, bool in_base) { diff.rows.push_back(OnlyIn(in_base, "fault", f.name, "")); });
}

void DiffGolden(const RunResult& base, const RunResult& now, const DiffThresholds& t, RunDiff& diff) {
  Match(
      base.golden, now.golden,
      [](const GoldenWindowResult& g) { return fmt::format("{} vs {}", g.window, g.against); },
      [&](const GoldenWindowResult& b, const GoldenWindowResult& n) {
        DiffRow row{.area = "golden",
                    .subject = fmt::format("{} vs {}", b.window, b.against),
                    .base = double(b.differing),
                    .now = double(n.differing),
                    .unit = "responses"};
        row.note = fmt::format("{} of {} differ (base: {} of {})", n.differing, n.compared, b.differing, b.compared);
        if (n.differing > b.differing + t.golden_increase) row.change = Change::kRegression;
        if (n.differing < b.differing) row.change = Change::kImprovement;
        diff.rows.push_back(std::move(row));
      },
      [&](const GoldenWindowResult& g, bool in_base) {
        diff.rows.push_back(OnlyIn(in_base, "golden", fmt::format("{} vs {}", g.window, g.against), "responses"));
      });
}

void DiffVerdicts(const RunResult& base, const RunResult& now, RunDiff& diff) {
  Match(
      base.verdicts, now.verdicts, [](const Verdict& v) { return v.name; },
      [&](const Verdict& b, const Verdict& n) {
        if (b.passed == n.passed) return;  // unchanged verdicts would drown the table
        DiffRow row{.area = "verdict", .subject = b.name, .base = b.passed ? 1 : 0, .now = n.passed ? 1 : 0};
        row.change = n.passed ? Change::kImprovement : Change::kRegression;
        row.note = n.passed ? "failed -> passed" : "passed -> failed: " + n.message;
        diff.rows.push_back(std::move(row));
      },
      [&](const Verdict& v, bool in_base) {
        DiffRow row = OnlyIn(in_base, "verdict", v.name, "");
        (in_base ? row.base : row.now) = v.passed ? 1 : 0;
        diff.rows.push_back(std::move(row));
      });
}

void DiffSummaries(const RunResult& base, const RunResult& now, const DiffThresholds& t, RunDiff& diff) {
  if (base.score && now.score) {
    diff.rows.push_back(Compare("score", "resilience score", base.score->score, now.score->score, "points",
                                Worse::kLower, 0, t.score_decrease));
  }
  if (base.capacity && now.capacity) {
    diff.rows.push_back(Compare("capacity", "highest rate that held", base.capacity->highest_rate_held_rps,
                                now.capacity->highest_rate_held_rps, "req/s", Worse::kLower, t.capacity_decrease, 0));
  }
}

std::string Label(const RunResult& r) {
  return r.started_at.empty() ? r.scenario_name : fmt::format("{} @ {}", r.scenario_name, r.started_at);
}

}  // namespace

std::string_view ChangeName(Change change) {
  switch (change) {
    case Change::kRegression: return "regression";
    case Change::kImprovement: return "improvement";
    case Change::kUnchanged: return "unchanged";
    case Change::kOnlyInBase: return "only in base";
    case Change::kOnlyInNew: return "only in new";
  }
  return "unchanged";
}

RunDiff DiffRuns(const RunResult& base, const RunResult& now, const DiffThresholds& thresholds) {
  RunDiff diff;
  diff.base_label = Label(base);
  diff.now_label = Label(now);
  if (base.scenario_name != now.scenario_name) {
    diff.warnings.push_back(fmt::format("the runs are of different scenarios: {} and {}", base.scenario_name,
                                        now.scenario_name));
  }
  if (base.outcome != Outcome::kPassed && base.outcome != Outcome::kFailed) {
    diff.warnings.push_back(fmt::format("the base run did not complete (outcome {})", OutcomeName(base.outcome)));
  }
  if (now.outcome != Outcome::kPassed && now.outcome != Outcome::kFailed) {
    diff.warnings.push_back(fmt::format("the new run did not complete (outcome {})", OutcomeName(now.outcome)));
  }
  DiffSummaries(base, now, thresholds, diff);
  DiffVerdicts(base, now, diff);
  DiffWindows(base, now, thresholds, diff);
  DiffRecoveries(base, now, thresholds, diff);
  DiffGolden(base, now, thresholds, diff);
  for (const DiffRow& row : diff.rows) {
    diff.regressions += row.change == Change::kRegression;
    diff.improvements += row.change == Change::kImprovement;
  }
  return diff;
}

}  // namespace faultdrill::judge
