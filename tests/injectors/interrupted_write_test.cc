// A drill SIGKILLed inside one of its large durable writes (the backup of the
// weights, the damaged weights, `recover`'s own restore), then `recover`:
// nothing is left in the folders but the original file, byte-identical.
// The kill lands at a chosen byte of the write through the
// faultdrill-test-interrupted-write helper (interrupted_write_main.cc), once
// with unnamed temporary files (O_TMPFILE) and once with the named fallback
// of file systems without them.
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/durable_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "injectors/undo.h"
#include "tests/common/files.h"

namespace faultdrill::injectors {
namespace {

using ::faultdrill::testing::BinDir;
using ::faultdrill::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

constexpr size_t kWeightsBytes = 4 << 20;
// Inside the write, not on a chunk boundary.
constexpr uint64_t kStopAfter = (1 << 20) + 12345;

// The helper, started with its stdout on a pipe; SIGKILLed on destruction.
class Victim {
 public:
  explicit Victim(std::vector<std::string> args) {
    args.insert(args.begin(), BinDir() + "/faultdrill-test-interrupted-write");
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return;
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
      ::dup2(fds[1], 1);
      std::vector<char*> argv;
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
  }
  ~Victim() {
    Kill();
    if (out_ >= 0) ::close(out_);
  }
  Victim(const Victim&) = delete;
  Victim& operator=(const Victim&) = delete;

  // The helper's first line ("stopped FILE", "finished", "error: ..."), or
  // "" when it ended without one. Blocks until it writes or exits.
  std::string Line() {
    std::string line;
    char c;
    while (::read(out_, &c, 1) == 1 && c != '\n') line += c;
    return line;
  }

  // SIGKILL and reap: its pid is gone once this returns.
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
};

// Unnamed temporary files, or the named fallback.
enum class Temporaries { kUnnamed, kNamed };

class InterruptedWriteTest : public ::testing::TestWithParam<Temporaries> {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    std::filesystem::create_directories(models());
    std::mt19937_64 random(11);
    original_.resize(kWeightsBytes);
    for (char& c : original_) c = char(random());
    ASSERT_TRUE(WriteFileAtomically(weights(), original_).ok());
    if (GetParam() == Temporaries::kUnnamed) {
      const int fd = ::open(models().c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
      if (fd < 0) GTEST_SKIP() << "the file system of " << dir_.path() << " has no O_TMPFILE";
      ::close(fd);
    }
  }

  std::string models() const { return dir_.File("models"); }
  std::string weights() const { return dir_.File("models/weights.fdw"); }
  std::string journal() const { return dir_.File("journal"); }
  std::string files() const { return dir_.File("journal/files"); }

  // The helper's arguments with the stop point and the kind of temporaries.
  std::vector<std::string> Args(std::vector<std::string> args, const std::string& stop_folder,
                                const std::string& stop_after) const {
    args.push_back(stop_folder);
    args.push_back(stop_after);
    if (GetParam() == Temporaries::kNamed) args.push_back("--no-tmpfile");
    return args;
  }

  // Runs the helper until it stops inside a write to `stop_folder`, then SIGKILLs it.
  void KillInsideAWriteTo(std::vector<std::string> args, const std::string& stop_folder) {
    Victim victim(Args(std::move(args), stop_folder, std::to_string(kStopAfter)));
    const std::string line = victim.Line();
    ASSERT_THAT(line, StartsWith("stopped ")) << "the helper did not stop inside the write";
    victim.Kill();
    stopped_in_ = line.substr(8);
  }

  // What a kill leaves before `recover`: with unnamed temporaries nothing
  // named, with named ones the partial file (so the sweep has work to do).
  void ExpectTheKillLeft(const std::string& folder, const std::vector<std::string>& before) {
    std::vector<std::string> after = Entries(folder);
    if (GetParam() == Temporaries::kUnnamed) {
      EXPECT_THAT(stopped_in_, HasSubstr("(deleted)")) << "the write was not to an unnamed file";
      EXPECT_EQ(after, before);
    } else {
      EXPECT_EQ(after.size(), before.size() + 1) << "no partial named file: the kill did not land inside the write";
    }
  }

  void Recover() {
    auto report = RecoverJournal(journal());
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_TRUE(report->ok());
    if (GetParam() == Temporaries::kNamed) {
      EXPECT_EQ(report->removed_temporaries.size(), 1u);
    }
  }

  static std::vector<std::string> Entries(const std::string& folder) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  // The models folder holds the original weights only, and the journal's
  // files folder nothing but whole backups.
  void ExpectOnlyTheOriginal() {
    EXPECT_THAT(Entries(models()), ElementsAre("weights.fdw"));
    EXPECT_TRUE(::faultdrill::testing::ReadWholeFile(weights()) == original_) << "the weights are not the original";
    for (const std::string& name : Entries(files())) {
      EXPECT_FALSE(name.starts_with(".")) << "a temporary file is left in the journal: " << name;
      EXPECT_TRUE(::faultdrill::testing::ReadWholeFile(files() + "/" + name) == original_) << name;
    }
  }

  TempDir dir_;
  std::string original_;
  std::string stopped_in_;  // the file the helper was writing when killed
};

TEST_P(InterruptedWriteTest, AKillInsideTheBackupLeavesOnlyTheOriginalAfterRecover) {
  std::filesystem::create_directories(files());
  KillInsideAWriteTo({"apply", journal(), weights()}, files());
  ExpectTheKillLeft(files(), {});

  Recover();

  ExpectOnlyTheOriginal();
  EXPECT_THAT(Entries(files()), IsEmpty());
}

TEST_P(InterruptedWriteTest, AKillInsideTheDamagedWeightsLeavesOnlyTheOriginalAfterRecover) {
  KillInsideAWriteTo({"apply", journal(), weights()}, models());
  ExpectTheKillLeft(models(), {"weights.fdw"});

  Recover();

  ExpectOnlyTheOriginal();
}

TEST_P(InterruptedWriteTest, AKillInsideRecoversRestoreLeavesOnlyTheOriginalAfterRecover) {
  {
    Victim drill(Args({"apply", journal(), weights()}, models(), "never"));
    ASSERT_EQ(drill.Line(), "finished");
  }
  ASSERT_FALSE(::faultdrill::testing::ReadWholeFile(weights()) == original_) << "the fault changed nothing";
  KillInsideAWriteTo({"recover", journal()}, models());
  ExpectTheKillLeft(models(), {"weights.fdw"});

  Recover();

  ExpectOnlyTheOriginal();
}

INSTANTIATE_TEST_SUITE_P(Temporaries, InterruptedWriteTest,
                         ::testing::Values(Temporaries::kUnnamed, Temporaries::kNamed),
                         [](const auto& info) { return info.param == Temporaries::kUnnamed ? "Unnamed" : "Named"; });

}  // namespace
}  // namespace faultdrill::injectors
