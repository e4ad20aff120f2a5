#include "injectors/corrupt_weights.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>

#include "core/durable_file.h"
#include "injectors/fault_seed.h"
#include "injectors/process_fault.h"
#include "injectors/undo.h"

namespace faultdrill::injectors {
namespace {

namespace fs = std::filesystem;

absl::StatusOr<Corruption> ReadCorruption(const ParamReader& params) {
  int given = 0;
  for (const char* key : {"flips", "zero", "truncate", "scale"}) given += params.Has(key) ? 1 : 0;
  if (given != 1) {
    return params.MapError(given == 0 ? "give one operation: flips, zero, truncate or scale"
                                      : "give only one of flips, zero, truncate and scale");
  }
  Corruption c;
  if (params.Has("region") && !params.Has("flips")) return params.Error("region", "applies only to `flips`");
  if (params.Has("flips")) {
    c.kind = Corruption::Kind::kFlips;
    auto flips = params.Int("flips", 1, 1'000'000);
    if (!flips.ok()) return flips.status();
    c.flips = static_cast<uint64_t>(*flips);
    auto region = params.Choice("region", {"data", "file"}, "data");
    if (!region.ok()) return region.status();
    c.whole_file = *region == "file";
  } else if (params.Has("zero")) {
    c.kind = Corruption::Kind::kZero;
    auto map = params.Map("zero", true);
    if (!map.ok()) return map.status();
    ParamReader zero(**map, params.context() + ": zero");
    if (absl::Status s = zero.CheckKnownKeys({"offset", "length"}); !s.ok()) return s;
    auto offset = zero.Bytes("offset", 0);
    if (!offset.ok()) return offset.status();
    auto length = zero.Bytes("length");
    if (!length.ok()) return length.status();
    if (*length == 0) return zero.Error("length", "must be at least 1 byte");
    c.zero_offset = *offset;
    c.zero_length = *length;
  } else if (params.Has("truncate")) {
    c.kind = Corruption::Kind::kTruncate;
    auto text = params.String("truncate");
    if (!text.ok()) return text.status();
    if (text->ends_with("%")) {
      auto fraction = params.Percent("truncate");
      if (!fraction.ok()) return fraction.status();
      if (*fraction >= 1) return params.Error("truncate", "keeping 100% changes nothing");
      c.keep_fraction = *fraction;
    } else {
      auto bytes = params.Bytes("truncate");
      if (!bytes.ok()) return bytes.status();
      c.keep_bytes = *bytes;
    }
  } else {
    c.kind = Corruption::Kind::kScale;
    auto map = params.Map("scale", true);
    if (!map.ok()) return map.status();
    ParamReader scale(**map, params.context() + ": scale");
    if (absl::Status s = scale.CheckKnownKeys({"tensor", "factor"}); !s.ok()) return s;
    auto tensor = scale.String("tensor");
    if (!tensor.ok()) return tensor.status();
    if (tensor->empty()) return scale.Error("tensor", "must name a tensor");
    auto factor = scale.Double("factor", -1e30, 1e30);
    if (!factor.ok()) return factor.status();
    if (*factor == 1) return scale.Error("factor", "1 changes nothing");
    c.tensor = *tensor;
    c.factor = *factor;
  }
  return c;
}

// A backup name unique to the fault, safe as a file name.
std::string BackupName(const std::string& fault, const std::string& path) {
  std::string name = fmt::format("{}.{}.backup", fault, fs::path(path).filename().string());
  for (char& c : name) {
    if (c == '/' || c == '\0') c = '_';
  }
  return name;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Injector>> CorruptWeightsInjector::Create(const FaultSpec& spec,
                                                                         InjectorContext& context) {
  ParamReader params(spec.params, fmt::format("fault '{}' (corrupt-weights)", spec.name));
  if (absl::Status s = params.CheckKnownKeys(
          {"file", "flips", "region", "zero", "truncate", "scale", "reload", "exit_timeout"});
      !s.ok()) {
    return s;
  }
  const Scenario& scenario = context.scenario;
  CorruptWeightsSettings settings;
  settings.name = spec.name;
  settings.active_for = spec.duration;
  settings.seed = FaultSeed(scenario.seed, spec.name);
  if (params.Has("file")) {
    auto file = params.String("file");
    if (!file.ok()) return file.status();
    if (file->empty()) return params.Error("file", "must name a weights file");
    fs::path path(*file);
    if (path.is_relative() && !scenario.directory.empty()) path = fs::path(scenario.directory) / path;
    // Absolute, so that the journal's restore works from any folder (`faultdrill recover`).
    std::error_code ec;
    fs::path absolute = fs::absolute(path, ec);
    settings.file = (ec ? path : absolute).lexically_normal().string();
  } else if (scenario.target.embedded) {
    settings.model = scenario.target.model;
  } else {
    return params.MapError(
        "give `file:` (the weights file to corrupt); only an embedded target has a default");
  }
  auto corruption = ReadCorruption(params);
  if (!corruption.ok()) return corruption.status();
  settings.corruption = *corruption;

  auto reload = params.Choice("reload", {"none", "sighup", "restart"}, "none");
  if (!reload.ok()) return reload.status();
  settings.reload = *reload == "sighup"    ? WeightsReload::kSighup
                    : *reload == "restart" ? WeightsReload::kRestart
                                           : WeightsReload::kNone;
  if (settings.reload != WeightsReload::kNone) {
    if (absl::Status s = RequireLaunchedTarget(spec, scenario); !s.ok()) {
      return params.Error("reload", fmt::format("{} needs a target faultdrill launches (target.embedded or "
                                                "target.launch); use `reload: none`",
                                                *reload));
    }
  }
  auto exit_timeout = params.Dur("exit_timeout", std::chrono::seconds(10));
  if (!exit_timeout.ok()) return exit_timeout.status();
  settings.exit_timeout = *exit_timeout;
  return std::make_unique<CorruptWeightsInjector>(std::move(settings), context.targets, context.run);
}

absl::StatusOr<std::string> CorruptWeightsInjector::WeightsPath() const {
  if (!settings_.file.empty()) return settings_.file;
  if (run_.work_dir().empty()) {
    return absl::FailedPreconditionError(fmt::format(
        "fault '{}': the embedded server's weights are not known before the run starts", settings_.name));
  }
  fs::path path = fs::path(run_.work_dir()) / "models" / (settings_.model + ".fdw");
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  return (ec ? path : absolute).lexically_normal().string();
}

std::string CorruptWeightsInjector::Describe() const {
  const std::string file =
      settings_.file.empty() ? fmt::format("the embedded server's {}.fdw", settings_.model) : settings_.file;
  std::string text = fmt::format("{} of {}", DescribeCorruption(settings_.corruption), file);
  if (settings_.reload == WeightsReload::kSighup) text += ", SIGHUP the target to reload";
  if (settings_.reload == WeightsReload::kRestart) text += ", restart the target to reload";
  return text + "; restore byte-identical on revert";
}

std::vector<std::string> CorruptWeightsInjector::Touches() const {
  auto path = WeightsPath();
  std::vector<std::string> touches = {
      path.ok() ? fmt::format("file {} (backed up, restored byte-identical)", *path)
                : fmt::format("file models/{}.fdw in the run's folder (the embedded server's weights)",
                              settings_.model)};
  if (settings_.reload == WeightsReload::kSighup) touches.push_back("process: the launched target (SIGHUP)");
  if (settings_.reload == WeightsReload::kRestart) touches.push_back("process: the launched target (restart)");
  return touches;
}

std::vector<Need> CorruptWeightsInjector::Needs() const {
  if (settings_.file.empty()) return {};  // the run generates the embedded server's weights itself
  Need need{fmt::format("file {} (read and write)", settings_.file), absl::OkStatus()};
  if (::access(settings_.file.c_str(), R_OK | W_OK) != 0) {
    need.status = absl::FailedPreconditionError(fmt::format(
        "{} cannot be read and written by this user: check the path and its permissions", settings_.file));
  }
  return {need};
}

absl::Status CorruptWeightsInjector::Apply() {
  absl::MutexLock lock(&mu_);
  if (restore_) return absl::FailedPreconditionError(fmt::format("fault '{}' is already applied", settings_.name));
  auto path = WeightsPath();
  if (!path.ok()) return path.status();
  const std::string files_dir = run_.journal().files_dir();
  if (files_dir.empty()) {
    return absl::FailedPreconditionError(
        fmt::format("fault '{}': no durable journal to keep the backup of {} in", settings_.name, *path));
  }
  // The backup is taken first and the damage is computed from it, so backup,
  // checksum and damaged copy all come from the same bytes.
  std::error_code ec;
  const fs::path relative = fs::path(files_dir) / BackupName(settings_.name, *path);
  const fs::path absolute = fs::absolute(relative, ec);
  const std::string backup = (ec ? relative : absolute).lexically_normal().string();
  if (absl::Status s = CopyFileDurably(*path, backup); !s.ok()) return s;
  auto sha = Sha256OfFile(backup);
  if (!sha.ok()) return sha.status();
  auto bytes = ReadWholeFile(backup);
  if (!bytes.ok()) return bytes.status();
  auto result = Corrupt(*bytes, settings_.corruption, settings_.seed);
  if (!result.ok()) {
    RemoveFileIfExists(backup).IgnoreError();  // nothing was changed, so nothing needs it
    return absl::FailedPreconditionError(fmt::format("fault '{}': {}: {}", settings_.name, *path,
                                                     std::string(result.status().message())));
  }
  UndoAction restore = MakeRestoreFile(*path, backup, *sha);
  if (auto seq = run_.journal().RecordUndo(settings_.name, "corrupt-weights", restore); !seq.ok()) {
    return seq.status();
  }
  restore_ = restore;
  if (absl::Status s = WriteFileAtomically(*path, *bytes); !s.ok()) return s;
  bits_flipped_ += static_cast<int64_t>(result->bits_flipped);
  bytes_changed_ += static_cast<int64_t>(result->bytes_changed);
  return Reload();
}

absl::Status CorruptWeightsInjector::Revert() {
  absl::MutexLock lock(&mu_);
  if (!restore_ || reverted_) return absl::OkStatus();
  if (absl::Status s = RunUndo(*restore_); !s.ok()) return s;
  reverted_ = true;
  return Reload();
}

absl::Status CorruptWeightsInjector::Reload() {
  if (settings_.reload == WeightsReload::kNone) return absl::OkStatus();
  auto target = LaunchedTarget(targets_, settings_.name);
  if (!target.ok()) return target.status();
  // A target that is down (another fault killed it) reads the file when it starts.
  if (!(*target)->Running()) return absl::OkStatus();
  if (settings_.reload == WeightsReload::kSighup) {
    if (absl::Status s = (*target)->Signal(SIGHUP); !s.ok()) return s;
  } else {
    if (absl::Status s = (*target)->Signal(SIGTERM); !s.ok()) return s;
    if (!(*target)->WaitForExit(settings_.exit_timeout).ok()) {
      (*target)->Signal(SIGKILL).IgnoreError();
      if (absl::Status s = (*target)->WaitForExit(settings_.exit_timeout); !s.ok()) return s;
    }
    if (absl::Status s = (*target)->Restart(); !s.ok()) return s;
  }
  ++reloads_;
  return absl::OkStatus();
}

std::map<std::string, int64_t> CorruptWeightsInjector::Counters() const {
  return {{"bits_flipped", bits_flipped_}, {"bytes_changed", bytes_changed_}, {"reloads", reloads_}};
}

}  // namespace faultdrill::injectors
