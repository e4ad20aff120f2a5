#include "injectors/process_fault.h"

#include <filesystem>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "injectors/existing_process.h"

namespace faultdrill::injectors {
namespace {

constexpr int64_t kMaxPid = 4194304;  // the kernel's PID_MAX_LIMIT

absl::Status Prefixed(const std::string& fault_name, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat("fault '", fault_name, "': ", status.message()));
}

}  // namespace

absl::Status RequireLaunchedTarget(const FaultSpec& spec, const Scenario& scenario) {
  if (scenario.target.embedded || scenario.target.launch.has_value()) return absl::OkStatus();
  return LocatedError(spec.where,
                      absl::StrCat("fault '", spec.name, "' (", spec.kind,
                                   ") acts on a process faultdrill launches, but the target has "
                                   "neither `embedded: true` nor `launch:`"));
}

absl::StatusOr<TargetProcess*> LaunchedTarget(const Targets& targets, const std::string& fault_name) {
  if (targets.launched() == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("fault '", fault_name, "': no launched target process"));
  }
  return targets.launched();
}

std::string ProcessSelector::Describe() const {
  switch (kind) {
    case Kind::kLaunched:
      return "the launched target";
    case Kind::kPid:
      return absl::StrCat("pid ", pid);
    case Kind::kPidFile:
      return absl::StrCat("the process in pid file ", pid_file);
    case Kind::kProcessName:
      return absl::StrCat("the process named '", process_name, "'");
  }
  return "";
}

absl::StatusOr<ProcessSelector> ReadProcessSelector(const ParamReader& params, const FaultSpec& spec,
                                                    const Scenario& scenario) {
  std::vector<std::string_view> given;
  for (std::string_view key : {"pid", "pid_file", "process_name"}) {
    if (params.Has(key)) given.push_back(key);
  }
  if (given.size() > 1) {
    return params.Error(given[1], "give only one of `pid`, `pid_file` and `process_name`");
  }
  ProcessSelector selector;
  if (given.empty()) {
    if (absl::Status s = RequireLaunchedTarget(spec, scenario); !s.ok()) return s;
    return selector;
  }
  if (given[0] == "pid") {
    auto pid = params.Int("pid", 1, kMaxPid);
    if (!pid.ok()) return pid.status();
    if (*pid == 1) return params.Error("pid", "refusing to act on pid 1 (init)");
    selector.kind = ProcessSelector::Kind::kPid;
    selector.pid = static_cast<pid_t>(*pid);
  } else if (given[0] == "pid_file") {
    auto path = params.String("pid_file");
    if (!path.ok()) return path.status();
    if (path->empty()) return params.Error("pid_file", "must not be empty");
    std::filesystem::path file(*path);
    if (file.is_relative() && !scenario.directory.empty()) file = std::filesystem::path(scenario.directory) / file;
    selector.kind = ProcessSelector::Kind::kPidFile;
    selector.pid_file = file.lexically_normal().string();
  } else {
    auto name = params.String("process_name");
    if (!name.ok()) return name.status();
    if (name->empty()) return params.Error("process_name", "must not be empty");
    if (name->find('/') != std::string::npos) {
      return params.Error("process_name", "is a process name (as `ps -o comm` shows it), not a path");
    }
    selector.kind = ProcessSelector::Kind::kProcessName;
    selector.process_name = *name;
  }
  return selector;
}

absl::StatusOr<TargetProcess*> SelectedProcess::Find() {
  if (selector_.kind == ProcessSelector::Kind::kLaunched) return LaunchedTarget(targets_, fault_name_);
  if (attached_ != nullptr) return attached_.get();
  pid_t pid = selector_.pid;
  if (selector_.kind == ProcessSelector::Kind::kPidFile) {
    auto from_file = ReadPidFile(selector_.pid_file);
    if (!from_file.ok()) return Prefixed(fault_name_, from_file.status());
    pid = *from_file;
  } else if (selector_.kind == ProcessSelector::Kind::kProcessName) {
    const std::vector<pid_t> pids = FindProcessesByName(selector_.process_name);
    if (pids.empty()) {
      return absl::NotFoundError(absl::StrCat("fault '", fault_name_, "': no running process is named '",
                                              selector_.process_name, "'"));
    }
    if (pids.size() > 1) {
      return absl::FailedPreconditionError(absl::StrCat(
          "fault '", fault_name_, "': ", pids.size(), " processes are named '", selector_.process_name,
          "' (pids ", absl::StrJoin(pids, ", "), "); name exactly one with `pid` or `pid_file`"));
    }
    pid = pids[0];
  }
  auto process = ExistingProcess::Attach(pid);
  if (!process.ok() && selector_.kind == ProcessSelector::Kind::kPidFile) {
    return absl::Status(process.status().code(),
                        absl::StrCat("fault '", fault_name_, "': pid file ", selector_.pid_file, " names pid ", pid,
                                     ": ", process.status().message()));
  }
  if (!process.ok()) return Prefixed(fault_name_, process.status());
  attached_ = *std::move(process);
  return attached_.get();
}

TargetProcess* SelectedProcess::found() const {
  if (selector_.kind == ProcessSelector::Kind::kLaunched) return targets_.launched();
  return attached_.get();
}

}  // namespace faultdrill::injectors
