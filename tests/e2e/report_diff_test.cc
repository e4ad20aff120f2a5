// `faultdrill report` and `faultdrill diff` on the result of a real drill.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "nlohmann/json.hpp"
#include "tests/e2e/cli_runner.h"

namespace faultdrill::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

void WriteFile(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// One short real drill, shared by the tests below (3 s of load).
class ReportAndDiff : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    CommandResult run = RunFaultdrill({"run", "tests/e2e/scenarios/impossible-slo.yaml", "--out", dir_->path(), "-q"}, 60s);
    ASSERT_EQ(run.exit_code, 1) << run.output;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string Result() { return dir_->path() + "/result.json"; }

  // The result with the "all" window's latency percentiles (every call's and
  // the successful calls', which diff compares) multiplied by `factor`.
  static std::string SlowerCopy(const TempDir& dir, double factor) {
    nlohmann::json j = nlohmann::json::parse(ReadWholeFile(Result()));
    for (auto& window : j["windows"]) {
      if (window["name"] != "all") continue;
      for (const char* latency : {"latency", "ok_latency"}) {
        for (const char* p : {"p50_ms", "p90_ms", "p99_ms"}) {
          window[latency][p] = window[latency][p].get<double>() * factor + 5.0;
        }
      }
    }
    std::string path = dir.File("slower.json");
    WriteFile(path, j.dump(2));
    return path;
  }

  static TempDir* dir_;
};
TempDir* ReportAndDiff::dir_ = nullptr;

TEST_F(ReportAndDiff, ReportRendersTheSameHtmlAndJunitAsTheRun) {
  TempDir out;
  CommandResult report = RunFaultdrill({"report", Result(), "--out", out.path()}, 30s);
  ASSERT_EQ(report.exit_code, 0) << report.output;
  EXPECT_THAT(report.output, HasSubstr("report.html"));
  // Everything the reports show survives the trip through result.json.
  EXPECT_EQ(ReadWholeFile(out.File("report.html")), ReadWholeFile(dir_->path() + "/report.html"));
  EXPECT_EQ(ReadWholeFile(out.File("junit.xml")), ReadWholeFile(dir_->path() + "/junit.xml"));
}

TEST_F(ReportAndDiff, ReportRefusesAResultOfAnotherSchemaVersionNamingTheField) {
  TempDir out;
  nlohmann::json j = nlohmann::json::parse(ReadWholeFile(Result()));
  j["schema_version"] = 99;
  WriteFile(out.File("future.json"), j.dump());
  CommandResult report = RunFaultdrill({"report", out.File("future.json")}, 30s);
  EXPECT_EQ(report.exit_code, 2) << report.output;
  EXPECT_THAT(report.output, HasSubstr("schema_version"));
  EXPECT_FALSE(fs::exists(out.File("report.html")));
}

TEST_F(ReportAndDiff, ARunComparedWithItselfHasNoRegression) {
  CommandResult diff = RunFaultdrill({"diff", Result(), Result()}, 30s);
  EXPECT_EQ(diff.exit_code, 0) << diff.output;
  EXPECT_THAT(diff.output, HasSubstr("no regressions"));
}

TEST_F(ReportAndDiff, SlowerLatencyIsARegressionWithExitOneAndMarkdown) {
  TempDir out;
  const std::string slower = SlowerCopy(out, 3.0);
  CommandResult diff = RunFaultdrill({"diff", Result(), slower, "--markdown", out.File("diff.md")}, 30s);
  EXPECT_EQ(diff.exit_code, 1) << diff.output;
  EXPECT_THAT(diff.output, ::testing::ContainsRegex("regression +latency"));
  EXPECT_THAT(diff.output, HasSubstr("p99 in all"));
  std::string markdown = ReadWholeFile(out.File("diff.md"));
  EXPECT_THAT(markdown, HasSubstr("### faultdrill diff: 3 regressions"));
  EXPECT_THAT(markdown, HasSubstr("| **regression** | latency | p99 in all |"));
  // The other way round it is an improvement, and a loose threshold passes it.
  EXPECT_EQ(RunFaultdrill({"diff", slower, Result()}, 30s).exit_code, 0);
  EXPECT_EQ(RunFaultdrill({"diff", Result(), slower, "--max-latency-increase", "100%", "--min-latency-change", "1h"},
                          30s).exit_code, 0);
}

TEST_F(ReportAndDiff, BadInputExitsTwoNamingTheProblem) {
  TempDir out;
  WriteFile(out.File("broken.json"), "{\"schema_version\": 1, \"windows\": [");
  CommandResult broken = RunFaultdrill({"diff", Result(), out.File("broken.json")}, 30s);
  EXPECT_EQ(broken.exit_code, 2) << broken.output;
  EXPECT_THAT(broken.output, HasSubstr("broken.json"));
  CommandResult threshold = RunFaultdrill({"diff", Result(), Result(), "--max-latency-increase", "lots"}, 30s);
  EXPECT_EQ(threshold.exit_code, 2) << threshold.output;
  EXPECT_THAT(threshold.output, HasSubstr("--max-latency-increase"));
}

}  // namespace
}  // namespace faultdrill::testing
