// report.html: what people read after a drill. One self-contained file: inline
// CSS and inline SVG charts, no scripts, no fonts, images or links to fetch
// (it opens the same offline, from a CI artifact or an e-mail attachment).
//
// The page, top to bottom (each section a <section id=...>):
// - the header (html_summary.h): scenario, outcome badge, resilience score,
//   target, duration, start, load, fault and verdict counts, seed, faultdrill
//   version, abort reason, and the command that reproduces the run;
// - "score": the score's formula and its verdict groups (when scored);
// - "capacity": a stress run's highest rate held and where it broke;
// - "verdicts": each verdict's result, measured value, threshold, window;
// - "timeline" (html_timeline.h): latency p50/p90/p99, throughput and
//   errors, errors by gRPC status code, probe health and probe values, all on
//   one time axis with every fault shaded and labelled;
// - "recovery", "golden" (html_golden.h), "poison" and "injector-log"
//   (html_faults.h): what the faults did and how the service took them;
// - "windows": counts and latency percentiles per measured window;
// - "events": at most kMaxEventsShown rows, the first and the last half (a
//   row says how many were left out between them).
// Sections the result has nothing for are left out (or say so). Every
// string from the RunResult is HTML-escaped (escape.h).
//
// Bounded for long runs: every chart series is downsampled to
// kMaxDrawnPoints (run_charts.h) and long lists are capped, so a one-hour
// soak renders in milliseconds to a few hundred kilobytes
// (bench/report_bench.cc). Deterministic: the same RunResult renders the same
// bytes.
#ifndef FAULTDRILL_REPORTS_HTML_REPORT_H_
#define FAULTDRILL_REPORTS_HTML_REPORT_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "core/run_result.h"

namespace faultdrill::reports {

// The most events the events table shows.
inline constexpr size_t kMaxEventsShown = 200;

std::string RenderHtml(const RunResult& result);

// Writes RenderHtml(result) to `path` atomically. Never throws.
absl::Status WriteHtmlReport(const RunResult& result, const std::string& path);

}  // namespace faultdrill::reports

#endif  // FAULTDRILL_REPORTS_HTML_REPORT_H_
