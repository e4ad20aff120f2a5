#include "core/journal.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/clock.h"

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
  // Continue the numbering of an existing journal, so that records stay unique.
  if (fs::exists(path)) {
    auto old = ReadJournal(journal->dir_);
    if (!old.ok()) return old.status();
    absl::MutexLock lock(&journal->mu_);
    for (const JournalRecord& r : *old) journal->next_seq_ = std::max(journal->next_seq_, r.seq + 1);
  }
  journal->fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (journal->fd_ < 0) {
    return absl::FailedPreconditionError(fmt::format("cannot open the journal {}: {}", path, std::strerror(errno)));
  }
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
  std::vector<JournalRecord> records;
  size_t pos = 0;
  for (int line_no = 1; pos < content.size(); ++line_no) {
    size_t end = content.find('\n', pos);
    const bool torn = end == std::string::npos;
    std::string_view text(content.data() + pos, (torn ? content.size() : end) - pos);
    pos = torn ? content.size() : end + 1;
    if (text.empty()) continue;
    json line = json::parse(text, nullptr, /*allow_exceptions=*/false);
    JournalRecord record;
    std::string problem = "not valid JSON";
    if (line.is_discarded() || !Decode(line, record, problem)) {
      if (torn) break;  // the write the crash interrupted; it changed nothing yet
      return absl::InvalidArgumentError(fmt::format("{}:{}: {}", path, line_no, problem));
    }
    records.push_back(std::move(record));
  }
  return records;
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
