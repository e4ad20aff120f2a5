#include "injectors/disk_fill.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "fmt/format.h"
#include "injectors/disk_space.h"
#include "injectors/undo.h"

namespace faultdrill::injectors {
namespace {

// Folders whose filesystems are the kernel's, not disks.
bool IsPseudoFilesystemPath(const std::filesystem::path& path) {
  for (const std::filesystem::path root : {"/proc", "/sys", "/dev"}) {
    auto mismatch = std::mismatch(path.begin(), path.end(), root.begin(), root.end());
    if (mismatch.second == root.end()) return true;  // `root` is a prefix of `path`
  }
  return false;
}

std::string Amount(const DiskFillSettings& settings) {
  if (settings.bytes > 0) return fmt::format("by {} bytes", settings.bytes);
  return fmt::format("to {:g}% used", settings.fill_fraction * 100);
}

absl::Status CheckFolder(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return absl::FailedPreconditionError(fmt::format("folder {}: {}", path, std::strerror(errno)));
  }
  if (!S_ISDIR(info.st_mode)) return absl::FailedPreconditionError(fmt::format("{} is not a folder", path));
  if (::access(path.c_str(), W_OK) != 0) {
    return absl::FailedPreconditionError(fmt::format("folder {} is not writable: {}", path, std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Injector>> DiskFillInjector::Create(const FaultSpec& spec, InjectorContext& context) {
  ParamReader params(spec.params, fmt::format("fault '{}' (disk-fill)", spec.name));
  if (absl::Status s = params.CheckKnownKeys({"path", "fill_percent", "bytes", "ready_timeout"}); !s.ok()) return s;
  DiskFillSettings settings;

  auto path = params.String("path");
  if (!path.ok()) return path.status();
  if (path->empty()) return params.Error("path", "must name a folder");
  std::filesystem::path folder(*path);
  if (folder.is_relative()) folder = std::filesystem::path(context.scenario.directory) / folder;
  folder = std::filesystem::absolute(folder).lexically_normal();
  if (folder.has_filename() == false && folder != folder.root_path()) folder = folder.parent_path();
  if (IsPseudoFilesystemPath(folder)) {
    return params.Error("path", fmt::format("{} is on a kernel pseudo filesystem (/proc, /sys, /dev), not a disk",
                                            folder.string()));
  }
  settings.path = folder.string();
  settings.file = (folder / ("faultdrill-disk-fill-" + FileSafeName(spec.name))).string();

  auto amount = ReadHogAmount(
      params, {.fraction_key = "fill_percent",
               .give_either = "give either `fill_percent` (e.g. 95%) or `bytes` (e.g. 10GiB)",
               .max_fraction = kMaxDiskFillFraction,
               .out_of_range = fmt::format("must be above 0% and at most {:g}%: a full filesystem breaks more than "
                                           "the drill means to",
                                           kMaxDiskFillFraction * 100)});
  if (!amount.ok()) return amount.status();
  settings.bytes = amount->bytes;
  settings.fill_fraction = amount->fraction;
  if (absl::Status s = ReadHogFault(spec, params, settings); !s.ok()) return s;
  return std::make_unique<DiskFillInjector>(std::move(settings), context.run);
}

DiskFillInjector::DiskFillInjector(DiskFillSettings settings, RunState& run)
    : HogInjector(HogFaultOf(settings, "disk-fill"),
                  {{.name = "bytes_held", .ready_key = "bytes"}, {.name = "used_percent", .ready_key = "used_percent"}},
                  run),
      settings_(std::move(settings)) {}

std::string DiskFillInjector::Describe() const {
  return fmt::format("fill the filesystem of {} {} (file {}, removed on revert)", settings_.path, Amount(settings_),
                     settings_.file);
}

std::vector<std::string> DiskFillInjector::Touches() const {
  return {fmt::format("filesystem of {} (file {}, {})", settings_.path, settings_.file, Amount(settings_))};
}

std::vector<Need> DiskFillInjector::MachineNeeds() const {
  return {Need{fmt::format("writable folder {}", settings_.path), CheckFolder(settings_.path)}};
}

absl::StatusOr<std::vector<std::string>> DiskFillInjector::PrepareHelper() {
  if (absl::Status s = CheckFolder(settings_.path); !s.ok()) return s;
  std::error_code ec;
  if (std::filesystem::symlink_status(settings_.file, ec).type() != std::filesystem::file_type::not_found) {
    return absl::FailedPreconditionError(fmt::format(
        "fault '{}': {} already exists (left by an interrupted run? `faultdrill recover` removes it)", settings_.name,
        settings_.file));
  }
  auto recorded = run().journal().RecordUndo(settings_.name, "disk-fill", MakeRemoveFile(settings_.file));
  if (!recorded.ok()) return recorded.status();
  file_journaled_ = true;

  std::vector<std::string> args = {"disk", "--file", settings_.file};
  if (settings_.bytes > 0) {
    args.insert(args.end(), {"--bytes", std::to_string(settings_.bytes)});
  } else {
    args.insert(args.end(), {"--fill-percent", fmt::format("{:.6f}", settings_.fill_fraction * 100)});
  }
  return args;
}

absl::Status DiskFillInjector::AfterHelperStopped() {
  if (!file_journaled_) return absl::OkStatus();
  if (absl::Status s = RunUndo(MakeRemoveFile(settings_.file)); !s.ok()) return s;
  file_journaled_ = false;
  return absl::OkStatus();
}

}  // namespace faultdrill::injectors
