// End to end: report.html of a real drill with faults, in a real browser.
// The faultdrill binary runs a short drill (a kill with restart, poisoned
// inputs, a process probe) against its embedded reference server; headless
// Chromium (Debian's `chromium`) loads the report from disk, the test reads
// the page's key elements back from the DOM Chromium built, and a screenshot
// is kept as a test artifact ($FAULTDRILL_ARTIFACT_DIR, else
// <FAULTDRILL_BIN_DIR>/test-artifacts) for a person to look at. Skipped,
// saying so, where chromium is not installed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>

#include "core/command.h"
#include "core/run_result.h"
#include "reports/json_report.h"
#include "tests/e2e/cli_runner.h"

namespace faultdrill::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

// A 6 s drill with something in every section of the report: a kill with a
// restart (errors, recovery), poisoned inputs (their outcomes table), a
// process probe (a health strip and value charts), SLOs to judge.
constexpr char kDrill[] = R"(name: e2e-report-in-browser
target: {embedded: true, model: classifier}
load: {generator: {model: classifier}, rate: 100/s, duration: 6s, deadline: 500ms}
probes:
  - {name: server, kind: process, interval: 250ms}
faults:
  - {kind: process-kill, name: kill, at: 1500ms, restart_after: 1s}
  - {kind: poison-inputs, name: poison, at: 4s, for: 1s, fraction: 20%}
slos:
  - {name: recovers, recovery_time: 3s, fault: kill}
  - {name: fast before the kill, window: before, p99_latency: 100ms}
)";

// Where the screenshot goes (created when missing).
std::string ArtifactDir() {
  const char* dir = std::getenv("FAULTDRILL_ARTIFACT_DIR");
  const std::string path = dir != nullptr && *dir != '\0' ? dir : BinDir() + "/test-artifacts";
  std::error_code ignored;
  fs::create_directories(path, ignored);
  return path;
}

// Chromium, headless, in a profile of its own, quiet (its logging would mix
// with the DOM it prints), without the sandbox (which refuses to run as root).
std::vector<std::string> Chromium(const std::string& program, const std::string& profile) {
  return {program, "--headless", "--no-sandbox", "--disable-gpu", "--log-level=3", "--hide-scrollbars",
          "--user-data-dir=" + profile};
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

// The <svg> element whose aria-label starts with `label`, as Chromium
// serialized it; "" when there is none.
std::string ChartLabelled(const std::string& dom, const std::string& label) {
  const size_t at = dom.find("aria-label=\"" + label);
  if (at == std::string::npos) return "";
  const size_t start = dom.rfind("<svg", at);
  return dom.substr(start, dom.find("</svg>", at) - start);
}

TEST(ReportInBrowser, ADrillsReportShowsItsKeyElementsAndIsScreenshotted) {
  const absl::StatusOr<std::string> chromium = FindProgram("chromium");
  if (!chromium.ok()) GTEST_SKIP() << "chromium is not installed (Debian package `chromium`): " << chromium.status();
  TempDir dir;
  std::ofstream(dir.File("drill.yaml")) << kDrill;
  const std::string out = dir.File("out");
  CommandResult run = RunFaultdrill({"run", dir.File("drill.yaml"), "--out", out, "-q"}, 60s);
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.output;  // judged either way
  absl::StatusOr<RunResult> result = reports::ReadJsonReport(out + "/result.json");
  ASSERT_TRUE(result.ok()) << result.status();
  const std::string report = out + "/report.html";
  ASSERT_TRUE(fs::exists(report));
  // RunCommand keeps the last 64 KiB of output: the whole page must fit.
  ASSERT_LT(fs::file_size(report), 60u * 1024) << "the report outgrew what the DOM dump can capture";

  std::vector<std::string> dump = Chromium(*chromium, dir.File("profile-dom"));
  dump.insert(dump.end(), {"--dump-dom", "file://" + report});
  absl::StatusOr<faultdrill::CommandResult> dom = RunCommand(dump, 60s);
  ASSERT_TRUE(dom.ok()) << dom.status();
  ASSERT_EQ(dom->exit_code, 0) << dom->output;
  const std::string& page = dom->output;
  ASSERT_THAT(page, HasSubstr("</html>")) << page;

  // The header: badge, score, reproduce command.
  const std::string outcome(OutcomeName(result->outcome));
  EXPECT_THAT(page, HasSubstr("\">" + outcome + "</span>"));
  EXPECT_TRUE(std::regex_search(page, std::regex("<span class=\"badge (pass|fail|warn)\">" + outcome + "</span>")));
  ASSERT_TRUE(result->score.has_value());
  EXPECT_TRUE(std::regex_search(page, std::regex("<span class=\"value\">[0-9]+\\.[0-9]</span>")));
  EXPECT_THAT(page, HasSubstr("<code class=\"reproduce-command\">faultdrill run "));
  // The latency chart: the faults shaded and labelled, both axes labelled.
  const std::string latency = ChartLabelled(page, "Latency per second");
  ASSERT_FALSE(latency.empty()) << page;
  EXPECT_EQ(Count(latency, "<g class=\"band\">"), result->faults.size());
  EXPECT_THAT(latency, HasSubstr(">kill</text>"));
  EXPECT_THAT(latency, HasSubstr(">poison</text>"));
  EXPECT_THAT(latency, HasSubstr(">time from the start of the load</text>"));
  EXPECT_THAT(latency, HasSubstr(">latency (ms"));
  EXPECT_THAT(latency, HasSubstr(">6s</text>"));
  EXPECT_FALSE(ChartLabelled(page, "server rss_bytes over time").empty());  // a probe on the same timeline
  // The tables: one row per verdict and per fault.
  EXPECT_EQ(Count(page, "<tr class=\"verdict "), result->verdicts.size());
  EXPECT_EQ(Count(page, "<tr class=\"fault-row "), result->faults.size());
  EXPECT_THAT(page, HasSubstr("<h2>Injector log</h2>"));
  size_t variants = 0;
  for (const FaultRecord& fault : result->faults) variants += fault.poison.size();
  EXPECT_GT(variants, 0u) << "poison-inputs recorded no outcomes";
  EXPECT_EQ(Count(page, "<tr class=\"poison-row"), variants);

  const std::string png = ArtifactDir() + "/report.png";
  std::error_code ignored;
  fs::remove(png, ignored);
  std::vector<std::string> shot = Chromium(*chromium, dir.File("profile-shot"));
  shot.insert(shot.end(), {"--screenshot=" + png, "--window-size=1280,4000", "file://" + report});
  absl::StatusOr<faultdrill::CommandResult> screenshot = RunCommand(shot, 60s);
  ASSERT_TRUE(screenshot.ok()) << screenshot.status();
  EXPECT_EQ(screenshot->exit_code, 0) << screenshot->output;
  ASSERT_TRUE(fs::exists(png)) << screenshot->output;
  EXPECT_GT(fs::file_size(png), 20u * 1024) << "a page of charts and tables is not a near-empty image";
  EXPECT_EQ(ReadWholeFile(png).substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  fs::copy_file(report, ArtifactDir() + "/report.html", fs::copy_options::overwrite_existing, ignored);
  std::cout << "screenshot: " << png << "\n";
}

}  // namespace
}  // namespace faultdrill::testing
