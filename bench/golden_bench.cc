// Golden-master comparison speed: CompareTensor on FP32 outputs (the memory
// speed target: >= 2 GB/s), the generic path on FP64 for contrast, and
// masters files saved and loaded. Bytes processed count BOTH arrays read
// (actual + expected), so GB/s is memory traffic, not tensor size.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "golden/masters.h"
#include "golden/tensor_compare.h"

namespace faultdrill::golden {
namespace {

inference::ModelInferResponse RawResponse(const std::string& datatype, int64_t elements, const std::string& raw) {
  inference::ModelInferResponse r;
  auto* out = r.add_outputs();
  out->set_name("Y");
  out->set_datatype(datatype);
  out->add_shape(elements);
  r.add_raw_output_contents(raw);
  return r;
}

template <typename T>
std::string Bytes(const std::vector<T>& values) {
  std::string out(values.size() * sizeof(T), '\0');
  std::memcpy(out.data(), values.data(), out.size());
  return out;
}

// state.range(0): bytes per array; state.range(1): differing elements.
template <typename T>
void CompareArrays(benchmark::State& state, const std::string& datatype) {
  const int64_t n = state.range(0) / int64_t(sizeof(T));
  std::vector<T> expected(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) expected[size_t(i)] = T(0.001) * T(i % 1000) + T(1);
  std::vector<T> actual = expected;
  for (int64_t k = 1; k <= state.range(1); ++k) actual[size_t(n * k / (state.range(1) + 1))] += T(0.5);
  const auto a = RawResponse(datatype, n, Bytes(actual)), e = RawResponse(datatype, n, Bytes(expected));
  const absl::StatusOr<std::vector<OutputTensor>> av = DecodeOutputs(a), ev = DecodeOutputs(e);
  if (!av.ok() || !ev.ok()) {
    state.SkipWithError("cannot decode");
    return;
  }
  const ToleranceSpec tolerance;  // defaults: abs 1e-6 or rel 1e-5
  for (auto _ : state) {
    TensorComparison c = CompareTensor(av->front(), ev->front(), tolerance, true);
    if (c.differing_elements != uint64_t(state.range(1))) state.SkipWithError("wrong count");
    benchmark::DoNotOptimize(c);
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * 2 * n * int64_t(sizeof(T)));
}

void BM_CompareFp32(benchmark::State& state) { CompareArrays<float>(state, "FP32"); }
BENCHMARK(BM_CompareFp32)
    ->ArgNames({"bytes", "diffs"})
    ->ArgsProduct({{4 << 10, 64 << 10, 1 << 20, 16 << 20, 64 << 20}, {0, 3}})
    ->Unit(benchmark::kMicrosecond);

// The machine's read speed for reference: memcmp of two equal arrays.
void BM_MemcmpReference(benchmark::State& state) {
  const std::string a(size_t(state.range(0)), 'x'), b = a;
  for (auto _ : state) benchmark::DoNotOptimize(std::memcmp(a.data(), b.data(), a.size()));
  state.SetBytesProcessed(int64_t(state.iterations()) * 2 * state.range(0));
}
BENCHMARK(BM_MemcmpReference)->ArgName("bytes")->Arg(1 << 20)->Arg(64 << 20)->Unit(benchmark::kMicrosecond);

void BM_CompareFp64Generic(benchmark::State& state) { CompareArrays<double>(state, "FP64"); }
BENCHMARK(BM_CompareFp64Generic)->ArgNames({"bytes", "diffs"})->Args({1 << 20, 0})->Unit(benchmark::kMicrosecond);

// A fresh folder removed at the end of the benchmark.
struct ScratchDir {
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "faultdrill-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  std::string path;
};

// state.range(0) responses of one FP32 output of state.range(1) elements.
Masters MakeMasters(int64_t responses, int64_t elements) {
  Masters masters(MastersHeader{.model = "bench"});
  std::vector<float> values(static_cast<size_t>(elements));
  for (int64_t r = 0; r < responses; ++r) {
    for (int64_t i = 0; i < elements; ++i) values[size_t(i)] = float(r * elements + i) / 7.0f;
    (void)masters.Add(*Masters::MasterFromResponse(uint64_t(r), RawResponse("FP32", elements, Bytes(values))));
  }
  return masters;
}

int64_t FileBytes(const std::string& path) {
  std::error_code ec;
  int64_t total = int64_t(std::filesystem::file_size(path, ec));
  const auto sidecar = std::filesystem::file_size(Masters::SidecarPath(path), ec);
  if (!ec) total += int64_t(sidecar);
  return total;
}

void BM_MastersSave(benchmark::State& state) {
  ScratchDir dir;
  const Masters masters = MakeMasters(state.range(0), state.range(1));
  const std::string path = dir.path + "/m.golden.jsonl";
  for (auto _ : state) {
    if (!masters.Save(path).ok()) state.SkipWithError("save failed");
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * FileBytes(path));
}
// 1,000 inline responses of 256 floats (JSON text); 1,000 of 16,384 floats (64 MB sidecar).
BENCHMARK(BM_MastersSave)
    ->ArgNames({"responses", "elements"})
    ->Args({1000, 256})
    ->Args({1000, 16384})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_MastersLoad(benchmark::State& state) {
  ScratchDir dir;
  const std::string path = dir.path + "/m.golden.jsonl";
  if (!MakeMasters(state.range(0), state.range(1)).Save(path).ok()) {
    state.SkipWithError("save failed");
    return;
  }
  for (auto _ : state) {
    absl::StatusOr<Masters> loaded = Masters::Load(path);
    if (!loaded.ok()) state.SkipWithError("load failed");
    benchmark::DoNotOptimize(loaded);
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * FileBytes(path));
}
BENCHMARK(BM_MastersLoad)
    ->ArgNames({"responses", "elements"})
    ->Args({1000, 256})
    ->Args({1000, 16384})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace faultdrill::golden

BENCHMARK_MAIN();
