#include "injectors/network_bandwidth.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/injectors/scenario_fixture.h"

namespace faultdrill::injectors {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

class NetworkBandwidthTest : public ::faultdrill::testing::InjectorTest {
 protected:
  NetworkBandwidthTest() : InjectorTest(&CreateNetworkBandwidth) {}
  const NetworkFaultSettings* Settings(const std::string& yaml) {
    injector_ = Create(yaml);
    EXPECT_TRUE(injector_.ok()) << injector_.status();
    return injector_.ok() ? &static_cast<const NetworkFaultInjector&>(**injector_).settings() : nullptr;
  }
  absl::StatusOr<std::unique_ptr<Injector>> injector_;
};

TEST_F(NetworkBandwidthTest, TbfWithTheDefaultBurstAndLatency) {
  const NetworkFaultSettings* s = Settings("{kind: network-bandwidth, at: 1s, interface: eth0, rate: 1mbit}");
  ASSERT_NE(s, nullptr);
  EXPECT_THAT(TcAddRootQdiscArgv(s->target, s->qdisc),
              ElementsAreArray({"tc", "qdisc", "add", "dev", "eth0", "root", "handle", "fd17:", "tbf", "rate", "1mbit", "burst",
                                "81920", "latency", "100ms"}));
  EXPECT_FALSE(s->qdisc.uses_netem());
}

TEST_F(NetworkBandwidthTest, TheDefaultBurstIsTenMillisecondsAtHighRates) {
  EXPECT_EQ(DefaultBurstBytes(1'000'000'000), 1'250'000u);
  EXPECT_EQ(DefaultBurstBytes(8'000), kMinDefaultBurstBytes);
}

TEST_F(NetworkBandwidthTest, TbfWithBurstAndLimit) {
  const NetworkFaultSettings* s = Settings(
      "{kind: network-bandwidth, at: 1s, interface: eth0, netns: blue, rate: 125kB/s, burst: 32KiB, limit: 64KiB}");
  ASSERT_NE(s, nullptr);
  EXPECT_THAT(TcAddRootQdiscArgv(s->target, s->qdisc),
              ElementsAreArray({"tc", "-n", "blue", "qdisc", "add", "dev", "eth0", "root", "handle", "fd17:", "tbf", "rate", "1mbit",
                                "burst", "32768", "limit", "65536"}));
}

TEST_F(NetworkBandwidthTest, TbfWithLatency) {
  const NetworkFaultSettings* s =
      Settings("{kind: network-bandwidth, at: 1s, interface: eth0, rate: 1500kbit, burst: 16KiB, latency: 50ms}");
  ASSERT_NE(s, nullptr);
  EXPECT_THAT(s->qdisc.args,
              ElementsAreArray({"tbf", "rate", "1500kbit", "burst", "16384", "latency", "50ms"}));
}

TEST_F(NetworkBandwidthTest, TheProxyLimitsBytesPerSecond) {
  const NetworkFaultSettings* s =
      Settings("{kind: network-bandwidth, at: 1s, via: proxy, rate: 1mbit, method: ModelInfer}");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->rule.action, ProxyRule::Action::kBandwidth);
  EXPECT_DOUBLE_EQ(s->rule.bytes_per_second, 125'000);
  EXPECT_EQ(s->rule.method, "ModelInfer");
}

TEST_F(NetworkBandwidthTest, NeedsNoNetemModule) {
  auto injector = Create("{kind: network-bandwidth, at: 1s, interface: lo, rate: 1mbit}");
  ASSERT_TRUE(injector.ok()) << injector.status();
  for (const Need& need : (*injector)->Needs()) EXPECT_NE(need.what, "kernel module sch_netem");
}

TEST_F(NetworkBandwidthTest, RejectsBadValuesWithTheirLocation) {
  struct Case {
    const char* yaml;
    const char* problem;
  };
  for (const Case& c : {
           Case{"{kind: network-bandwidth, at: 1s, via: proxy}", "rate"},
           Case{"{kind: network-bandwidth, at: 1s, via: proxy, rate: 1mbps}", "\"1mbit\""},
           Case{"{kind: network-bandwidth, at: 1s, via: proxy, rate: 0kbit}", "at least 1bit"},
           Case{"{kind: network-bandwidth, at: 1s, interface: eth0, rate: 1mbit, burst: 1KiB}", "1500 bytes"},
           Case{"{kind: network-bandwidth, at: 1s, interface: eth0, rate: 1mbit, limit: 1MiB, latency: 1s}",
                "not both"},
           Case{"{kind: network-bandwidth, at: 1s, via: proxy, rate: 1mbit, burst: 32KiB}", "`via: netem`"},
       }) {
    auto injector = Create(c.yaml);
    EXPECT_THAT(injector.status().message(), HasSubstr("t.yaml:5:")) << c.yaml;
    EXPECT_THAT(injector.status().message(), HasSubstr(c.problem)) << c.yaml;
  }
}

}  // namespace
}  // namespace faultdrill::injectors
