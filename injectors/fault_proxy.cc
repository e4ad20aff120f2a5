#include "injectors/fault_proxy.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "injectors/command.h"
#include "injectors/launched_process.h"
#include "injectors/proxy/rule_codec.h"
#include "injectors/undo.h"
#include "proto/fault_proxy.grpc.pb.h"

namespace faultdrill::injectors {

namespace {

// The proxy's name in the journal: its stop-process step is recorded under it.
constexpr char kJournalName[] = "fault-proxy";
constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kControlTimeout = std::chrono::seconds(5);

absl::Status FromGrpc(const grpc::Status& status, const std::string& what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat("fault proxy: ", what, ": ", status.error_message()));
}

void SetDeadline(grpc::ClientContext& context, Duration timeout) {
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::duration_cast<std::chrono::system_clock::duration>(timeout));
}

// faultdrill-proxy running as a child of faultdrill, driven over its control channel.
class ProxyProcess final : public FaultProxy {
 public:
  ProxyProcess(std::unique_ptr<LaunchedProcess> process, Journal& journal, int listen_port, int control_port)
      : process_(std::move(process)),
        journal_(journal),
        endpoint_(absl::StrCat("127.0.0.1:", listen_port)),
        control_(control::FaultProxyControl::NewStub(grpc::CreateChannel(
            absl::StrCat("127.0.0.1:", control_port), grpc::InsecureChannelCredentials()))) {}

  // Drains and stops the proxy, then records its journal step as done.
  ~ProxyProcess() override {
    process_->Stop(std::chrono::seconds(3));
    if (absl::Status s = journal_.RecordDone(kJournalName, "revert"); !s.ok()) {
      std::fprintf(stderr, "faultdrill: cannot record the fault proxy as stopped: %s\n",
                   std::string(s.message()).c_str());
    }
  }

  std::string endpoint() const override { return endpoint_; }

  absl::Status SetRule(const std::string& id, const ProxyRule& rule) override {
    control::SetRuleRequest request;
    request.set_id(id);
    *request.mutable_rule() = proxy::RuleToProto(rule);
    grpc::ClientContext context;
    SetDeadline(context, kControlTimeout);
    control::SetRuleResponse response;
    return FromGrpc(control_->SetRule(&context, request, &response), absl::StrCat("set rule '", id, "'"));
  }

  absl::Status ClearRule(const std::string& id) override {
    control::ClearRuleRequest request;
    request.set_id(id);
    grpc::ClientContext context;
    SetDeadline(context, kControlTimeout);
    control::ClearRuleResponse response;
    return FromGrpc(control_->ClearRule(&context, request, &response), absl::StrCat("clear rule '", id, "'"));
  }

  absl::StatusOr<ProxyRuleStats> Stats(const std::string& id) override {
    control::RuleStatsRequest request;
    request.set_id(id);
    grpc::ClientContext context;
    SetDeadline(context, kControlTimeout);
    control::RuleStatsResponse response;
    grpc::Status status = control_->RuleStats(&context, request, &response);
    if (!status.ok()) return FromGrpc(status, absl::StrCat("stats of rule '", id, "'"));
    return ProxyRuleStats{.matched = response.matched(), .passed = response.passed()};
  }

  // Waits (bounded) until the control channel answers.
  absl::Status WaitUntilAnswering(std::chrono::steady_clock::time_point deadline) {
    while (true) {
      grpc::ClientContext context;
      SetDeadline(context, std::chrono::milliseconds(500));
      context.set_wait_for_ready(true);
      control::PingResponse response;
      grpc::Status status = control_->Ping(&context, control::PingRequest(), &response);
      if (status.ok()) return absl::OkStatus();
      if (!process_->Running()) return absl::UnavailableError("faultdrill-proxy exited before it answered");
      if (std::chrono::steady_clock::now() >= deadline) return FromGrpc(status, "not answering");
    }
  }

 private:
  std::unique_ptr<LaunchedProcess> process_;
  Journal& journal_;
  const std::string endpoint_;
  std::unique_ptr<control::FaultProxyControl::Stub> control_;
};

// "LISTEN_PORT CONTROL_PORT" from the proxy's port file, once it is there.
absl::Status WaitForPorts(const std::string& port_file, LaunchedProcess& process,
                          std::chrono::steady_clock::time_point deadline, int& listen_port, int& control_port) {
  while (true) {
    std::ifstream in(port_file);
    if (in >> listen_port >> control_port && listen_port > 0 && control_port > 0) return absl::OkStatus();
    if (!process.Running()) return absl::UnavailableError("faultdrill-proxy exited before it listened");
    if (std::chrono::steady_clock::now() >= deadline) {
      return absl::DeadlineExceededError("faultdrill-proxy did not listen within 10s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<FaultProxy>> FaultProxy::Start(const std::string& upstream,
                                                              const std::string& work_dir, Journal& journal) {
  auto binary = FindFaultdrillBinary("faultdrill-proxy");
  if (!binary.ok()) return binary.status();
  const std::string port_file = work_dir + "/proxy.port";
  std::remove(port_file.c_str());
  auto process = LaunchedProcess::Start({
      .command = {*binary, "--upstream", upstream, "--listen", "127.0.0.1:0", "--port-file", port_file},
      .log_file = work_dir + "/proxy.log",
  });
  if (!process.ok()) return process.status();
  const pid_t pid = (*process)->pid();
  auto recorded =
      journal.RecordUndo(kJournalName, kJournalName, MakeStopProcess(pid, ProcessStartTime(pid), "faultdrill-proxy"));
  if (!recorded.ok()) return recorded.status();  // the process is stopped as it goes out of scope

  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  int listen_port = 0;
  int control_port = 0;
  absl::Status listening = WaitForPorts(port_file, **process, deadline, listen_port, control_port);
  auto proxy = std::make_unique<ProxyProcess>(std::move(*process), journal, listen_port, control_port);
  if (!listening.ok()) return absl::Status(listening.code(), absl::StrCat(listening.message(), "; see ", work_dir, "/proxy.log"));
  if (absl::Status s = proxy->WaitUntilAnswering(deadline); !s.ok()) return s;
  return proxy;
}

bool ScenarioUsesProxy(const Scenario& scenario) {
  for (const FaultSpec& fault : scenario.faults) {
    if (fault.kind == "grpc-fault") return true;
    const ParamNode* via = fault.params.Find("via");
    if (via != nullptr && via->kind == ParamNode::Kind::kScalar && via->scalar == "proxy") return true;
  }
  return false;
}

}  // namespace faultdrill::injectors
