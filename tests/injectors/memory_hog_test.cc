#include "injectors/memory_hog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/injectors/hog_fixture.h"
#include "tests/injectors/scenario_fixture.h"

namespace faultdrill::injectors {
namespace {

using namespace std::chrono_literals;
using ::faultdrill::testing::ProcessGone;
using ::faultdrill::testing::ResidentBytes;
using ::testing::HasSubstr;

constexpr uint64_t kMiB = uint64_t{1} << 20;

class MemoryHogTest : public ::faultdrill::testing::InjectorTest {
 protected:
  MemoryHogTest() : InjectorTest(&MemoryHogInjector::Create) {}

  pid_t HelperPid() const {
    for (const JournalRecord& record : run_.journal().Records()) {
      if (record.undo.action == "stop-process") return record.undo.args["pid"].get<pid_t>();
    }
    return 0;
  }
};

TEST(ParseMemAvailable, ReadsKibibytes) {
  auto available = ParseMemAvailable("MemTotal:       16384000 kB\nMemFree:  100 kB\nMemAvailable:    8192000 kB\n");
  ASSERT_TRUE(available.ok()) << available.status();
  EXPECT_EQ(*available, uint64_t{8192000} * 1024);
}

TEST(ParseMemAvailable, SaysWhenTheLineIsMissing) {
  EXPECT_THAT(ParseMemAvailable("MemTotal: 1 kB\n").status().message(), HasSubstr("MemAvailable"));
  EXPECT_FALSE(ParseMemAvailable("MemAvailable: lots\n").ok());
}

TEST(MemoryHogBytes, IsAShareInWholePages) {
  EXPECT_EQ(MemoryHogBytes(0.5, 1000 * kMiB), 500 * kMiB);
  EXPECT_EQ(MemoryHogBytes(0.5, 8193), 4096u);
}

TEST_F(MemoryHogTest, TakesBytesOrPercent) {
  auto by_bytes = Create("{kind: memory-hog, at: 1s, bytes: 512MiB}");
  ASSERT_TRUE(by_bytes.ok()) << by_bytes.status();
  EXPECT_THAT((*by_bytes)->Describe(), HasSubstr("536870912 bytes"));
  auto by_percent = Create("{kind: memory-hog, at: 1s, percent: 50%}");
  ASSERT_TRUE(by_percent.ok()) << by_percent.status();
  EXPECT_THAT((*by_percent)->Touches().at(0), HasSubstr("50% of available memory"));
}

TEST_F(MemoryHogTest, WantsExactlyOneOfBytesAndPercent) {
  EXPECT_THAT(Create("{kind: memory-hog, at: 1s}").status().message(), HasSubstr("t.yaml:5:"));
  auto both = Create("{kind: memory-hog, at: 1s, bytes: 1MiB, percent: 5%}");
  EXPECT_THAT(both.status().message(), HasSubstr("either `bytes`"));
}

TEST_F(MemoryHogTest, RefusesAlmostAllMemory) {
  auto injector = Create("{kind: memory-hog, at: 1s, percent: 99%}");
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(injector.status().message(), HasSubstr("at most 95%"));
}

TEST_F(MemoryHogTest, RejectsABadSizeWithItsLocation) {
  auto injector = Create("{kind: memory-hog, at: 1s, bytes: lots}");
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(injector.status().message(), HasSubstr("bytes"));
}

// The real thing: the helper's resident memory reaches the size, and is gone after revert.
TEST_F(MemoryHogTest, HelperHoldsTheMemoryResidentUntilReverted) {
  auto injector = Create("{kind: memory-hog, at: 1s, bytes: 32MiB}");
  ASSERT_TRUE(injector.ok());
  ASSERT_TRUE((*injector)->Apply().ok());
  const pid_t pid = HelperPid();
  ASSERT_GT(pid, 0);
  EXPECT_GE(ResidentBytes(pid), 32 * kMiB);
  EXPECT_EQ((*injector)->Counters().at("bytes_held"), static_cast<int64_t>(32 * kMiB));
  ASSERT_TRUE((*injector)->Revert().ok());
  EXPECT_TRUE(ProcessGone(pid));
  EXPECT_TRUE((*injector)->Revert().ok());
}

}  // namespace
}  // namespace faultdrill::injectors
