// What crash safety costs: one journal record (written and fdatasync'd
// before a fault may touch anything), restoring a weights file durably
// (what revert and `faultdrill recover` do for corrupt-weights), and one
// durable write (core/durable_file.h: unnamed O_TMPFILE, link, rename) against
// the named temporary file it replaced.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/durable_file.h"
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
BENCHMARK(BM_RestoreFile)->Arg(1 << 20)->Arg(64 << 20)->Arg(128 << 20)->UseRealTime()->Unit(benchmark::kMillisecond);

// The durable write before issue 11, for comparison only: a named temporary
// file beside the target (left behind by a kill mid-write), fsync'd and
// renamed over it, then the folder fsync'd.
absl::Status NamedTemporaryWrite(const std::string& path, std::string_view contents) {
  std::string temp = path + ".faultdrill-XXXXXX";
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return absl::InternalError("mkostemp");
  absl::Status status = WriteAll(fd, contents, temp);
  if (status.ok() && (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0)) status = absl::InternalError("fsync");
  ::close(fd);
  if (status.ok() && ::rename(temp.c_str(), path.c_str()) != 0) status = absl::InternalError("rename");
  if (!status.ok()) {
    ::unlink(temp.c_str());
    return status;
  }
  const int folder = ::open(std::filesystem::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ::fsync(folder);
  ::close(folder);
  return absl::OkStatus();
}

// Replacing a file of state.range(0) bytes; `Write` is the old or the new way.
template <absl::Status (*Write)(const std::string&, std::string_view)>
void ReplaceWeights(benchmark::State& state) {
  ScratchDir dir;
  const std::string file = dir.path + "/weights.fdw";
  const std::string content(static_cast<size_t>(state.range(0)), '\x5a');
  if (absl::Status s = WriteFileAtomically(file, "old"); !s.ok()) {
    state.SkipWithError(std::string(s.message()).c_str());
    return;
  }
  for (auto _ : state) {
    if (absl::Status s = Write(file, content); !s.ok()) {
      state.SkipWithError(std::string(s.message()).c_str());
      return;
    }
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

void BM_DurableWriteNamedTemporary(benchmark::State& state) { ReplaceWeights<&NamedTemporaryWrite>(state); }
BENCHMARK(BM_DurableWriteNamedTemporary)->Arg(1 << 20)->Arg(128 << 20)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_DurableWriteUnnamedTemporary(benchmark::State& state) { ReplaceWeights<&WriteFileAtomically>(state); }
BENCHMARK(BM_DurableWriteUnnamedTemporary)->Arg(1 << 20)->Arg(128 << 20)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace faultdrill

BENCHMARK_MAIN();
