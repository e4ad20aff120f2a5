// The gpu probe on a fake NVML (readings, failures, no GPU), and on the real
// library of this machine.
#include "probes/gpu_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iostream>
#include <map>

#include "probes/registry.h"

namespace faultdrill::probes {
namespace {

using ::testing::HasSubstr;

class FakeNvml final : public NvmlLibrary {
 public:
  absl::Status init = absl::OkStatus();
  int devices = 1;
  absl::StatusOr<NvmlMemory> memory = NvmlMemory{.used_bytes = 3ull << 30, .total_bytes = 80ull << 30};
  absl::StatusOr<NvmlUtilization> utilization = NvmlUtilization{.gpu_percent = 87, .memory_percent = 40};
  absl::StatusOr<int> temperature = 61;
  int init_calls = 0;

  absl::Status Init() override {
    ++init_calls;
    return init;
  }
  absl::StatusOr<int> DeviceCount() override { return devices; }
  absl::StatusOr<std::string> DeviceName(int) override { return std::string("NVIDIA Fake 80GB"); }
  absl::StatusOr<NvmlMemory> MemoryInfo(int) override { return memory; }
  absl::StatusOr<NvmlUtilization> Utilization(int) override { return utilization; }
  absl::StatusOr<int> TemperatureC(int) override { return temperature; }
};

// A probe on a fake the test keeps a pointer to.
struct FakeGpu {
  std::unique_ptr<FakeNvml> pending = std::make_unique<FakeNvml>();  // until the probe loads it
  FakeNvml* nvml = pending.get();
  int loads = 0;
  std::unique_ptr<GpuProbe> probe;

  explicit FakeGpu(GpuProbeSettings settings = {}) {
    probe = std::make_unique<GpuProbe>(settings, [this]() -> absl::StatusOr<std::unique_ptr<NvmlLibrary>> {
      ++loads;
      if (pending == nullptr) return absl::InternalError("loaded twice");
      return std::unique_ptr<NvmlLibrary>(std::move(pending));
    });
  }
};

std::map<std::string, double> Values(const ProbeResult& result) {
  std::map<std::string, double> values;
  for (const ProbeValue& v : result.values) values[v.name] = v.value;
  return values;
}

TEST(GpuProbe, ReportsMemoryUtilizationAndTemperature) {
  FakeGpu gpu;
  ProbeResult result = gpu.probe->Check();
  EXPECT_TRUE(result.healthy) << result.detail;
  std::map<std::string, double> expected = {{"memory_used_bytes", 3.0 * (1ull << 30)},
                                            {"memory_total_bytes", 80.0 * (1ull << 30)},
                                            {"utilization_percent", 87},
                                            {"memory_utilization_percent", 40},
                                            {"temperature_c", 61}};
  EXPECT_EQ(Values(result), expected);
  EXPECT_THAT(result.detail, HasSubstr("GPU 0 (NVIDIA Fake 80GB): 3.0 of 80.0 GiB used, 87% busy"));
  EXPECT_THAT(result.detail, HasSubstr("61 C"));
}

TEST(GpuProbe, LoadsAndInitialisesTheLibraryOnlyOnce) {
  FakeGpu gpu;
  gpu.probe->Check();
  gpu.probe->Check();
  EXPECT_EQ(gpu.loads, 1);
  EXPECT_EQ(gpu.nvml->init_calls, 1);
}

TEST(GpuProbe, AReadingTheDeviceDoesNotSupportIsLeftOut) {
  FakeGpu gpu;
  gpu.nvml->temperature = absl::UnimplementedError("nvmlDeviceGetTemperature failed: Not Supported (3)");
  ProbeResult result = gpu.probe->Check();
  EXPECT_TRUE(result.healthy) << result.detail;
  EXPECT_EQ(Values(result).count("temperature_c"), 0u);
  EXPECT_EQ(Values(result).count("memory_used_bytes"), 1u);
  EXPECT_THAT(result.detail, HasSubstr("not supported here: temperature"));
}

TEST(GpuProbe, ADeviceThatFailsToAnswerIsUnhealthy) {
  FakeGpu gpu;
  gpu.nvml->memory = absl::UnavailableError("nvmlDeviceGetMemoryInfo failed: GPU is lost (15)");
  ProbeResult result = gpu.probe->Check();
  EXPECT_FALSE(result.healthy);
  EXPECT_THAT(result.detail, HasSubstr("GPU is lost"));
  EXPECT_EQ(Values(result).count("memory_used_bytes"), 0u);
  EXPECT_EQ(Values(result).count("utilization_percent"), 1u);
}

TEST(GpuProbe, NoLibraryIsNotAvailableAndHealthyUnlessRequired) {
  for (bool required : {false, true}) {
    GpuProbe probe({.device = 0, .required = required}, []() -> absl::StatusOr<std::unique_ptr<NvmlLibrary>> {
      return absl::FailedPreconditionError("libnvidia-ml.so.1 not found (cannot open shared object file)");
    });
    ProbeResult result = probe.Check();
    EXPECT_EQ(result.healthy, !required);
    EXPECT_TRUE(result.values.empty());
    EXPECT_THAT(result.detail, HasSubstr("GPU not available: libnvidia-ml.so.1 not found"));
    if (required) {
      EXPECT_THAT(result.detail, HasSubstr("required: true"));
    }
  }
}

TEST(GpuProbe, NoDeviceIsNotAvailable) {
  FakeGpu gpu;
  gpu.nvml->devices = 0;
  ProbeResult result = gpu.probe->Check();
  EXPECT_TRUE(result.healthy);
  EXPECT_TRUE(result.values.empty());
  EXPECT_THAT(result.detail, HasSubstr("GPU not available: no NVIDIA device"));
}

TEST(GpuProbe, ADeviceIndexBeyondTheMachineIsNotAvailable) {
  FakeGpu gpu({.device = 3, .required = true});
  ProbeResult result = gpu.probe->Check();
  EXPECT_FALSE(result.healthy);
  EXPECT_THAT(result.detail, HasSubstr("device 3 does not exist (this machine has 1)"));
}

TEST(GpuProbe, AFailedInitIsNotAvailable) {
  FakeGpu gpu;
  gpu.nvml->init = absl::FailedPreconditionError("nvmlInit failed: Driver Not Loaded (9)");
  ProbeResult result = gpu.probe->Check();
  EXPECT_TRUE(result.healthy);
  EXPECT_THAT(result.detail, HasSubstr("GPU not available: nvmlInit failed: Driver Not Loaded"));
}

TEST(GpuProbeOnThisMachine, AnswersOrSaysNotAvailable) {
  GpuProbe probe({.device = 0, .required = false}, &LoadNvml);
  ProbeResult result = probe.Check();
  EXPECT_TRUE(result.healthy) << result.detail;
  if (!LoadNvml().ok()) {
    EXPECT_THAT(result.detail, HasSubstr("GPU not available: libnvidia-ml.so.1 not found"));
    EXPECT_TRUE(result.values.empty());
    GTEST_SKIP() << "no NVIDIA driver here (libnvidia-ml.so.1): checked the 'not available' path only";
  }
  if (result.values.empty()) {
    EXPECT_THAT(result.detail, HasSubstr("GPU not available"));
    GTEST_SKIP() << "NVML is here but no GPU answered: " << result.detail;
  }
  std::map<std::string, double> values = Values(result);
  EXPECT_GT(values["memory_total_bytes"], 0);
  EXPECT_LE(values["memory_used_bytes"], values["memory_total_bytes"]);
  std::cout << "gpu probe: " << result.detail << "\n";
}

absl::StatusOr<GpuProbeSettings> Parse(const std::string& probe_yaml) {
  auto scenario = ParseScenario(
      "name: t\ntarget: {embedded: true, model: tinylm}\nload: {generator: {model: tinylm}, rate: 1/s, "
      "duration: 1s}\nprobes:\n  - " +
          probe_yaml + "\n",
      "s.yaml");
  if (!scenario.ok()) return scenario.status();
  return ParseGpuProbe(scenario->probes.at(0));
}

TEST(ParseGpuProbe, ReadsDeviceAndRequired) {
  auto parsed = Parse("{kind: gpu}");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->device, 0);
  EXPECT_FALSE(parsed->required);
  parsed = Parse("{kind: gpu, device: 2, required: true}");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->device, 2);
  EXPECT_TRUE(parsed->required);
}

TEST(ParseGpuProbe, BadKeysAreLocatedErrors) {
  for (const char* bad : {"{kind: gpu, devcie: 1}", "{kind: gpu, device: -1}", "{kind: gpu, device: one}",
                          "{kind: gpu, required: maybe}"}) {
    auto parsed = Parse(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr("s.yaml:5:")) << bad;
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr("(gpu)")) << bad;
  }
}

TEST(GpuProbe, IsBuiltByTheRegistryFromAScenario) {
  auto scenario = ParseScenario(
      "name: t\ntarget: {embedded: true, model: tinylm}\nload: {generator: {model: tinylm}, rate: 1/s, "
      "duration: 1s}\nprobes:\n  - {kind: gpu, device: 1}\n",
      "s.yaml");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  ProbeContext context{.scenario = *scenario};
  auto probe = Registry::Default().Create(scenario->probes.at(0), context);
  ASSERT_TRUE(probe.ok()) << probe.status();
  EXPECT_THAT((*probe)->Describe(), HasSubstr("GPU 1"));
  EXPECT_EQ(Registry::Default().Kinds().count("gpu"), 1u);
}

}  // namespace
}  // namespace faultdrill::probes
