// A TargetProcess that records what was done to it, for injector unit tests.
#ifndef FAULTDRILL_TESTS_INJECTORS_FAKE_TARGET_PROCESS_H_
#define FAULTDRILL_TESTS_INJECTORS_FAKE_TARGET_PROCESS_H_

#include <signal.h>

#include <vector>

#include "injectors/target_process.h"

namespace faultdrill::testing {

class FakeTargetProcess final : public injectors::TargetProcess {
 public:
  std::string name() const override { return "fake-server"; }
  pid_t pid() const override { return running_ ? pid_ : 0; }
  bool Running() override { return running_; }
  absl::Status Signal(int signal) override {
    if (!running_) return absl::FailedPreconditionError("fake-server is not running");
    signals.push_back(signal);
    if (signal == SIGKILL || ((signal == SIGTERM || signal == SIGINT) && !ignores_term)) running_ = false;
    return absl::OkStatus();
  }
  absl::Status WaitForExit(Duration) override {
    return running_ ? absl::DeadlineExceededError("fake-server did not exit") : absl::OkStatus();
  }
  absl::Status Restart() override {
    if (running_) return absl::FailedPreconditionError("still running");
    running_ = true;
    ++pid_;
    ++restarts;
    return absl::OkStatus();
  }

  std::vector<int> signals;
  int restarts = 0;
  bool ignores_term = false;  // true: SIGTERM and SIGINT leave it running

 private:
  bool running_ = true;
  pid_t pid_ = 4242;
};

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_INJECTORS_FAKE_TARGET_PROCESS_H_
