#include "injectors/network_latency.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/injectors/scenario_fixture.h"

namespace faultdrill::injectors {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

class NetworkLatencyTest : public ::faultdrill::testing::InjectorTest {
 protected:
  NetworkLatencyTest() : InjectorTest(&CreateNetworkLatency) {}

  // The tc command the fault in `yaml` would run.
  std::vector<std::string> TcArgv(const std::string& yaml) {
    auto injector = Create(yaml);
    EXPECT_TRUE(injector.ok()) << injector.status();
    if (!injector.ok()) return {};
    const auto& settings = static_cast<const NetworkFaultInjector&>(**injector).settings();
    return TcAddRootQdiscArgv(settings.target, settings.qdisc);
  }
  ProxyRule Rule(const std::string& yaml) {
    auto injector = Create(yaml);
    EXPECT_TRUE(injector.ok()) << injector.status();
    return injector.ok() ? static_cast<const NetworkFaultInjector&>(**injector).settings().rule : ProxyRule{};
  }
};

TEST_F(NetworkLatencyTest, DelayAlone) {
  EXPECT_THAT(TcArgv("{kind: network-latency, at: 1s, interface: eth0, delay: 100ms}"),
              ElementsAre("tc", "qdisc", "add", "dev", "eth0", "root", "handle", "fd17:", "netem", "delay", "100ms"));
}

TEST_F(NetworkLatencyTest, DelayWithJitterAndCorrelation) {
  EXPECT_THAT(TcArgv("{kind: network-latency, at: 1s, interface: eth0, delay: 100ms, jitter: 10ms, "
                     "correlation: 25%}"),
              ElementsAreArray({"tc", "qdisc", "add", "dev", "eth0", "root", "handle", "fd17:", "netem", "delay", "100ms", "10ms",
                                "25%"}));
}

TEST_F(NetworkLatencyTest, EveryDistributionButUniformNamesItsTable) {
  for (const char* distribution : {"normal", "pareto", "paretonormal"}) {
    EXPECT_THAT(TcArgv(std::string("{kind: network-latency, at: 1s, interface: eth0, delay: 100ms, jitter: 20ms, "
                                   "distribution: ") + distribution + "}"),
                ElementsAreArray({"tc", "qdisc", "add", "dev", "eth0", "root", "handle", "fd17:", "netem", "delay", "100ms", "20ms",
                                  "distribution", distribution}));
  }
  // Uniform is netem's own jitter: there is no table for it.
  EXPECT_THAT(TcArgv("{kind: network-latency, at: 1s, interface: eth0, delay: 100ms, jitter: 20ms, "
                     "distribution: uniform}"),
              ElementsAreArray({"tc", "qdisc", "add", "dev", "eth0", "root", "handle", "fd17:", "netem", "delay", "100ms", "20ms"}));
}

TEST_F(NetworkLatencyTest, ReorderDuplicateAndCorruptFollowTheDelay) {
  EXPECT_THAT(TcArgv("{kind: network-latency, at: 1s, interface: eth0, netns: blue, delay: 10ms, reorder: 25%, "
                     "duplicate: 1%, corrupt: 0.1%}"),
              ElementsAreArray({"tc", "-n", "blue", "qdisc", "add", "dev", "eth0", "root", "handle", "fd17:", "netem", "delay",
                                "10ms", "reorder", "25%", "duplicate", "1%", "corrupt", "0.1%"}));
}

TEST_F(NetworkLatencyTest, TheProxyDelaysEveryCallWithJitter) {
  ProxyRule rule = Rule("{kind: network-latency, at: 1s, via: proxy, method: ModelInfer, delay: 100ms, jitter: 10ms}");
  EXPECT_EQ(rule.action, ProxyRule::Action::kDelay);
  EXPECT_EQ(rule.method, "ModelInfer");
  EXPECT_EQ(rule.fraction, 1.0);
  EXPECT_EQ(rule.delay, std::chrono::milliseconds(100));
  EXPECT_EQ(rule.jitter, std::chrono::milliseconds(10));
}

TEST_F(NetworkLatencyTest, DescribesDelayAndJitter) {
  auto injector = Create("{kind: network-latency, at: 1s, via: proxy, delay: 100ms, jitter: 10ms}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  EXPECT_EQ((*injector)->Describe(), "add 100ms ± 10ms latency (every gRPC call through the fault proxy)");
}

TEST_F(NetworkLatencyTest, DelayIsRequired) {
  auto injector = Create("{kind: network-latency, at: 1s, via: proxy, jitter: 10ms}");
  EXPECT_THAT(injector.status().message(), HasSubstr("delay"));
  EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:"));
}

TEST_F(NetworkLatencyTest, RejectsBadValuesWithTheirLocation) {
  struct Case {
    const char* yaml;
    const char* problem;
  };
  for (const Case& c : {
           Case{"{kind: network-latency, at: 1s, via: proxy, delay: fast}", "delay"},
           Case{"{kind: network-latency, at: 1s, via: proxy, delay: 0s}", "greater than zero"},
           Case{"{kind: network-latency, at: 1s, via: proxy, delay: 10ms, jitter: 20ms}", "not be greater"},
           Case{"{kind: network-latency, at: 1s, interface: eth0, delay: 10ms, jitter: 1ms, distribution: gauss}",
                "gauss"},
           Case{"{kind: network-latency, at: 1s, interface: eth0, delay: 10ms, distribution: normal}", "needs `jitter`"},
           Case{"{kind: network-latency, at: 1s, interface: eth0, delay: 10ms, correlation: 25%}", "needs `jitter`"},
           Case{"{kind: network-latency, at: 1s, interface: eth0, delay: 10ms, duplicate: 120%}", "100%"},
           Case{"{kind: network-latency, at: 1s, via: proxy, delay: 10ms, reorder: 5%}", "`via: netem`"},
           Case{"{kind: network-latency, at: 1s, via: proxy, delay: 10ms, delayy: 5ms}", "delayy"},
       }) {
    auto injector = Create(c.yaml);
    EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:")) << c.yaml;
    EXPECT_THAT(injector.status().message(), HasSubstr(c.problem)) << c.yaml;
  }
}

}  // namespace
}  // namespace faultdrill::injectors
