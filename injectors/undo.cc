#include "injectors/undo.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include "core/durable_file.h"
#include "injectors/command.h"
#include "injectors/journal_lock.h"

namespace faultdrill::injectors {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string Errno() { return std::strerror(errno); }

// Typed access to an undo action's arguments, with errors that name them.
class Args {
 public:
  explicit Args(const UndoAction& undo) : undo_(undo) {}
  absl::StatusOr<std::string> Text(const char* key) const {
    auto it = undo_.args.find(key);
    if (it == undo_.args.end() || !it->is_string()) return Bad(key, "a string");
    return it->get<std::string>();
  }
  bool Has(const char* key) const { return undo_.args.contains(key); }
  absl::StatusOr<int64_t> Integer(const char* key) const {
    auto it = undo_.args.find(key);
    if (it == undo_.args.end() || !it->is_number_integer()) return Bad(key, "an integer");
    return it->get<int64_t>();
  }

 private:
  absl::Status Bad(const char* key, const char* what) const {
    return absl::InvalidArgumentError(fmt::format("undo step {}: \"{}\" must be {}", undo_.action, key, what));
  }
  const UndoAction& undo_;
};

absl::Status RestoreFile(const Args& args) {
  auto path = args.Text("path");
  auto backup = args.Text("backup");
  auto sha = args.Text("sha256");
  if (!path.ok()) return path.status();
  if (!backup.ok()) return backup.status();
  if (!sha.ok()) return sha.status();
  if (auto current = Sha256OfFile(*path); current.ok() && *current == *sha) return absl::OkStatus();
  if (auto saved = Sha256OfFile(*backup); !saved.ok() || *saved != *sha) {
    return absl::DataLossError(fmt::format("the backup {} of {} is {}; the file cannot be restored", *backup,
                                           *path, saved.ok() ? "not the original (SHA-256 differs)" : "missing"));
  }
  if (absl::Status s = CopyFileDurably(*backup, *path); !s.ok()) return s;
  auto restored = Sha256OfFile(*path);
  if (!restored.ok()) return restored.status();
  if (*restored != *sha) {
    return absl::DataLossError(fmt::format("{} still differs from its backup after the copy", *path));
  }
  return absl::OkStatus();
}

absl::Status RemoveFile(const Args& args) {
  auto path = args.Text("path");
  if (!path.ok()) return path.status();
  if (::unlink(path->c_str()) != 0 && errno != ENOENT) {
    return absl::InternalError(fmt::format("cannot remove {}: {}", *path, Errno()));
  }
  return absl::OkStatus();
}

absl::Status WriteFile(const Args& args) {
  auto path = args.Text("path");
  auto content = args.Text("content");
  if (!path.ok()) return path.status();
  if (!content.ok()) return content.status();
  return WriteFileAtomically(*path, *content);
}

// Whether `pid` is still the process journaled as (start_time, marker).
bool SameProcess(pid_t pid, uint64_t start_time, const std::string& marker) {
  if (pid <= 0 || ProcessStartTime(pid) != start_time) return false;
  if (marker.empty()) return true;
  std::ifstream in(fmt::format("/proc/{}/cmdline", pid), std::ios::binary);
  std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return cmdline.find(marker) != std::string::npos;
}

absl::Status SignalProcess(const Args& args, int signal, bool with_marker) {
  auto pid = args.Integer("pid");
  auto start_time = args.Integer("start_time");
  if (!pid.ok()) return pid.status();
  if (!start_time.ok()) return start_time.status();
  std::string marker;
  if (with_marker) {
    auto m = args.Text("marker");
    if (!m.ok()) return m.status();
    marker = *m;
  }
  if (!SameProcess(static_cast<pid_t>(*pid), static_cast<uint64_t>(*start_time), marker)) return absl::OkStatus();
  if (::kill(static_cast<pid_t>(*pid), signal) != 0 && errno != ESRCH) {
    return absl::InternalError(fmt::format("kill({}, {}): {}", *pid, signal, Errno()));
  }
  return absl::OkStatus();
}

absl::Status StopProcessGroup(const Args& args) {
  auto pgid = args.Integer("pgid");
  auto start_time = args.Integer("start_time");
  auto token = args.Text("token");
  if (!pgid.ok()) return pgid.status();
  if (!start_time.ok()) return start_time.status();
  if (!token.ok()) return token.status();
  if (*pgid <= 1 || token->empty()) {
    return absl::InvalidArgumentError("undo step stop-process-group: \"pgid\" must be more than 1 and \"token\" "
                                      "must not be empty");
  }
  const auto group = static_cast<pid_t>(*pgid);
  if (!IsOurProcessGroup(group, static_cast<uint64_t>(*start_time), *token)) return absl::OkStatus();
  if (::kill(-group, SIGKILL) != 0 && errno != ESRCH) {
    return absl::InternalError(fmt::format("kill(-{}, SIGKILL): {}", group, Errno()));
  }
  return absl::OkStatus();
}

absl::Status DeleteQdisc(const Args& args) {
  auto dev = args.Text("dev");
  auto netns = args.Text("netns");
  if (!dev.ok()) return dev.status();
  if (!netns.ok()) return netns.status();
  // Journals written before handles were recorded have none: delete whatever is root.
  std::string handle = args.Has("handle") ? args.Text("handle").value_or("") : "";
  std::vector<std::string> tc = {"tc"};
  if (!netns->empty()) tc.insert(tc.end(), {"-n", *netns});
  // Already gone: no root qdisc ("handle of zero", "No such file"), or no such
  // device or namespace any more.
  auto gone = [](const std::string& output) {
    for (const char* text : {"handle of zero", "No such file or directory", "Cannot find device",
                             "Cannot open network namespace"}) {
      if (output.find(text) != std::string::npos) return true;
    }
    return false;
  };
  if (!handle.empty()) {
    std::vector<std::string> show = tc;
    show.insert(show.end(), {"qdisc", "show", "dev", *dev, "root"});
    auto shown = RunCommand(show, std::chrono::seconds(10));
    if (!shown.ok()) return shown.status();
    if (shown->exit_code != 0) {
      if (gone(shown->output)) return absl::OkStatus();
      return absl::InternalError(fmt::format("tc qdisc show dev {} root failed: {}", *dev, shown->output));
    }
    // "qdisc tbf fd17: root refcnt 2 ...": ours only with our handle.
    if (shown->output.find(" " + handle + " ") == std::string::npos) return absl::OkStatus();
  }
  std::vector<std::string> del = tc;
  del.insert(del.end(), {"qdisc", "del", "dev", *dev, "root"});
  if (!handle.empty()) del.insert(del.end(), {"handle", handle});
  auto result = RunCommand(del, std::chrono::seconds(10));
  if (!result.ok()) return result.status();
  if (result->exit_code == 0 || gone(result->output)) return absl::OkStatus();
  return absl::InternalError(fmt::format("tc qdisc del dev {} root failed: {}", *dev, result->output));
}

std::string DescribeUndo(const UndoAction& undo) {
  const json& a = undo.args;
  auto text = [&](const char* key) { return a.contains(key) && a[key].is_string() ? a[key].get<std::string>() : ""; };
  if (undo.action == "restore-file") return fmt::format("restore {} from {}", text("path"), text("backup"));
  if (undo.action == "remove-file") return fmt::format("remove {}", text("path"));
  if (undo.action == "write-file") return fmt::format("reset {}", text("path"));
  if (undo.action == "stop-process" || undo.action == "continue-process") {
    return fmt::format("{} pid {}", undo.action == "stop-process" ? "stop" : "continue",
                       a.contains("pid") ? a["pid"].dump() : "?");
  }
  if (undo.action == "stop-process-group") {
    return fmt::format("stop process group {}", a.contains("pgid") ? a["pgid"].dump() : "?");
  }
  if (undo.action == "delete-qdisc") {
    return fmt::format("delete the root qdisc of {}{}", text("dev"),
                       text("netns").empty() ? "" : " in netns " + text("netns"));
  }
  return undo.action;
}

}  // namespace

UndoAction MakeRestoreFile(const std::string& path, const std::string& backup, const std::string& sha256) {
  return {"restore-file", {{"path", path}, {"backup", backup}, {"sha256", sha256}}};
}
UndoAction MakeRemoveFile(const std::string& path) { return {"remove-file", {{"path", path}}}; }
UndoAction MakeWriteFile(const std::string& path, const std::string& content) {
  return {"write-file", {{"path", path}, {"content", content}}};
}
UndoAction MakeStopProcess(pid_t pid, uint64_t start_time, const std::string& marker) {
  return {"stop-process", {{"pid", static_cast<int64_t>(pid)}, {"start_time", static_cast<int64_t>(start_time)},
                           {"marker", marker}}};
}
UndoAction MakeStopProcessGroup(pid_t pgid, uint64_t leader_start_time, const std::string& token) {
  return {"stop-process-group", {{"pgid", static_cast<int64_t>(pgid)},
                                 {"start_time", static_cast<int64_t>(leader_start_time)},
                                 {"token", token}}};
}
UndoAction MakeContinueProcess(pid_t pid, uint64_t start_time) {
  return {"continue-process", {{"pid", static_cast<int64_t>(pid)}, {"start_time", static_cast<int64_t>(start_time)}}};
}
UndoAction MakeDeleteQdisc(const std::string& dev, const std::string& netns, const std::string& handle) {
  return {"delete-qdisc", {{"dev", dev}, {"netns", netns}, {"handle", handle}}};
}

absl::Status RunUndo(const UndoAction& undo) {
  Args args(undo);
  if (undo.action == "restore-file") return RestoreFile(args);
  if (undo.action == "remove-file") return RemoveFile(args);
  if (undo.action == "write-file") return WriteFile(args);
  if (undo.action == "stop-process") return SignalProcess(args, SIGKILL, /*with_marker=*/true);
  if (undo.action == "stop-process-group") return StopProcessGroup(args);
  if (undo.action == "continue-process") return SignalProcess(args, SIGCONT, /*with_marker=*/false);
  if (undo.action == "delete-qdisc") return DeleteQdisc(args);
  return absl::InvalidArgumentError(fmt::format("unknown undo step \"{}\"", undo.action));
}

namespace {

// /proc/PID/stat from field 3 (the state) on, or "" when there is no such
// process. The command name (field 2) may hold spaces and parentheses, so
// the fields after it are counted from the last ')'.
std::string StatFieldsAfterName(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t close = stat.rfind(')');
  if (close == std::string::npos || close + 2 >= stat.size()) return "";
  return stat.substr(close + 2);
}

}  // namespace

char ProcessState(pid_t pid) {
  std::string fields = StatFieldsAfterName(pid);
  return fields.empty() ? 0 : fields[0];
}

uint64_t ProcessStartTime(pid_t pid) {
  std::string fields = StatFieldsAfterName(pid);
  // A zombie (Z) or dead (X) process has ended; only its exit status is left.
  if (fields.empty() || fields[0] == 'Z' || fields[0] == 'X') return 0;
  size_t pos = 0;  // field 3 starts here
  for (int field = 3; field < 22; ++field) {
    pos = fields.find(' ', pos);
    if (pos == std::string::npos) return 0;
    ++pos;
  }
  return std::strtoull(fields.c_str() + pos, nullptr, 10);
}

pid_t ProcessGroupOf(pid_t pid) {
  std::string fields = StatFieldsAfterName(pid);  // "S PPID PGRP ..."
  pid_t ppid = 0, pgrp = 0;
  char state = 0;
  if (std::sscanf(fields.c_str(), "%c %d %d", &state, &ppid, &pgrp) != 3) return 0;
  return pgrp;
}

std::vector<pid_t> ProcessGroupMembers(pid_t pgid) {
  std::vector<pid_t> members;
  if (pgid <= 0) return members;  // 0 is the kernel threads' group
  std::error_code ec;
  for (fs::directory_iterator it("/proc", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto pid = static_cast<pid_t>(std::strtol(name.c_str(), nullptr, 10));
    if (ProcessGroupOf(pid) != pgid) continue;
    if (const char state = ProcessState(pid); state != 0 && state != 'Z' && state != 'X') members.push_back(pid);
  }
  return members;
}

namespace {

// Whether /proc/PID/environ holds VARIABLE=value exactly.
bool CarriesToken(pid_t pid, const std::string& token) {
  std::ifstream in(fmt::format("/proc/{}/environ", pid), std::ios::binary);
  const std::string wanted = fmt::format("{}={}", kLaunchTokenVariable, token);
  std::string entry;
  while (std::getline(in, entry, '\0')) {
    if (entry == wanted) return true;
  }
  return false;
}

}  // namespace

bool IsOurProcessGroup(pid_t pgid, uint64_t leader_start_time, const std::string& token) {
  if (pgid <= 1) return false;
  const uint64_t leader = ProcessStartTime(pgid);
  if (leader != 0) return leader == leader_start_time;  // a live process with the leader's pid
  if (token.empty()) return false;
  for (pid_t member : ProcessGroupMembers(pgid)) {
    if (CarriesToken(member, token)) return true;
  }
  return false;
}

absl::StatusOr<std::string> Sha256OfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(fmt::format("cannot read {}", path));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<size_t>(in.gcount()));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

absl::Status CopyFileDurably(const std::string& from, const std::string& to) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return absl::NotFoundError(fmt::format("cannot open {}: {}", from, Errno()));
  struct stat st {};
  ::fstat(in, &st);
  absl::Status status = ReplaceFileDurably(to, st.st_mode & 07777, [&](int out) {
    std::vector<char> buffer(1 << 16);
    for (;;) {
      ssize_t n = ::read(in, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return absl::InternalError(fmt::format("read {}: {}", from, Errno()));
      if (n == 0) return absl::OkStatus();
      if (absl::Status s = WriteAll(out, std::string_view(buffer.data(), size_t(n)), to); !s.ok()) return s;
    }
  });
  ::close(in);
  return status;
}

bool RecoverReport::ok() const {
  for (const RecoverStep& step : steps) {
    if (!step.status.ok()) return false;
  }
  return true;
}

namespace {

// The folders where a killed run may have left temporary files of durable
// writes: the journal's files folder (backups being written) and the folders
// of the files the pending steps restore, rewrite or back up from.
std::set<std::string> FoldersToSweep(const std::string& dir, const std::vector<PendingUndo>& pending) {
  std::set<std::string> folders = {JournalFilesDir(dir)};
  for (const PendingUndo& undo : pending) {
    for (const char* key : {"path", "backup"}) {
      auto it = undo.undo.args.find(key);
      if (it == undo.undo.args.end() || !it->is_string()) continue;
      const fs::path folder = fs::path(it->get<std::string>()).parent_path();
      folders.insert(folder.empty() ? "." : folder.string());
    }
  }
  return folders;
}

}  // namespace

absl::StatusOr<RecoverReport> RecoverJournal(const std::string& dir) {
  if (!fs::exists(JournalFile(dir))) return absl::NotFoundError(fmt::format("no journal at {}", JournalFile(dir)));
  // Held until every step has run: a drill that is still running keeps its
  // journal, and no other recover replays it at the same time.
  auto lock = JournalLock::Acquire(dir);
  if (!lock.ok()) return lock.status();
  auto records = ReadJournal(dir);
  if (!records.ok()) return records.status();
  RecoverReport report;
  report.dir = dir;
  std::vector<PendingUndo> pending = PendingUndos(*records);
  for (const std::string& folder : FoldersToSweep(dir, pending)) {
    auto removed = RemoveStaleTemporaryFiles(folder);
    if (!removed.ok()) {
      report.steps.push_back({0, "", "", "sweep", fmt::format("remove stale temporary files in {}", folder),
                              removed.status()});
      continue;
    }
    report.removed_temporaries.insert(report.removed_temporaries.end(), removed->begin(), removed->end());
  }
  if (pending.empty()) return report;
  auto journal = Journal::Open(dir, "faultdrill recover");
  if (!journal.ok()) return journal.status();
  std::map<std::string, bool> fault_ok;  // fault -> every step succeeded
  for (const PendingUndo& undo : pending) {
    RecoverStep step{undo.seq, undo.fault, undo.kind, undo.undo.action, DescribeUndo(undo.undo), RunUndo(undo.undo)};
    if (step.status.ok()) step.status = (*journal)->RecordUndone(undo.seq, "recover");
    auto [it, inserted] = fault_ok.try_emplace(undo.fault, true);
    it->second = it->second && step.status.ok();
    report.steps.push_back(std::move(step));
  }
  for (const auto& [fault, ok] : fault_ok) {
    if (!ok) continue;
    if (absl::Status s = (*journal)->RecordDone(fault, "recover"); !s.ok()) {
      report.steps.push_back({0, fault, "", "done", "record the fault as recovered", s});
    }
  }
  return report;
}

}  // namespace faultdrill::injectors
