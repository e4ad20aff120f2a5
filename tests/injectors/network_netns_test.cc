// Network faults for real, inside a network namespace the test creates: the
// reference server and a client run in it (ip netns exec), and the fault acts
// on its loopback interface, so nothing outside the namespace is touched.
// Needs root (CAP_NET_ADMIN, ip netns); tbf runs on every Linux kernel, netem
// only where the kernel has sch_netem: the netem test skips elsewhere.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <iostream>
#include <regex>
#include <sstream>

#include "absl/strings/match.h"
#include "core/journal.h"
#include "injectors/command.h"
#include "injectors/launched_process.h"
#include "injectors/network_bandwidth.h"
#include "injectors/network_fault.h"
#include "injectors/network_latency.h"
#include "injectors/undo.h"
#include "tests/common/files.h"
#include "tests/injectors/scenario_fixture.h"
#include "tests/server/server_process.h"

namespace faultdrill::injectors {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string RunTool(const std::vector<std::string>& argv) {
  auto result = RunCommand(argv, std::chrono::seconds(30));
  if (!result.ok()) return "error: " + std::string(result.status().message());
  return result->output;
}

// A network namespace with its loopback up, deleted with everything in it.
class TestNetns {
 public:
  TestNetns() : name_("fdtest-" + std::to_string(::getpid())) {
    auto added = RunCommand({"ip", "netns", "add", name_});
    if (!added.ok() || added->exit_code != 0) {
      problem_ = added.ok() ? added->output : std::string(added.status().message());
      return;
    }
    created_ = true;
    auto up = RunCommand({"ip", "-n", name_, "link", "set", "lo", "up"});
    if (!up.ok() || up->exit_code != 0) problem_ = up.ok() ? up->output : std::string(up.status().message());
  }
  ~TestNetns() {
    if (created_) (void)RunCommand({"ip", "netns", "del", name_});
  }
  TestNetns(const TestNetns&) = delete;
  TestNetns& operator=(const TestNetns&) = delete;

  const std::string& name() const { return name_; }
  // Empty when the namespace is ready.
  const std::string& problem() const { return problem_; }
  std::string RootQdisc() const { return RunTool({"tc", "-n", name_, "qdisc", "show", "dev", "lo", "root"}); }

 private:
  std::string name_;
  bool created_ = false;
  std::string problem_;
};

class NetworkNetnsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CapNetAdminNeed().status.ok()) GTEST_SKIP() << "needs CAP_NET_ADMIN (run as root)";
    if (!TcNeed().status.ok() || !FindProgram("ip").ok()) GTEST_SKIP() << "needs ip and tc (iproute2)";
    netns_ = std::make_unique<TestNetns>();
    if (!netns_->problem().empty()) GTEST_SKIP() << "cannot make a network namespace: " << netns_->problem();
    ASSERT_TRUE(faultdrill::testing::GenerateModels(models_.path()).ok());
    auto journal = Journal::Open(work_.File("journal"), "netns-test");
    ASSERT_TRUE(journal.ok()) << journal.status();
    journal_ = std::move(*journal);
    run_.set_journal(journal_.get());
    StartServer();
  }

  // The reference server, inside the namespace, on 127.0.0.1.
  void StartServer() {
    const std::string port_file = work_.File("port");
    auto server = LaunchedProcess::Start(
        {.command = {"ip", "netns", "exec", netns_->name(), faultdrill::testing::ModelServerBinary(), "--host",
                     "127.0.0.1", "--port", "0", "--port-file", port_file, "--models", models_.path()},
         .log_file = work_.File("server.log")});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    for (int i = 0; i < 2000 && port_.empty(); ++i) {
      port_ = faultdrill::testing::ReadWholeFile(port_file);
      if (port_.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_FALSE(port_.empty()) << faultdrill::testing::ReadWholeFile(work_.File("server.log"));
  }

  // Milliseconds of each of `calls` uploads of `bytes` bytes, from a client in the namespace.
  std::vector<double> UploadMillis(size_t bytes, int calls) {
    std::string output = RunTool({"ip", "netns", "exec", netns_->name(),
                              faultdrill::testing::BinDir() + "/faultdrill-test-upload-client",
                              "127.0.0.1:" + std::to_string(std::atoi(port_.c_str())), std::to_string(bytes),
                              std::to_string(calls)});
    std::vector<double> millis;
    static const std::regex line(R"(call \d+ status (\d+) ms ([0-9.]+))");
    for (std::sregex_iterator it(output.begin(), output.end(), line), end; it != end; ++it) {
      EXPECT_NE((*it)[1], "14") << "UNAVAILABLE: " << output;
      millis.push_back(std::stod((*it)[2]));
    }
    EXPECT_EQ(millis.size(), static_cast<size_t>(calls)) << output;
    return millis;
  }

  std::unique_ptr<Injector> Create(InjectorFactory factory, const std::string& fault) {
    scenario_ = faultdrill::testing::ScenarioWithFaults("  - " + fault + "\n");
    InjectorContext context{scenario_, targets_, run_};
    auto injector = factory(scenario_.faults.at(0), context);
    EXPECT_TRUE(injector.ok()) << injector.status();
    return injector.ok() ? std::move(*injector) : nullptr;
  }

  faultdrill::testing::TempDir models_;
  faultdrill::testing::TempDir work_;
  std::unique_ptr<TestNetns> netns_;
  std::unique_ptr<Journal> journal_;
  std::unique_ptr<LaunchedProcess> server_;
  std::string port_;
  Scenario scenario_;
  Targets targets_;
  RunState run_;
};

TEST_F(NetworkNetnsTest, TbfLimitsTheBandwidthWhileOnAndNotAfterRevert) {
  constexpr size_t kBytes = 600'000;  // 4.8 Mbit: 0.6 s at 8mbit, less the 80 KiB burst
  const double before = UploadMillis(kBytes, 2).back();

  auto injector = Create(&CreateNetworkBandwidth, "{kind: network-bandwidth, at: 1s, via: netem, interface: lo, "
                                                  "netns: " + netns_->name() + ", rate: 8mbit}");
  ASSERT_NE(injector, nullptr);
  ASSERT_TRUE(injector->Apply().ok());
  EXPECT_THAT(netns_->RootQdisc(), HasSubstr("qdisc tbf"));
  const std::vector<JournalRecord> records = journal_->Records();
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back().undo.action, "delete-qdisc");
  const double during = UploadMillis(kBytes, 2).back();

  ASSERT_TRUE(injector->Revert().ok());
  EXPECT_THAT(netns_->RootQdisc(), Not(HasSubstr("tbf")));
  const double after = UploadMillis(kBytes, 2).back();
  ASSERT_TRUE(injector->Revert().ok());  // idempotent

  std::cout << "upload of " << kBytes << " bytes: before " << before << " ms, with 8mbit tbf " << during
            << " ms, after revert " << after << " ms\n";
  EXPECT_GT(during, 350);  // 520 KB above the burst at 1 MB/s
  EXPECT_LT(during, 5000);
  EXPECT_LT(after, 150);
  EXPECT_EQ(injector->Counters().at("qdiscs_added"), 1);
}

TEST_F(NetworkNetnsTest, RefusesToReplaceSomeoneElsesRootQdisc) {
  ASSERT_EQ(RunTool({"tc", "-n", netns_->name(), "qdisc", "add", "dev", "lo", "root", "tbf", "rate", "100mbit", "burst",
                 "100000", "latency", "50ms"}),
            "");
  auto injector = Create(&CreateNetworkBandwidth, "{kind: network-bandwidth, at: 1s, via: netem, interface: lo, "
                                                  "netns: " + netns_->name() + ", rate: 1mbit}");
  ASSERT_NE(injector, nullptr);
  absl::Status status = injector->Apply();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("already has a root qdisc (tbf"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("will not replace it"));
  for (const JournalRecord& record : journal_->Records()) EXPECT_NE(record.type, "undo");  // nothing owed
  ASSERT_TRUE(injector->Revert().ok());
  EXPECT_THAT(netns_->RootQdisc(), HasSubstr("rate 100Mbit"));  // theirs, untouched
}

TEST_F(NetworkNetnsTest, RecoverRemovesTheQdiscAFaultLeftBehind) {
  auto injector = Create(&CreateNetworkBandwidth, "{kind: network-bandwidth, at: 1s, via: netem, interface: lo, "
                                                  "netns: " + netns_->name() + ", rate: 8mbit}");
  ASSERT_NE(injector, nullptr);
  ASSERT_TRUE(injector->Apply().ok());
  // faultdrill dies here: no Revert. `faultdrill recover` replays the journal.
  auto report = RecoverJournal(journal_->dir());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok());
  EXPECT_THAT(netns_->RootQdisc(), Not(HasSubstr("tbf")));
}

TEST_F(NetworkNetnsTest, NetemAddsLatencyWhileOnAndNotAfterRevert) {
  if (!NetemModuleNeed().status.ok()) GTEST_SKIP() << "kernel module sch_netem is not available";
  auto injector = Create(&CreateNetworkLatency, "{kind: network-latency, at: 1s, via: netem, interface: lo, "
                                                "netns: " + netns_->name() + ", delay: 50ms}");
  ASSERT_NE(injector, nullptr);
  absl::Status applied = injector->Apply();
  if (absl::StrContains(applied.message(), "unknown")) {
    (void)injector->Revert();
    GTEST_SKIP() << "kernel module sch_netem is not available: " << applied;
  }
  ASSERT_TRUE(applied.ok()) << applied;
  EXPECT_THAT(netns_->RootQdisc(), HasSubstr("qdisc netem"));
  const double during = UploadMillis(10, 3).back();
  ASSERT_TRUE(injector->Revert().ok());
  EXPECT_THAT(netns_->RootQdisc(), Not(HasSubstr("netem")));
  const double after = UploadMillis(10, 3).back();
  std::cout << "small call: with 50ms netem delay " << during << " ms, after revert " << after << " ms\n";
  EXPECT_GT(during, 90);  // the request and the answer each wait 50ms on lo
  EXPECT_LT(after, 40);
}

}  // namespace
}  // namespace faultdrill::injectors
