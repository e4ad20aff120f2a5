// junit.xml against tests/reports/junit.xsd (the common JUnit format), checked
// by xmllint for runs of every shape. Skips when xmllint is not installed.
#include <cstdlib>
#include <string>
#include <vector>

#include "core/command.h"
#include "core/durable_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reports/junit_report.h"
#include "tests/common/files.h"
#include "tests/reports/junit_samples.h"

namespace faultdrill::reports {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("FAULTDRILL_SOURCE_DIR");
  return dir != nullptr && *dir != '\0' ? dir : ".";
}

std::string SchemaPath() { return SourceDir() + "/tests/reports/junit.xsd"; }

class JunitSchema : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!FindProgram("xmllint").ok()) GTEST_SKIP() << "xmllint is not installed (Debian package libxml2-utils)";
    ASSERT_FALSE(dir_.path().empty());
  }

  // xmllint's verdict on `xml` against the schema: exit code and messages.
  CommandResult Validate(const std::string& name, const std::string& xml) {
    const std::string path = dir_.File(name + ".xml");
    EXPECT_TRUE(WriteFileAtomically(path, xml).ok());
    absl::StatusOr<CommandResult> run =
        RunCommand({"xmllint", "--noout", "--nonet", "--schema", SchemaPath(), path}, std::chrono::seconds(60));
    EXPECT_TRUE(run.ok()) << run.status();
    return run.value_or(CommandResult{});
  }

  testing::TempDir dir_;
};

TEST_F(JunitSchema, SchemaItselfIsValidAndRejectsABrokenFile) {
  // A file the schema must refuse: a time that is not a number, an unknown element.
  const std::string broken =
      "<testsuites><testsuite name=\"s\"><testcase classname=\"c\" name=\"n\" time=\"NaN\"/>"
      "<testcase classname=\"c\" name=\"m\"><verdict/></testcase></testsuite></testsuites>";

  CommandResult result = Validate("broken", broken);

  EXPECT_NE(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, ::testing::HasSubstr("'NaN' is not a valid value"));
  EXPECT_THAT(result.output, ::testing::HasSubstr("verdict"));
  EXPECT_THAT(result.output, ::testing::Not(::testing::HasSubstr("failed to compile"))) << "the schema is broken";
}

TEST_F(JunitSchema, EveryKindOfRunValidates) {
  for (const sample::NamedRunResult& sample : sample::JunitSamples()) {
    SCOPED_TRACE(sample.name);
    CommandResult result =
        Validate(sample.name, RenderJunit(sample.result, JunitOptions{.html_report = "out/x/report.html"}));
    EXPECT_EQ(result.exit_code, 0) << result.output;
  }
}

TEST_F(JunitSchema, WithoutAnAttachmentOrAFileItValidates) {
  RunResult result = sample::ErrorRunResult();
  result.scenario_file.clear();

  CommandResult check = Validate("bare", RenderJunit(result, JunitOptions{.html_report = ""}));

  EXPECT_EQ(check.exit_code, 0) << check.output;
}

TEST_F(JunitSchema, WrittenFileValidates) {
  const std::string path = dir_.File("junit.xml");
  ASSERT_TRUE(WriteJunitReport(sample::SampleRunResult(), path).ok());

  absl::StatusOr<CommandResult> run =
      RunCommand({"xmllint", "--noout", "--nonet", "--schema", SchemaPath(), path}, std::chrono::seconds(60));

  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 0) << run->output;
}

}  // namespace
}  // namespace faultdrill::reports
