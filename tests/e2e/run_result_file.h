// Reading what a faultdrill run wrote, for end-to-end tests.
#ifndef FAULTDRILL_TESTS_E2E_RUN_RESULT_FILE_H_
#define FAULTDRILL_TESTS_E2E_RUN_RESULT_FILE_H_

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "core/run_result.h"
#include "reports/json_report.h"

namespace faultdrill::testing {

// The run's OUT/result.json, read back with the project's strict reader (so
// every test also checks that what a run writes is a valid RunResult). A file
// that cannot be read fails the test and yields an empty RunResult.
inline RunResult ReadRunResult(const std::string& out) {
  auto result = reports::ReadJsonReport(out + "/result.json");
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : RunResult{};
}

// The first verdict whose name starts with `prefix`, or null.
inline const Verdict* VerdictNamed(const RunResult& result, std::string_view prefix) {
  for (const Verdict& v : result.verdicts) {
    if (v.name.starts_with(prefix)) return &v;
  }
  return nullptr;
}

// "name: message" of every failed verdict, one per line: the message of a
// failed expectation on a run's outcome.
inline std::string FailedVerdicts(const RunResult& result) {
  std::string text;
  for (const Verdict& v : result.verdicts) {
    if (!v.passed) text += v.name + ": " + v.message + "\n";
  }
  return text.empty() ? "(no failed verdict)" : text;
}

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_E2E_RUN_RESULT_FILE_H_
