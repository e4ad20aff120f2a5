#include "injectors/gpu_memory_fill.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <iostream>

#include "injectors/command.h"
#include "tests/injectors/fake_cuda_driver.h"
#include "tests/injectors/hog_fixture.h"
#include "tests/injectors/scenario_fixture.h"

namespace faultdrill::injectors {
namespace {

using namespace std::chrono_literals;
using ::faultdrill::testing::FakeCudaDriver;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class GpuMemoryFillTest : public ::faultdrill::testing::InjectorTest {
 protected:
  GpuMemoryFillTest() : InjectorTest(&GpuMemoryFillInjector::Create) {}

  // An injector for half of device 0 whose Needs() load the fake driver
  // that `setup` prepares (no `setup`: there is no NVIDIA driver).
  std::unique_ptr<Injector> WithDriver(std::function<void(FakeCudaDriver&)> setup) {
    GpuMemoryFillSettings settings{.name = "gpu", .device = 0, .fraction = 0.5};
    return std::make_unique<GpuMemoryFillInjector>(
        settings, run_, [setup]() -> absl::StatusOr<std::unique_ptr<CudaDriver>> {
          if (!setup) return absl::FailedPreconditionError("no NVIDIA driver: libcuda.so.1 not found (fake)");
          auto driver = std::make_unique<FakeCudaDriver>();
          setup(*driver);
          return driver;
        });
  }
};

TEST_F(GpuMemoryFillTest, TakesAFractionOrBytes) {
  auto by_fraction = Create("{kind: gpu-memory-fill, at: 1s, fraction: 0.9}");
  ASSERT_TRUE(by_fraction.ok()) << by_fraction.status();
  EXPECT_THAT((*by_fraction)->Touches(), ElementsAre("GPU 0 (CUDA driver API): 90% of the free memory"));
  auto by_bytes = Create("{kind: gpu-memory-fill, at: 1s, device: 1, bytes: 1GiB}");
  ASSERT_TRUE(by_bytes.ok()) << by_bytes.status();
  EXPECT_THAT((*by_bytes)->Describe(), HasSubstr("1073741824 bytes of GPU 1"));
}

TEST_F(GpuMemoryFillTest, WantsExactlyOneOfFractionAndBytesWithTheLocation) {
  auto neither = Create("{kind: gpu-memory-fill, at: 1s}");
  EXPECT_THAT(neither.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(neither.status().message(), HasSubstr("either `fraction`"));
  EXPECT_FALSE(Create("{kind: gpu-memory-fill, at: 1s, fraction: 0.5, bytes: 1GiB}").ok());
}

TEST_F(GpuMemoryFillTest, RejectsBadValuesWithTheirLocation) {
  for (const char* fault : {"{kind: gpu-memory-fill, at: 1s, fraction: 0}",
                            "{kind: gpu-memory-fill, at: 1s, fraction: 1.5}",
                            "{kind: gpu-memory-fill, at: 1s, fraction: 0.5, device: -1}",
                            "{kind: gpu-memory-fill, at: 1s, bytes: 0}",
                            "{kind: gpu-memory-fill, at: 1s, fraction: 0.5, devices: 0}"}) {
    auto injector = Create(fault);
    EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:")) << fault;
  }
}

TEST_F(GpuMemoryFillTest, NeedsTheDriverAndSaysWhenItIsMissing) {
  auto injector = WithDriver(nullptr);
  std::vector<Need> needs = injector->Needs();
  ASSERT_EQ(needs.size(), 3u);
  EXPECT_EQ(needs[0].what, "NVIDIA driver (libcuda.so.1)");
  EXPECT_THAT(needs[0].status.message(), HasSubstr("libcuda.so.1 not found"));
  EXPECT_EQ(needs[1].what, "CUDA device 0");
  EXPECT_FALSE(needs[1].status.ok());
}

TEST_F(GpuMemoryFillTest, NeedsTheDevice) {
  auto injector = WithDriver([](FakeCudaDriver& driver) { driver.device_count = 0; });
  std::vector<Need> needs = injector->Needs();
  EXPECT_TRUE(needs[0].status.ok());
  EXPECT_THAT(needs[1].status.message(), HasSubstr("no CUDA device"));
}

TEST_F(GpuMemoryFillTest, HasWhatItNeedsWithADriverAndADevice) {
  auto injector = WithDriver([](FakeCudaDriver&) {});
  std::vector<Need> needs = injector->Needs();
  EXPECT_TRUE(needs[0].status.ok());
  EXPECT_TRUE(needs[1].status.ok());
}

TEST_F(GpuMemoryFillTest, WithoutTheDriverApplyFailsClearly) {
  if (LoadCudaDriver().ok()) GTEST_SKIP() << "this machine has the NVIDIA driver (libcuda.so.1)";
  auto injector = Create("{kind: gpu-memory-fill, at: 1s, fraction: 0.5}");
  ASSERT_TRUE(injector.ok());
  absl::Status status = (*injector)->Apply();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("no NVIDIA driver: libcuda.so.1 not found"));
  EXPECT_TRUE((*injector)->Revert().ok());
}

// The free memory of device 0 as the helper's gpu-info sees it.
int64_t FreeGpuBytes() {
  auto result = RunCommand({::faultdrill::testing::HogBinary(), "gpu-info", "--device", "0"}, 30s);
  if (!result.ok() || result->exit_code != 0) return -1;
  size_t at = result->output.find("free=");
  return at == std::string::npos ? -1 : std::stoll(result->output.substr(at + 5));
}

// The real thing, where there is a GPU: half the free memory is taken and given back.
TEST_F(GpuMemoryFillTest, TakesHalfTheFreeMemoryAndGivesItBack) {
  auto driver = LoadCudaDriver();
  if (!driver.ok()) GTEST_SKIP() << "no NVIDIA driver (libcuda.so.1 not found)";
  if (absl::Status s = CheckCudaDevice(**driver, 0); !s.ok()) GTEST_SKIP() << s.message();
  auto injector = Create("{kind: gpu-memory-fill, at: 1s, fraction: 0.5}");
  ASSERT_TRUE(injector.ok());
  const int64_t before = FreeGpuBytes();
  ASSERT_TRUE((*injector)->Apply().ok());
  const int64_t during = FreeGpuBytes();
  const int64_t held = (*injector)->Counters().at("bytes_held");
  ASSERT_TRUE((*injector)->Revert().ok());
  const int64_t after = FreeGpuBytes();
  std::cout << "GPU 0 free bytes: before " << before << ", during " << during << ", after " << after << "; held "
            << held << "\n";
  EXPECT_GT(held, 0);
  EXPECT_LT(during, before - held / 2);
  EXPECT_GT(after, before - held / 4);
}

}  // namespace
}  // namespace faultdrill::injectors
