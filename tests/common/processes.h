// Looking at processes from tests, through /proc.
#ifndef FAULTDRILL_TESTS_COMMON_PROCESSES_H_
#define FAULTDRILL_TESTS_COMMON_PROCESSES_H_

#include <sys/types.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "tests/common/files.h"

namespace faultdrill::testing {

// The state letter of /proc/PID/stat ('S' sleeping, 'T' stopped, 'Z' zombie),
// '?' when there is no such process.
inline char ProcessState(pid_t pid) {
  const std::string stat = ReadWholeFile("/proc/" + std::to_string(pid) + "/stat");
  const size_t close = stat.rfind(')');
  return close == std::string::npos || close + 2 >= stat.size() ? '?' : stat[close + 2];
}

// Signals are delivered asynchronously: waits up to 2 s for `pid` to reach
// state `expected`, and returns the state it is in then.
inline char SettledProcessState(pid_t pid, char expected) {
  for (int i = 0; i < 200 && ProcessState(pid) != expected; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return ProcessState(pid);
}

// No process is left whose command line mentions `text` (e.g. a run's folder).
inline bool NoProcessMentions(const std::string& text) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    std::string cmdline = ReadWholeFile((entry.path() / "cmdline").string());
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(text) != std::string::npos) return false;
  }
  return true;
}

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_COMMON_PROCESSES_H_
