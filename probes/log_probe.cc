#include "probes/log_probe.h"

#include <fmt/format.h>

#include <chrono>
#include <utility>

#include "absl/strings/ascii.h"

namespace faultdrill::probes {

namespace {

constexpr size_t kShownLine = 160;  // of the last matching line, in the detail

// "ERROR" -> "error", "out of memory" -> "out_of_memory"; "" when nothing is left.
std::string ValueNameFor(const std::string& text) {
  std::string name;
  for (char c : text) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      name += absl::ascii_tolower(static_cast<unsigned char>(c));
    } else if (!name.empty() && name.back() != '_') {
      name += '_';
    }
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  return name;
}

bool IsValueName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!(absl::ascii_islower(static_cast<unsigned char>(c)) || absl::ascii_isdigit(static_cast<unsigned char>(c)) ||
          c == '_')) {
      return false;
    }
  }
  return true;
}

std::vector<LogPattern> DefaultPatterns() {
  return {{"error", "ERROR", std::nullopt}, {"fatal", "FATAL", std::nullopt}, {"oom", "OOM", std::nullopt}};
}

absl::StatusOr<LogPattern> ParsePattern(const ParamNode& item, const std::string& context) {
  if (item.kind == ParamNode::Kind::kScalar) {
    LogPattern pattern{ValueNameFor(item.scalar), item.scalar, std::nullopt};
    if (item.scalar.empty())
      return LocatedError(item.where, fmt::format("{}: an empty pattern matches every line", context));
    if (pattern.name.empty()) {
      return LocatedError(item.where, fmt::format("{}: cannot name a value after '{}'; write {{name: NAME, match: "
                                                  "REGEX}}",
                                                  context, item.scalar));
    }
    return pattern;
  }
  if (item.kind != ParamNode::Kind::kMap) {
    return LocatedError(item.where, fmt::format("{}: expected a string or {{name: NAME, match: REGEX}}, got {}",
                                                context, ParamKindName(item.kind)));
  }
  ParamReader reader(item, context);
  if (absl::Status s = reader.CheckKnownKeys({"name", "match"}); !s.ok()) return s;
  absl::StatusOr<std::string> name = reader.String("name");
  if (!name.ok()) return name.status();
  if (!IsValueName(*name)) return reader.Error("name", "use lowercase letters, digits and '_'");
  absl::StatusOr<std::string> match = reader.String("match");
  if (!match.ok()) return match.status();
  if (match->empty()) return reader.Error("match", "an empty pattern matches every line");
  absl::StatusOr<Regex> regex = Regex::Compile(*match);
  if (!regex.ok()) return reader.Error("match", std::string(regex.status().message()));
  return LogPattern{*name, *match, *std::move(regex)};
}

}  // namespace

bool LogPattern::Matches(std::string_view line) const {
  if (!regex) return line.find(text) != std::string_view::npos;
  return regex->Search(line);
}

absl::StatusOr<LogProbeSettings> ParseLogProbe(const ProbeSpec& spec, const Scenario& scenario) {
  const std::string context = fmt::format("probe '{}' (log)", spec.name);
  ParamReader params(spec.params, context);
  if (absl::Status s = params.CheckKnownKeys({"file", "patterns"}); !s.ok()) return s;
  LogProbeSettings settings;
  absl::StatusOr<std::string> file = params.String("file", "");
  if (!file.ok()) return file.status();
  if (params.Has("file") && file->empty()) return params.Error("file", "must not be empty");
  settings.file = *file;
  if (settings.file.empty() && !scenario.target.embedded && !scenario.target.launch) {
    return params.MapError(
        "faultdrill does not launch this scenario's target, so there is no output to follow by default; name a "
        "log with file");
  }
  absl::StatusOr<const ParamNode*> list = params.List("patterns");
  if (!list.ok()) return list.status();
  if (*list == nullptr) {
    settings.patterns = DefaultPatterns();
    return settings;
  }
  if ((*list)->items.empty()) return params.Error("patterns", "name at least one pattern (or leave the key out)");
  for (size_t i = 0; i < (*list)->items.size(); ++i) {
    const ParamNode& item = (*list)->items[i];
    absl::StatusOr<LogPattern> pattern = ParsePattern(item, fmt::format("{}: patterns[{}]", context, i));
    if (!pattern.ok()) return pattern.status();
    for (const LogPattern& earlier : settings.patterns) {
      if (earlier.name == pattern->name) {
        return LocatedError(item.where, fmt::format("{}: patterns[{}]: a second pattern named '{}'; give it its own "
                                                    "name with {{name: NAME, match: REGEX}}",
                                                    context, i, pattern->name));
      }
    }
    settings.patterns.push_back(*std::move(pattern));
  }
  return settings;
}

LogProbe::LogProbe(LogProbeSettings settings, std::function<std::string()> launched_log)
    : settings_(std::move(settings)), launched_log_(std::move(launched_log)), counts_(settings_.patterns.size(), 0) {}

absl::StatusOr<std::unique_ptr<Probe>> LogProbe::Create(const ProbeSpec& spec, const ProbeContext& context) {
  absl::StatusOr<LogProbeSettings> settings = ParseLogProbe(spec, context.scenario);
  if (!settings.ok()) return settings.status();
  return std::unique_ptr<Probe>(std::make_unique<LogProbe>(*std::move(settings), context.launched_log));
}

std::string LogProbe::Describe() const {
  std::vector<std::string> names;
  for (const LogPattern& p : settings_.patterns) names.push_back(p.text);
  std::string texts;
  for (size_t i = 0; i < names.size(); ++i) texts += (i == 0 ? "" : ", ") + names[i];
  return fmt::format("log lines matching {} in {}", texts,
                     settings_.file.empty() ? "the launched target's output" : settings_.file);
}

std::vector<ValueInfo> LogProbe::Values() const {
  std::vector<ValueInfo> values;
  for (const LogPattern& p : settings_.patterns) values.push_back({p.name, ""});
  return values;
}

ProbeResult LogProbe::Check() {
  const auto start = std::chrono::steady_clock::now();
  ProbeResult result;
  auto finish = [&](bool healthy, std::string detail) {
    for (size_t i = 0; i < counts_.size(); ++i) {
      result.values.push_back({settings_.patterns[i].name, static_cast<double>(counts_[i])});
    }
    result.healthy = healthy;
    result.detail = std::move(detail);
    result.took = std::chrono::steady_clock::now() - start;
    return result;
  };
  const bool first_check = !std::exchange(checked_, true);
  const std::string path = !settings_.file.empty() ? settings_.file : (launched_log_ ? launched_log_() : "");
  if (path.empty()) return finish(true, "the launched target has no output file yet");
  if (follower_ == nullptr || follower_->path() != path) {
    follower_ = std::make_unique<LogFollower>(
        path, settings_.follow, first_check ? LogFollower::StartAt::kEnd : LogFollower::StartAt::kBeginning);
  }

  absl::StatusOr<LogFollower::Progress> progress = follower_->Poll([&](std::string_view line) {
    for (size_t i = 0; i < settings_.patterns.size(); ++i) {
      if (!settings_.patterns[i].Matches(line)) continue;
      ++counts_[i];
      last_match_ = std::string(line.substr(0, kShownLine));
    }
  });
  if (!progress.ok()) return finish(false, std::string(progress.status().message()));

  std::string counts;
  for (size_t i = 0; i < counts_.size(); ++i) {
    counts += fmt::format("{}{} {}", i == 0 ? "" : ", ", counts_[i], settings_.patterns[i].name);
  }
  std::string detail =
      progress->exists ? fmt::format("{}: {}", path, counts) : fmt::format("{} does not exist (yet): {}", path, counts);
  if (progress->replaced) detail += "; replaced (rotated), following the new file";
  if (progress->truncated) detail += "; truncated, reading from its start";
  if (progress->bytes_behind > 0) detail += fmt::format("; {} bytes behind", progress->bytes_behind);
  if (!last_match_.empty()) detail += fmt::format("; last match: {}", last_match_);
  return finish(true, std::move(detail));
}

}  // namespace faultdrill::probes
