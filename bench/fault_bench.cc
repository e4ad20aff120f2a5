// What crash safety costs: one journal record (written and fdatasync'd
// before a fault may touch anything) and restoring a weights file durably
// (what revert and `faultdrill recover` do for corrupt-weights).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/journal.h"
#include "injectors/undo.h"

namespace faultdrill {
namespace {

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

void BM_JournalRecordUndo(benchmark::State& state) {
  ScratchDir dir;
  auto journal = Journal::Open(dir.path + "/journal", "bench");
  if (!journal.ok()) {
    state.SkipWithError(std::string(journal.status().message()).c_str());
    return;
  }
  UndoAction undo = injectors::MakeRemoveFile(dir.path + "/fill");
  for (auto _ : state) benchmark::DoNotOptimize((*journal)->RecordUndo("fault", "disk-fill", undo));
}
BENCHMARK(BM_JournalRecordUndo)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_JournalRecordInMemory(benchmark::State& state) {
  auto journal = Journal::InMemory();
  UndoAction undo = injectors::MakeRemoveFile("/tmp/fill");
  for (auto _ : state) benchmark::DoNotOptimize(journal->RecordUndo("fault", "disk-fill", undo));
}
BENCHMARK(BM_JournalRecordInMemory)->Unit(benchmark::kMicrosecond);

// Restore a file of state.range(0) bytes from its backup: copy, fsync,
// rename, fsync the folder, SHA-256 before and after.
void BM_RestoreFile(benchmark::State& state) {
  ScratchDir dir;
  const std::string file = dir.path + "/weights.fdw";
  const std::string backup = dir.path + "/weights.bak";
  std::string content(static_cast<size_t>(state.range(0)), '\x5a');
  std::ofstream(backup, std::ios::binary) << content;
  auto sha = injectors::Sha256OfFile(backup);
  UndoAction undo = injectors::MakeRestoreFile(file, backup, *sha);
  for (auto _ : state) {
    state.PauseTiming();
    std::ofstream(file, std::ios::binary | std::ios::trunc) << "corrupted";
    state.ResumeTiming();
    benchmark::DoNotOptimize(injectors::RunUndo(undo));
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RestoreFile)->Arg(1 << 20)->Arg(64 << 20)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace faultdrill

BENCHMARK_MAIN();
