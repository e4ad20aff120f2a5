// The real reference server (tests/server/server_process.h) seen as the
// launched target of a run, so that injectors signal a real process in
// integration tests. Restart is not offered: ServerProcess starts once.
#ifndef FAULTDRILL_TESTS_INJECTORS_SERVER_TARGET_H_
#define FAULTDRILL_TESTS_INJECTORS_SERVER_TARGET_H_

#include "injectors/target_process.h"
#include "tests/server/server_process.h"

namespace faultdrill::testing {

class ServerTarget final : public injectors::TargetProcess {
 public:
  explicit ServerTarget(ServerProcess& server) : server_(server) {}

  std::string name() const override { return "faultdrill-model-server"; }
  pid_t pid() const override { return server_.pid(); }
  bool Running() override { return server_.running(); }
  absl::Status Signal(int signal) override {
    return server_.Signal(signal) ? absl::OkStatus() : absl::FailedPreconditionError("the server is not running");
  }
  absl::Status WaitForExit(Duration timeout) override {
    return server_.WaitForExit(std::chrono::duration_cast<milliseconds>(timeout))
               ? absl::OkStatus()
               : absl::DeadlineExceededError("the server did not exit");
  }
  absl::Status Restart() override { return absl::UnimplementedError("ServerProcess cannot restart"); }

 private:
  ServerProcess& server_;
};

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_INJECTORS_SERVER_TARGET_H_
