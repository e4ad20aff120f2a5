#include "core/journal.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/clock.h"
#include "core/json_text.h"

namespace faultdrill {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr char kJournalFile[] = "journal.jsonl";
constexpr char kFilesDir[] = "files";

absl::Status FsyncPath(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return absl::InternalError(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  int rc = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  if (rc != 0) return absl::InternalError(fmt::format("cannot fsync {}: {}", path, std::strerror(saved)));
  return absl::OkStatus();
}

absl::Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

// Fills the typed fields of a record from its JSON; false when it is malformed.
bool Decode(const json& line, JournalRecord& record, std::string& problem) {
  if (!line.is_object()) {
    problem = "not a JSON object";
    return false;
  }
  auto text = [&](const char* key, std::string& out, bool required) {
    auto it = line.find(key);
    if (it == line.end()) {
      if (required) problem = fmt::format("missing \"{}\"", key);
      return !required;
    }
    if (!it->is_string()) {
      problem = fmt::format("\"{}\" is not a string", key);
      return false;
    }
    out = it->get<std::string>();
    return true;
  };
  auto number = [&](const char* key, uint64_t& out) {
    auto it = line.find(key);
    if (it == line.end() || !it->is_number_unsigned()) {
      problem = fmt::format("missing or bad \"{}\"", key);
      return false;
    }
    out = it->get<uint64_t>();
    if (out > kMaxJournalSeq) {
      problem = fmt::format("\"{}\" {} is out of range (at most {})", key, out, kMaxJournalSeq);
      return false;
    }
    return true;
  };
  record.raw = line;
  if (!number("seq", record.seq) || !text("type", record.type, true)) return false;
  if (record.type == "undo") {
    if (!text("fault", record.fault, true) || !text("kind", record.kind, true) ||
        !text("action", record.undo.action, true)) {
      return false;
    }
    auto args = line.find("args");
    if (args == line.end() || !args->is_object()) {
      problem = "missing or bad \"args\"";
      return false;
    }
    record.undo.args = *args;
  } else if (record.type == "undone") {
    if (!number("ref", record.ref) || !text("by", record.by, false)) return false;
  } else if (record.type == "done") {
    if (!text("fault", record.fault, true) || !text("by", record.by, false)) return false;
  } else if (record.type != "run" && record.type != "end") {
    problem = fmt::format("unknown record type \"{}\"", record.type);
    return false;
  }
  return true;
}

absl::StatusOr<std::string> ReadAll(int fd, const std::string& path) {
  std::string content;
  char buffer[64 * 1024];
  for (off_t offset = 0;;) {
    const ssize_t n = ::pread(fd, buffer, sizeof(buffer), offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return absl::InternalError(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    if (n == 0) return content;
    content.append(buffer, size_t(n));
    offset += n;
  }
}

// A last line without its newline: the write a crash interrupted.
struct TornTail {
  size_t bytes = 0;   // 0: the text ends with a newline (or is empty)
  bool kept = false;  // it still held a whole record, and it was read
};

absl::StatusOr<std::vector<JournalRecord>> ParseJournal(std::string_view content, const std::string& path,
                                                        TornTail* tail) {
  std::vector<JournalRecord> records;
  size_t pos = 0;
  for (int line_no = 1; pos < content.size(); ++line_no) {
    size_t end = content.find('\n', pos);
    const bool torn = end == std::string::npos;
    std::string_view text = content.substr(pos, (torn ? content.size() : end) - pos);
    pos = torn ? content.size() : end + 1;
    if (torn) tail->bytes = text.size();
    if (text.empty()) continue;
    absl::StatusOr<json> line = ParseJsonText(text);
    JournalRecord record;
    std::string problem = line.ok() ? "" : std::string(line.status().message());
    if (!line.ok() || !Decode(*line, record, problem)) {
      if (torn) break;  // the write the crash interrupted; it changed nothing yet
      return absl::InvalidArgumentError(fmt::format("{}:{}: {}", path, line_no, problem));
    }
    tail->kept = torn;
    records.push_back(std::move(record));
  }
  return records;
}

// A torn tail that still held a whole record gets its newline; one that did
// not is cut off (its write never returned, so nothing it describes was
// done). Either way the next record starts a line of its own, durably.
absl::Status EndTornTail(int fd, const std::string& path, size_t size, const TornTail& tail) {
  if (tail.bytes == 0) return absl::OkStatus();
  if (tail.kept) {
    if (absl::Status s = WriteAll(fd, "\n", path); !s.ok()) return s;
  } else if (::ftruncate(fd, off_t(size - tail.bytes)) != 0) {
    return absl::InternalError(fmt::format("cannot cut the torn last line of {}: {}", path, std::strerror(errno)));
  }
  if (::fdatasync(fd) != 0) return absl::InternalError(fmt::format("cannot fsync {}: {}", path, std::strerror(errno)));
  return absl::OkStatus();
}

}  // namespace

std::string JournalFile(const std::string& dir) { return (fs::path(dir) / kJournalFile).string(); }
std::string JournalFilesDir(const std::string& dir) { return (fs::path(dir) / kFilesDir).string(); }

std::unique_ptr<Journal> Journal::InMemory() { return std::unique_ptr<Journal>(new Journal()); }

absl::StatusOr<std::unique_ptr<Journal>> Journal::Open(const std::string& dir, std::string_view scenario) {
  std::error_code ec;
  fs::create_directories(fs::path(dir) / kFilesDir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        fmt::format("cannot create the journal folder {}: {}", dir, ec.message()));
  }
  auto journal = std::unique_ptr<Journal>(new Journal());
  // Absolute, so that the paths injectors journal (backups in files/) stay
  // right for a `recover` run from another folder.
  journal->dir_ = fs::absolute(dir, ec).lexically_normal().string();
  if (ec) journal->dir_ = dir;
  if (!journal->dir_.empty() && journal->dir_.back() == '/') journal->dir_.pop_back();
  std::string path = JournalFile(journal->dir_);
  journal->fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (journal->fd_ < 0) {
    return absl::FailedPreconditionError(fmt::format("cannot open the journal {}: {}", path, std::strerror(errno)));
  }
  // Continue the numbering of an existing journal, so that records stay
  // unique, and end a torn last line before appending to it.
  absl::StatusOr<std::string> content = ReadAll(journal->fd_, path);
  if (!content.ok()) return content.status();
  TornTail tail;
  absl::StatusOr<std::vector<JournalRecord>> old = ParseJournal(*content, path, &tail);
  if (!old.ok()) return old.status();
  {
    absl::MutexLock lock(&journal->mu_);
    for (const JournalRecord& r : *old) journal->next_seq_ = std::max(journal->next_seq_, r.seq + 1);
  }
  if (absl::Status s = EndTornTail(journal->fd_, path, content->size(), tail); !s.ok()) return s;
  if (absl::Status s = FsyncPath(journal->dir_); !s.ok()) return s;
  json run = {{"type", "run"}, {"pid", static_cast<int64_t>(::getpid())}, {"scenario", std::string(scenario)},
              {"started_at", UtcTimestamp()}};
  if (auto seq = journal->Append(std::move(run)); !seq.ok()) return seq.status();
  return journal;
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

std::string Journal::files_dir() const {
  return dir_.empty() ? std::string() : JournalFilesDir(dir_);
}

absl::StatusOr<uint64_t> Journal::Append(json record) {
  absl::MutexLock lock(&mu_);
  if (next_seq_ > kMaxJournalSeq) return absl::ResourceExhaustedError("the journal's record numbers are used up");
  const uint64_t seq = next_seq_;
  json line = {{"seq", seq}};
  line.update(record);
  JournalRecord decoded;
  std::string problem;
  if (!Decode(line, decoded, problem)) return absl::InternalError("bad journal record: " + problem);
  if (fd_ >= 0) {
    std::string text = line.dump() + "\n";
    if (absl::Status s = WriteAll(fd_, text, JournalFile(dir_)); !s.ok()) return s;
    if (::fdatasync(fd_) != 0) {
      return absl::InternalError(fmt::format("cannot fsync {}: {}", JournalFile(dir_), std::strerror(errno)));
    }
  }
  ++next_seq_;
  records_.push_back(std::move(decoded));
  return seq;
}

absl::StatusOr<uint64_t> Journal::RecordUndo(std::string_view fault, std::string_view kind, const UndoAction& undo) {
  return Append({{"type", "undo"},
                 {"fault", std::string(fault)},
                 {"kind", std::string(kind)},
                 {"action", undo.action},
                 {"args", undo.args}});
}

absl::Status Journal::RecordDone(std::string_view fault, std::string_view by) {
  return Append({{"type", "done"}, {"fault", std::string(fault)}, {"by", std::string(by)}}).status();
}

absl::Status Journal::RecordUndone(uint64_t ref, std::string_view by) {
  return Append({{"type", "undone"}, {"ref", ref}, {"by", std::string(by)}}).status();
}

absl::Status Journal::RecordEnd() { return Append({{"type", "end"}}).status(); }

std::vector<JournalRecord> Journal::Records() const {
  absl::MutexLock lock(&mu_);
  return records_;
}

absl::StatusOr<std::vector<JournalRecord>> ReadJournal(const std::string& dir) {
  const std::string path = JournalFile(dir);
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(fmt::format("no journal at {}", path));
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return ParseJournalText(content, path);
}

absl::StatusOr<std::vector<JournalRecord>> ParseJournalText(std::string_view content, const std::string& path) {
  TornTail tail;
  return ParseJournal(content, path, &tail);
}

std::vector<PendingUndo> PendingUndos(const std::vector<JournalRecord>& records) {
  // In file order: a "done" settles the undo steps of its fault written
  // before it (a journal may hold several runs that reuse fault names).
  std::vector<PendingUndo> open;
  for (const JournalRecord& r : records) {
    if (r.type == "undo") {
      open.push_back({r.seq, r.fault, r.kind, r.undo});
    } else if (r.type == "done") {
      std::erase_if(open, [&](const PendingUndo& u) { return u.fault == r.fault; });
    } else if (r.type == "undone") {
      std::erase_if(open, [&](const PendingUndo& u) { return u.seq == r.ref; });
    }
  }
  return {open.rbegin(), open.rend()};
}

}  // namespace faultdrill
