#include "injectors/hog/gpu_memory_holder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/injectors/fake_cuda_driver.h"

namespace faultdrill::hog {
namespace {

using ::faultdrill::testing::FakeCudaDriver;
using ::faultdrill::testing::kMiB;
using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::Le;

GpuFillRequest Fraction(double fraction) { return {.fraction = fraction}; }
GpuFillRequest Bytes(uint64_t bytes) { return {.bytes = bytes}; }

TEST(GpuFillTarget, IsAShareOfTheFreeMemoryInWholeMinimumChunks) {
  auto target = GpuFillTarget(Fraction(0.5), {.free_bytes = 1001 * kMiB + 123, .total_bytes = 2048 * kMiB});
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(*target, 500 * kMiB);  // 500.5 MiB rounded down to 2 MiB
}

TEST(GpuFillTarget, BytesMustBeFree) {
  auto target = GpuFillTarget(Bytes(2000 * kMiB), {.free_bytes = 1000 * kMiB, .total_bytes = 2048 * kMiB});
  EXPECT_EQ(target.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(target.status().message(), HasSubstr("fewer than"));
}

TEST(GpuFillTarget, WantsExactlyOneOfFractionAndBytes) {
  EXPECT_EQ(GpuFillTarget({}, {}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GpuFillTarget({.fraction = 0.5, .bytes = 1}, {}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(GpuMemoryHold, TakesTheFractionInChunksOnTheChosenDevice) {
  FakeCudaDriver driver;
  driver.device_count = 2;
  GpuFillRequest request = Fraction(0.5);
  request.device = 1;
  auto hold = GpuMemoryHold::Take(driver, request);
  ASSERT_TRUE(hold.ok()) << hold.status();
  EXPECT_EQ(driver.current_device, 1);
  EXPECT_EQ((*hold)->held_bytes(), 500 * kMiB);
  EXPECT_EQ((*hold)->blocks(), 2u);  // 256 MiB + 244 MiB
  EXPECT_EQ(driver.requests, (std::vector<uint64_t>{256 * kMiB, 244 * kMiB}));
  EXPECT_EQ(driver.free_bytes, 500 * kMiB);
  EXPECT_EQ((*hold)->before().free_bytes, 1000 * kMiB);
}

TEST(GpuMemoryHold, FreesEveryBlockWhenReleased) {
  FakeCudaDriver driver;
  auto hold = GpuMemoryHold::Take(driver, Fraction(0.9));
  ASSERT_TRUE(hold.ok());
  EXPECT_FALSE(driver.live.empty());
  hold->reset();
  EXPECT_TRUE(driver.live.empty());
  EXPECT_EQ(driver.free_bytes, 1000 * kMiB);
}

TEST(GpuMemoryHold, HalvesTheChunkWhenTheDeviceRefusesABlock) {
  FakeCudaDriver driver;
  driver.largest_block = 100 * kMiB;
  auto hold = GpuMemoryHold::Take(driver, Bytes(300 * kMiB));
  ASSERT_TRUE(hold.ok()) << hold.status();
  EXPECT_EQ((*hold)->held_bytes(), 300 * kMiB);
  std::vector<uint64_t> given;
  for (const auto& [address, bytes] : driver.live) given.push_back(bytes);
  EXPECT_THAT(given, Each(Le(100 * kMiB)));
  EXPECT_EQ(driver.requests.at(0), 256 * kMiB);
  EXPECT_EQ(driver.requests.at(1), 128 * kMiB);
}

TEST(GpuMemoryHold, BytesTheDeviceWillNotGiveFailAndFreeWhatWasTaken) {
  FakeCudaDriver driver;
  driver.others_take_after = 400 * kMiB;  // another process took the rest meanwhile
  auto hold = GpuMemoryHold::Take(driver, Bytes(600 * kMiB));
  EXPECT_EQ(hold.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(hold.status().message(), HasSubstr("of the 629145600 bytes"));
  EXPECT_TRUE(driver.live.empty());
}

TEST(GpuMemoryHold, AFractionTakesWhatTheDeviceGives) {
  FakeCudaDriver driver;
  driver.others_take_after = 400 * kMiB;
  auto hold = GpuMemoryHold::Take(driver, Fraction(0.6));
  ASSERT_TRUE(hold.ok()) << hold.status();
  EXPECT_EQ((*hold)->target_bytes(), 600 * kMiB);
  EXPECT_EQ((*hold)->held_bytes(), 400 * kMiB);
}

TEST(GpuMemoryHold, NoDeviceIsAMissingPrecondition) {
  FakeCudaDriver driver;
  driver.device_count = 0;
  auto hold = GpuMemoryHold::Take(driver, Fraction(0.5));
  EXPECT_EQ(hold.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(hold.status().message(), HasSubstr("no CUDA device"));
}

TEST(GpuMemoryHold, AnUnknownDeviceNamesHowManyThereAre) {
  FakeCudaDriver driver;
  GpuFillRequest request = Fraction(0.5);
  request.device = 3;
  auto hold = GpuMemoryHold::Take(driver, request);
  EXPECT_EQ(hold.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(hold.status().message(), HasSubstr("CUDA device 3 does not exist (this machine has 1)"));
  EXPECT_TRUE(driver.requests.empty());
}

TEST(GpuMemoryHold, AFailedInitIsAMissingPrecondition) {
  FakeCudaDriver driver;
  driver.init_status = absl::FailedPreconditionError("cuInit failed: CUDA_ERROR_SYSTEM_DRIVER_MISMATCH (803)");
  EXPECT_THAT(GpuMemoryHold::Take(driver, Fraction(0.5)).status().message(), HasSubstr("cuInit"));
}

TEST(HoldGpuMemory, DescribesWhatItHoldsForTheReadyLine) {
  auto driver = std::make_unique<FakeCudaDriver>();
  FakeCudaDriver* fake = driver.get();
  auto hold = HoldGpuMemory(std::move(driver), Bytes(64 * kMiB));
  ASSERT_TRUE(hold.ok()) << hold.status();
  EXPECT_EQ((*hold)->Describe(), "device=0 bytes=67108864 blocks=1 free_before=1048576000 total=1073741824");
  EXPECT_EQ(fake->live.size(), 1u);
}

}  // namespace
}  // namespace faultdrill::hog
