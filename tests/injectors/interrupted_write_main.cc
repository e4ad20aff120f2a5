// faultdrill-test-interrupted-write: runs one operation of the real code that
// writes a large file durably, and stops INSIDE that write so that a test can
// SIGKILL it there (interrupted_write_test.cc).
//
//   faultdrill-test-interrupted-write apply   JOURNAL WEIGHTS STOP_FOLDER STOP_AFTER [--no-tmpfile]
//   faultdrill-test-interrupted-write recover JOURNAL STOP_FOLDER STOP_AFTER [--no-tmpfile]
//
// apply: a corrupt-weights fault (zero the first 64 bytes) on WEIGHTS with
// its journal in JOURNAL, applied and never reverted (as a drill killed
// during the fault). recover: RecoverJournal(JOURNAL), what `faultdrill
// recover` runs.
//
// The seam: this program defines write(2) itself, so every write the
// libraries make comes here first. Once STOP_AFTER bytes in all have gone to
// files in STOP_FOLDER, it writes just up to that byte, prints "stopped
// <file>\n" on stdout and waits for its SIGKILL (the test reads the line from
// a pipe: no clock involved). If the operation ends before, it prints
// "finished\n" (exit 0) or "error: ...\n" (exit 1). STOP_AFTER "never": no stop.
// --no-tmpfile: open(O_TMPFILE) fails with EOPNOTSUPP, as on a file system
// without it, so the named fallback is taken.
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/journal.h"
#include "core/scenario.h"
#include "fmt/format.h"
#include "injectors/corrupt_weights.h"
#include "injectors/undo.h"

namespace {

std::string g_stop_folder;       // canonical
uint64_t g_stop_after = UINT64_MAX;
uint64_t g_written = 0;          // bytes written so far to files in g_stop_folder
bool g_no_tmpfile = false;

ssize_t RawWrite(int fd, const void* data, size_t size) { return ::syscall(SYS_write, fd, data, size); }

void Say(const std::string& line) {
  std::string text = line + "\n";
  RawWrite(1, text.data(), text.size());
}

// The folder of the file `fd` writes to ("/dir/#123 (deleted)" for an
// unnamed file), or "" when it is no file in a folder.
std::string FolderOf(int fd, std::string* file) {
  char link[PATH_MAX];
  const ssize_t n = ::readlink(fmt::format("/proc/self/fd/{}", fd).c_str(), link, sizeof(link) - 1);
  if (n <= 0 || link[0] != '/') return "";
  *file = std::string(link, size_t(n));
  return file->substr(0, file->rfind('/'));
}

}  // namespace

extern "C" ssize_t write(int fd, const void* data, size_t size) {
  std::string file;
  if (g_written >= g_stop_after || size == 0 || g_stop_folder.empty() || FolderOf(fd, &file) != g_stop_folder) {
    return RawWrite(fd, data, size);
  }
  const uint64_t left = g_stop_after - g_written;
  if (size <= left) {
    const ssize_t n = RawWrite(fd, data, size);
    if (n > 0) g_written += uint64_t(n);
    return n;
  }
  size_t done = 0;
  while (done < left) {
    const ssize_t n = RawWrite(fd, static_cast<const char*>(data) + done, size_t(left) - done);
    if (n <= 0) break;
    done += size_t(n);
  }
  g_written = g_stop_after;
  Say("stopped " + file);
  for (;;) ::pause();  // until the test's SIGKILL
}

extern "C" int open(const char* path, int flags, ...) {
  mode_t mode = 0;
  if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE) {
    va_list args;
    va_start(args, flags);
    mode = mode_t(va_arg(args, int));
    va_end(args);
  }
  if (g_no_tmpfile && (flags & O_TMPFILE) == O_TMPFILE) {
    errno = EOPNOTSUPP;
    return -1;
  }
  return int(::syscall(SYS_openat, AT_FDCWD, path, flags, mode));
}

namespace faultdrill {
namespace {

int Apply(const std::string& journal_dir, const std::string& weights) {
  const std::string yaml = fmt::format(
      "name: victim\n"
      "target: {{endpoint: 127.0.0.1:1, model: classifier}}\n"
      "load: {{generator: {{model: classifier}}, rate: 10/s, duration: 30s}}\n"
      "faults:\n"
      "  - {{kind: corrupt-weights, at: 1s, file: \"{}\", zero: {{offset: 0, length: 64}}}}\n",
      weights);
  auto scenario = ParseScenario(yaml, "victim.yaml");
  if (!scenario.ok()) return Say("error: " + std::string(scenario.status().message())), 1;
  auto journal = Journal::Open(journal_dir, "victim");
  if (!journal.ok()) return Say("error: " + std::string(journal.status().message())), 1;
  injectors::Targets targets;
  injectors::RunState run;
  run.set_journal(journal->get());
  injectors::InjectorContext context{*scenario, targets, run};
  auto injector = injectors::CorruptWeightsInjector::Create(scenario->faults.at(0), context);
  if (!injector.ok()) return Say("error: " + std::string(injector.status().message())), 1;
  if (absl::Status s = (*injector)->Apply(); !s.ok()) return Say("error: " + std::string(s.message())), 1;
  Say("finished");
  return 0;
}

int Recover(const std::string& journal_dir) {
  auto report = injectors::RecoverJournal(journal_dir);
  if (!report.ok()) return Say("error: " + std::string(report.status().message())), 1;
  if (!report->ok()) return Say("error: a recover step failed"), 1;
  Say("finished");
  return 0;
}

}  // namespace
}  // namespace faultdrill

int main(int argc, char** argv) {
  const std::string action = argc > 1 ? argv[1] : "";
  const int stop_arg = action == "apply" ? 4 : 3;  // STOP_FOLDER's position
  if ((action != "apply" && action != "recover") || argc < stop_arg + 2) {
    Say("error: usage: apply JOURNAL WEIGHTS STOP_FOLDER STOP_AFTER | recover JOURNAL STOP_FOLDER STOP_AFTER");
    return 2;
  }
  char canonical[PATH_MAX];
  if (::realpath(argv[stop_arg], canonical) != nullptr) g_stop_folder = canonical;
  const std::string stop_after = argv[stop_arg + 1];
  if (stop_after != "never") g_stop_after = std::strtoull(stop_after.c_str(), nullptr, 10);
  g_no_tmpfile = argc > stop_arg + 2 && std::string(argv[stop_arg + 2]) == "--no-tmpfile";
  return action == "apply" ? faultdrill::Apply(argv[2], argv[3]) : faultdrill::Recover(argv[2]);
}
