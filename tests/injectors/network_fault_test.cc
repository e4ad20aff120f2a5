#include "injectors/network_fault.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "injectors/network_latency.h"
#include "tests/common/files.h"
#include "tests/injectors/recording_fault_proxy.h"
#include "tests/injectors/scenario_fixture.h"

namespace faultdrill::injectors {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(TcArgv, AddsARootQdiscOnTheInterface) {
  EXPECT_THAT(TcAddRootQdiscArgv({"eth0", ""}, QdiscSpec{{"netem", "delay", "100ms"}}),
              ElementsAre("tc", "qdisc", "add", "dev", "eth0", "root", "handle", "fd17:", "netem", "delay", "100ms"));
}

TEST(TcArgv, RunsInsideTheNamedNetworkNamespace) {
  EXPECT_THAT(TcAddRootQdiscArgv({"lo", "fdtest-1"}, QdiscSpec{{"netem", "loss", "100%"}}),
              ElementsAre("tc", "-n", "fdtest-1", "qdisc", "add", "dev", "lo", "root", "handle", "fd17:", "netem", "loss", "100%"));
  EXPECT_THAT(TcShowRootQdiscArgv({"lo", "fdtest-1"}),
              ElementsAre("tc", "-n", "fdtest-1", "qdisc", "show", "dev", "lo", "root"));
}

TEST(TcSpelling, TimesArePrintedInWholeMillisecondsOrMicroseconds) {
  EXPECT_EQ(TcTime(std::chrono::milliseconds(100)), "100ms");
  EXPECT_EQ(TcTime(std::chrono::seconds(2)), "2000ms");
  EXPECT_EQ(TcTime(std::chrono::microseconds(1500)), "1500us");
}

TEST(TcSpelling, FractionsArePrintedAsPercentages) {
  EXPECT_EQ(TcPercent(0.25), "25%");
  EXPECT_EQ(TcPercent(0.001), "0.1%");
  EXPECT_EQ(TcPercent(1.0), "100%");
}

TEST(TcSpelling, RatesUseTheLargestExactUnit) {
  EXPECT_EQ(TcRate(1'000'000), "1mbit");
  EXPECT_EQ(TcRate(2'000'000'000), "2gbit");
  EXPECT_EQ(TcRate(500'000), "500kbit");
  EXPECT_EQ(TcRate(1'500'100), "1500100bit");
}

TEST(ParseBitRate, AcceptsTcUnitsSizesPerSecondAndBareBytes) {
  EXPECT_EQ(*ParseBitRate("1mbit"), 1'000'000u);
  EXPECT_EQ(*ParseBitRate("1.5mbit"), 1'500'000u);
  EXPECT_EQ(*ParseBitRate("500kbit"), 500'000u);
  EXPECT_EQ(*ParseBitRate("1gbit"), 1'000'000'000u);
  EXPECT_EQ(*ParseBitRate("800bit"), 800u);
  EXPECT_EQ(*ParseBitRate("125kB/s"), 1'000'000u);
  EXPECT_EQ(*ParseBitRate("1MiB/s"), 8u * 1024 * 1024);
  EXPECT_EQ(*ParseBitRate("125000"), 1'000'000u);
}

TEST(ParseBitRate, RejectsZeroNegativeAndUnknownUnits) {
  for (const char* bad : {"0mbit", "0", "-1mbit", "1mbps", "mbit", "fast", "1 mbit", "0kB/s", ""}) {
    EXPECT_FALSE(ParseBitRate(bad).ok()) << bad;
  }
  EXPECT_THAT(ParseBitRate("1mbps").status().message(), HasSubstr("\"1mbit\""));
}

TEST(AddedRootQdisc, TheKernelsDefaultIsNobodys) {
  EXPECT_EQ(AddedRootQdisc("qdisc noqueue 0: root refcnt 2 \n"), "");
  EXPECT_EQ(AddedRootQdisc("qdisc pfifo_fast 0: dev eth0 root refcnt 2 bands 3 priomap 1 2\n"), "");
  EXPECT_EQ(AddedRootQdisc("qdisc mq 0: root\nqdisc fq_codel 0: parent :1 limit 10240p\n"), "");
  EXPECT_EQ(AddedRootQdisc(""), "");
}

TEST(AddedRootQdisc, NamesAQdiscSomeoneAdded) {
  EXPECT_EQ(AddedRootQdisc("qdisc tbf 8001: root refcnt 2 rate 1Mbit burst 4Kb lat 400ms \n"), "tbf 8001:");
  EXPECT_EQ(AddedRootQdisc("qdisc netem 1: dev eth0 root refcnt 2 limit 1000 delay 100ms\n"), "netem 1:");
}

TEST(Capabilities, CapNetAdminIsBit12OfCapEff) {
  EXPECT_TRUE(StatusHasCapNetAdmin("Name:\tx\nCapInh:\t0\nCapEff:\t000001fffeffffff\n"));
  EXPECT_TRUE(StatusHasCapNetAdmin("CapEff:\t0000000000001000\n"));
  EXPECT_FALSE(StatusHasCapNetAdmin("CapPrm:\t0000000000001000\nCapEff:\t0000000000000fff\n"));
  EXPECT_FALSE(StatusHasCapNetAdmin("Name:\tx\n"));
}

class KernelModules : public ::testing::Test {
 protected:
  void Write(const std::string& name, const std::string& text) { std::ofstream(dir_.File(name)) << text; }
  bool Available(const std::string& module) {
    return KernelModuleAvailable(module, dir_.File("sys-module"), dir_.path());
  }
  faultdrill::testing::TempDir dir_;
};

TEST_F(KernelModules, ALoadedModuleIsAvailable) {
  std::filesystem::create_directories(dir_.File("sys-module/sch_netem"));
  EXPECT_TRUE(Available("sch_netem"));
}

TEST_F(KernelModules, ALoadableModuleIsAvailable) {
  Write("modules.dep", "kernel/net/sched/sch_tbf.ko.xz:\nkernel/net/sched/sch_netem.ko.xz:\n");
  EXPECT_TRUE(Available("sch_netem"));
}

TEST_F(KernelModules, ABuiltInModuleIsAvailable) {
  Write("modules.builtin", "kernel/net/sched/sch_netem.ko\n");
  EXPECT_TRUE(Available("sch_netem"));
}

TEST_F(KernelModules, AModuleNamedNowhereIsMissing) {
  Write("modules.dep", "kernel/net/sched/sch_netem_extra.ko:\nkernel/net/sched/sch_tbf.ko:\n");
  EXPECT_FALSE(Available("sch_netem"));
}

// The common keys, through network-latency.
class NetworkRouteTest : public ::faultdrill::testing::InjectorTest {
 protected:
  NetworkRouteTest() : InjectorTest(&CreateNetworkLatency) {}
  const NetworkFaultSettings& Settings(const absl::StatusOr<std::unique_ptr<Injector>>& injector) {
    return static_cast<const NetworkFaultInjector&>(**injector).settings();
  }
};

TEST_F(NetworkRouteTest, InterfaceWithoutViaMeansNetem) {
  auto injector = Create("{kind: network-latency, at: 1s, interface: eth0, delay: 10ms}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  EXPECT_EQ(Settings(injector).via, NetworkVia::kNetem);
  EXPECT_EQ(Settings(injector).target.interface, "eth0");
}

TEST_F(NetworkRouteTest, NeitherViaNorInterfaceIsAnError) {
  auto injector = Create("{kind: network-latency, at: 1s, delay: 10ms}");
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
  EXPECT_THAT(injector.status().message(), HasSubstr("`via: proxy`"));
}

TEST_F(NetworkRouteTest, NetemNeedsAnInterface) {
  auto injector = Create("{kind: network-latency, at: 1s, via: netem, delay: 10ms}");
  EXPECT_THAT(injector.status().message(), HasSubstr("interface"));
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
}

TEST_F(NetworkRouteTest, RejectsAnUnknownVia) {
  auto injector = Create("{kind: network-latency, at: 1s, via: iptables, delay: 10ms}");
  EXPECT_THAT(injector.status().message(), HasSubstr("iptables"));
}

TEST_F(NetworkRouteTest, RejectsABadInterfaceName) {
  auto injector = Create("{kind: network-latency, at: 1s, via: netem, interface: ../eth0, delay: 10ms}");
  EXPECT_THAT(injector.status().message(), HasSubstr("not an interface name"));
}

TEST_F(NetworkRouteTest, MethodIsForTheProxyOnly) {
  auto injector = Create("{kind: network-latency, at: 1s, interface: eth0, method: ModelInfer, delay: 10ms}");
  EXPECT_THAT(injector.status().message(), HasSubstr("method: works only with `via: proxy`"));
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
}

TEST_F(NetworkRouteTest, InterfaceIsForNetemOnly) {
  auto injector = Create("{kind: network-latency, at: 1s, via: proxy, interface: eth0, delay: 10ms}");
  EXPECT_THAT(injector.status().message(), HasSubstr("interface: works only with `via: netem`"));
}

TEST_F(NetworkRouteTest, TouchesTheInterfaceInItsNamespace) {
  auto injector = Create("{kind: network-latency, at: 1s, interface: eth0, netns: blue, delay: 10ms}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  EXPECT_THAT((*injector)->Touches(), ElementsAre("interface eth0 (root qdisc) in netns blue"));
  EXPECT_THAT((*injector)->Describe(), HasSubstr("eth0 in netns blue"));
}

TEST_F(NetworkRouteTest, TouchesCallsThroughTheProxy) {
  auto injector = Create("{kind: network-latency, at: 1s, via: proxy, method: ModelInfer, delay: 10ms}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  EXPECT_THAT((*injector)->Touches(), ElementsAre("gRPC calls of ModelInfer through the fault proxy"));
}

TEST_F(NetworkRouteTest, NetemNeedsCapNetAdminTcAndTheNetemModule) {
  auto injector = Create("{kind: network-latency, at: 1s, interface: lo, delay: 10ms}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  std::vector<std::string> what;
  for (const Need& need : (*injector)->Needs()) {
    what.push_back(need.what);
    if (!need.status.ok()) {
      EXPECT_EQ(need.status.code(), absl::StatusCode::kFailedPrecondition);
      EXPECT_THAT(std::string(need.status.message()), HasSubstr(need.what.substr(0, need.what.find(' '))));
    }
  }
  EXPECT_THAT(what, ElementsAre("CAP_NET_ADMIN", "tc (iproute2)", "kernel module sch_netem", "interface lo"));
}

TEST_F(NetworkRouteTest, AMissingNamespaceIsAMissingNeed) {
  auto injector = Create("{kind: network-latency, at: 1s, interface: lo, netns: fd-no-such-ns, delay: 10ms}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  std::vector<Need> needs = (*injector)->Needs();
  ASSERT_EQ(needs.back().what, "network namespace fd-no-such-ns");
  EXPECT_THAT(std::string(needs.back().status.message()), HasSubstr("ip netns add fd-no-such-ns"));
}

TEST_F(NetworkRouteTest, ProxyApplySetsTheRuleAndRevertClearsIt) {
  auto injector = Create("{kind: network-latency, name: slow, at: 1s, via: proxy, delay: 10ms}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  faultdrill::testing::RecordingFaultProxy proxy;
  run_.set_proxy(&proxy);
  ASSERT_TRUE((*injector)->Apply().ok());
  ASSERT_TRUE(proxy.rules.contains("slow"));
  proxy.matched = 17;
  EXPECT_EQ((*injector)->Counters().at("requests_affected"), 17);
  ASSERT_TRUE((*injector)->Revert().ok());
  EXPECT_TRUE(proxy.rules.empty());
  EXPECT_EQ((*injector)->Counters().at("requests_affected"), 17);
  ASSERT_TRUE((*injector)->Revert().ok());
  EXPECT_EQ(proxy.clears, 1);
}

TEST_F(NetworkRouteTest, ProxyApplyWithoutAProxyFails) {
  auto injector = Create("{kind: network-latency, at: 1s, via: proxy, delay: 10ms}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  absl::Status status = (*injector)->Apply();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("no fault proxy"));
  EXPECT_TRUE((*injector)->Revert().ok());
}

TEST_F(NetworkRouteTest, RevertWithoutApplyTouchesNothing) {
  auto injector = Create("{kind: network-latency, at: 1s, interface: fd-nonexistent, delay: 10ms}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  EXPECT_TRUE((*injector)->Revert().ok());
  EXPECT_EQ((*injector)->Counters().at("qdiscs_added"), 0);
  EXPECT_TRUE(run_.journal().Records().empty());
}

TEST_F(NetworkRouteTest, ProxyRulesAreSeededFromTheScenario) {
  auto a = Create("{kind: network-latency, name: a, at: 1s, via: proxy, delay: 10ms}");
  auto b = Create("{kind: network-latency, name: a, at: 1s, via: proxy, delay: 10ms}");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Settings(a).rule.seed, Settings(b).rule.seed);
}

}  // namespace
}  // namespace faultdrill::injectors
