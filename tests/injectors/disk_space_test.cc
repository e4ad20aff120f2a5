#include "injectors/disk_space.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace faultdrill::injectors {
namespace {

using ::testing::HasSubstr;

// A filesystem whose usage the test sets; remembers the path it was asked about.
class FakeFilesystemStats final : public FilesystemStats {
 public:
  explicit FakeFilesystemStats(FilesystemUsage usage) : usage_(usage) {}
  absl::StatusOr<FilesystemUsage> Usage(const std::string& path) override {
    asked_ = path;
    return usage_;
  }
  const std::string& asked() const { return asked_; }

 private:
  FilesystemUsage usage_;
  std::string asked_;
};

constexpr uint64_t kMiB = uint64_t{1} << 20;

TEST(UsageFromStatvfs, CountsLikeDf) {
  struct statvfs stats {};
  stats.f_frsize = 4096;
  stats.f_blocks = 1000;
  stats.f_bfree = 300;   // 50 blocks of these are root's reserve
  stats.f_bavail = 250;
  FilesystemUsage usage = UsageFromStatvfs(stats);
  EXPECT_EQ(usage.used_bytes, 700u * 4096);
  EXPECT_EQ(usage.available_bytes, 250u * 4096);
  EXPECT_NEAR(usage.UsedFraction(), 700.0 / 950.0, 1e-12);
}

TEST(BytesToFill, FillsUpToTheFraction) {
  // 40 MiB used of 100: 50% means 10 MiB more.
  auto bytes = BytesToFill({.used_bytes = 40 * kMiB, .available_bytes = 60 * kMiB}, {.fill_fraction = 0.5});
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, 10 * kMiB);
}

TEST(BytesToFill, RoundsUpSoTheTargetIsReached) {
  auto bytes = BytesToFill({.used_bytes = 0, .available_bytes = 3}, {.fill_fraction = 0.5});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, 2u);
}

TEST(BytesToFill, WritesNothingWhenAlreadyAsFull) {
  auto bytes = BytesToFill({.used_bytes = 60 * kMiB, .available_bytes = 40 * kMiB}, {.fill_fraction = 0.5});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, 0u);
}

TEST(BytesToFill, TakesBytesThatFitBelowTheLimit) {
  auto bytes = BytesToFill({.used_bytes = 40 * kMiB, .available_bytes = 60 * kMiB}, {.bytes = 50 * kMiB});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, 50 * kMiB);
}

TEST(BytesToFill, RefusesBytesBeyondTheLimit) {
  auto bytes = BytesToFill({.used_bytes = 40 * kMiB, .available_bytes = 60 * kMiB}, {.bytes = 60 * kMiB});
  EXPECT_EQ(bytes.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(bytes.status().message(), HasSubstr("beyond 99%"));
}

TEST(BytesToFill, RefusesAFillBeyondTheLimit) {
  auto bytes = BytesToFill({.used_bytes = 0, .available_bytes = 100}, {.fill_fraction = 0.995});
  EXPECT_EQ(bytes.status().code(), absl::StatusCode::kInvalidArgument);
  auto limit = BytesToFill({.used_bytes = 0, .available_bytes = 100}, {.fill_fraction = 0.5, .max_fraction = 1.0});
  EXPECT_EQ(limit.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(BytesToFill, RefusesAFilesystemWithoutCapacity) {
  auto bytes = BytesToFill({}, {.fill_fraction = 0.5});
  EXPECT_THAT(bytes.status().message(), HasSubstr("pseudo filesystem"));
}

TEST(BytesToFill, WantsExactlyOneOfFractionAndBytes) {
  FilesystemUsage usage{.used_bytes = 1, .available_bytes = 99};
  EXPECT_EQ(BytesToFill(usage, {}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BytesToFill(usage, {.fill_fraction = 0.5, .bytes = 1}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PlanDiskFill, AsksAboutTheGivenPath) {
  FakeFilesystemStats stats({.used_bytes = 90 * kMiB, .available_bytes = 10 * kMiB});
  auto bytes = PlanDiskFill(stats, "/var/tmp", {.fill_fraction = 0.95});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, 5 * kMiB);
  EXPECT_EQ(stats.asked(), "/var/tmp");
}

}  // namespace
}  // namespace faultdrill::injectors
